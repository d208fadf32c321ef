"""Checklist-template pages: the templates a regulator may use or adapt, a template's sections and items, and
for the owning region's agency head the copy, item edits and putting a version in use (Order 49 arts. 13–14:
SAMR sets the national key and general items; a province may add detail)."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shian.core.choices import UserKind
from shian.core.models import Region
from shian.core.rules import region_contains
from shian.registry.choices import OperatorCategory, SpecialFood

from .choices import Sector
from .models import ChecklistItem, ChecklistTemplate, Inspection
from .services import checklist_activate, checklist_copy, checklist_item_save

VIEW = "inspection.view_checklisttemplate"
CHANGE = "inspection.change_checklisttemplate"

_TEXT = {"class": "form-control"}
_CHECK = {"class": "form-check-input"}


# --- Forms --------------------------------------------------------------------------------------------------


def _field(name: str):
    return ChecklistItem._meta.get_field(name)


def _label(name: str):
    return capfirst(_field(name).verbose_name)


class ChecklistItemForm(forms.Form):
    """What the owning region may change on an item of its own version."""

    text = forms.CharField(label=_label("text"), widget=forms.Textarea(attrs={**_TEXT, "rows": 2}))
    key = forms.BooleanField(label=_label("key"), required=False, widget=forms.CheckboxInput(attrs=_CHECK))
    points = forms.DecimalField(
        label=_label("points"),
        min_value=Decimal("0"),
        max_value=Decimal("99.9"),
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(attrs={**_TEXT, "step": "0.1", "min": "0", "max": "99.9"}),
    )
    evidence_expected = forms.BooleanField(
        label=_label("evidence_expected"), required=False, widget=forms.CheckboxInput(attrs=_CHECK)
    )

    def __init__(self, *args, template: ChecklistTemplate, item: ChecklistItem | None = None, **kwargs):
        if item is not None:
            kwargs.setdefault("auto_id", f"id_item{item.pk}_%s")
            kwargs.setdefault(
                "initial", {name: getattr(item, name) for name in ("text", "key", "points", "evidence_expected")}
            )
        super().__init__(*args, **kwargs)
        self.template, self.item = template, item

    def clean_text(self):
        return self.cleaned_data["text"].strip()


class ChecklistItemAddForm(ChecklistItemForm):
    """A new item: its section (an existing one, or a new one with a title), its code, unique in the template."""

    section_code = forms.CharField(
        label=_label("section_code"), max_length=_field("section_code").max_length, widget=forms.TextInput(attrs=_TEXT)
    )
    section_title = forms.CharField(
        label=_label("section_title"),
        max_length=_field("section_title").max_length,
        required=False,
        help_text=gettext_lazy("May be left empty for an existing section."),
        widget=forms.TextInput(attrs=_TEXT),
    )
    article = forms.CharField(
        label=_label("article"),
        max_length=_field("article").max_length,
        required=False,
        widget=forms.TextInput(attrs=_TEXT),
    )
    code = forms.CharField(
        label=_label("code"), max_length=_field("code").max_length, widget=forms.TextInput(attrs=_TEXT)
    )

    field_order = ["section_code", "section_title", "article", "code", "text", "key", "points", "evidence_expected"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_new_%s")
        super().__init__(*args, **kwargs)

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code:
            raise forms.ValidationError(_("Give the item a code."))
        if self.template.items.filter(code=code).exists():
            raise forms.ValidationError(_("This checklist already has an item %(code)s.") % {"code": code})
        return code

    def clean(self):
        data = super().clean()
        section = (data.get("section_code") or "").strip()
        if section:
            data["section_code"] = section
            data["section_title"] = (data.get("section_title") or "").strip()
            data["article"] = (data.get("article") or "").strip()
            existing = self.template.items.filter(section_code=section).order_by("order").first()
            if existing is not None:
                data["section_title"] = data["section_title"] or existing.section_title
                data["article"] = data["article"] or existing.article
            elif not data["section_title"]:
                self.add_error("section_title", _("A new section needs a title."))
        return data


class ActivateForm(forms.Form):
    active = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")


# --- Who may do what ----------------------------------------------------------------------------------------


def _require_regulator(user) -> None:
    if not (user.is_superuser or user.kind == UserKind.REGULATOR):
        raise PermissionDenied


def may_see(user, template: ChecklistTemplate) -> bool:
    """National templates, and those whose jurisdiction contains or lies within the user's."""
    if user.is_superuser or not template.jurisdiction:
        return True
    own = user.jurisdiction_id
    return bool(own) and (region_contains(template.jurisdiction, own) or region_contains(own, template.jurisdiction))


def may_copy(user, template: ChecklistTemplate) -> bool:
    """A head copies a national template or one of a region above (or a new version of the region's own)."""
    own = user.jurisdiction_id
    if not own or not user.has_perm(CHANGE):
        return False
    return not template.jurisdiction or region_contains(template.jurisdiction, own)


def owns(user, template: ChecklistTemplate) -> bool:
    return bool(template.jurisdiction) and template.jurisdiction == user.jurisdiction_id and user.has_perm(CHANGE)


def may_activate(user, template: ChecklistTemplate) -> bool:
    """The owning region's head; the national templates only a platform superuser."""
    return user.has_perm(CHANGE) and (user.is_superuser or owns(user, template))


def _used(template: ChecklistTemplate) -> int:
    return Inspection.objects.filter(template=template).count()


def _templates():
    return ChecklistTemplate.objects.select_related("based_on").annotate(
        item_count=Count("items"), key_count=Count("items", filter=Q(items__key=True))
    )


def _template(request, pk) -> ChecklistTemplate:
    _require_regulator(request.user)
    template = get_object_or_404(_templates(), pk=pk)
    if not may_see(request.user, template):
        raise Http404
    return template


def _region_names(codes) -> dict[str, str]:
    codes = {c for c in codes if c}
    return dict(Region.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}


def _jurisdiction_label(code: str, names: dict[str, str]) -> str:
    return names.get(code, code) if code else _("National")


def _labels(values, choices) -> list[str]:
    labels = dict(choices.choices)
    return [str(labels.get(v, v)) for v in values or []]


def _describe(template: ChecklistTemplate, names: dict[str, str]) -> None:
    template.jurisdiction_label = _jurisdiction_label(template.jurisdiction, names)
    template.format_labels = _labels(template.categories, OperatorCategory)
    template.special_food_labels = _labels(template.special_foods, SpecialFood)


# --- Pages --------------------------------------------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
def checklist_list(request):
    _require_regulator(request.user)
    user = request.user
    templates = [t for t in _templates() if may_see(user, t)]
    names = _region_names([t.jurisdiction for t in templates] + [user.jurisdiction_id or ""])
    groups = []
    for sector in Sector:
        rows = sorted((t for t in templates if t.sector == sector), key=lambda t: (t.code, t.jurisdiction, -t.version))
        for template in rows:
            _describe(template, names)
            template.can_copy = may_copy(user, template)
            template.own = template.jurisdiction and template.jurisdiction == user.jurisdiction_id
        if rows:
            groups.append({"sector": sector, "label": sector.label, "templates": rows})
    context = {"groups": groups, "my_region": _jurisdiction_label(user.jurisdiction_id or "", names)}
    return render(request, "inspection/checklists/checklist_list.html", context)


def _sections(template: ChecklistTemplate, forms_by_item: dict[int, ChecklistItemForm] | None) -> list[dict]:
    """Items grouped by section in order of first appearance (an added item joins its section)."""
    sections: dict[str, dict] = {}
    for item in template.items.order_by("order", "pk"):
        section = sections.setdefault(
            item.section_code,
            {"code": item.section_code, "title": item.section_title, "article": item.article, "items": []},
        )
        if forms_by_item is not None:
            item.form = forms_by_item.get(item.pk) or ChecklistItemForm(template=template, item=item)
        section["items"].append(item)
    return list(sections.values())


def _detail_context(request, template, *, item_forms=None, add_form=None) -> dict:
    user = request.user
    used = _used(template)
    editable = owns(user, template) and not used
    names = _region_names([template.jurisdiction, getattr(template.based_on, "jurisdiction", "")])
    _describe(template, names)
    based_on = template.based_on
    if based_on is not None:
        based_on.jurisdiction_label = _jurisdiction_label(based_on.jurisdiction, names)
        based_on.visible = may_see(user, based_on)
    return {
        "template": template,
        "based_on": based_on,
        "sections": _sections(template, (item_forms or {}) if editable else None),
        "used": used,
        "editable": editable,
        "owner": owns(user, template),
        "add_form": (add_form or ChecklistItemAddForm(template=template)) if editable else None,
        "can_activate": may_activate(user, template),
        "can_copy": may_copy(user, template),
        "own_copy": bool(template.jurisdiction) and template.jurisdiction == user.jurisdiction_id,
    }


@login_required
@permission_required(VIEW, raise_exception=True)
def checklist_detail(request, pk):
    template = _template(request, pk)
    return render(request, "inspection/checklists/checklist_detail.html", _detail_context(request, template))


def _detail(template: ChecklistTemplate, anchor: str = ""):
    return redirect(reverse("checklist-detail", args=[template.pk]) + (f"#{anchor}" if anchor else ""))


@login_required
@require_POST
@permission_required(CHANGE, raise_exception=True)
def checklist_copy_view(request, pk):
    template = _template(request, pk)
    if not may_copy(request.user, template):
        raise PermissionDenied
    try:
        copy = checklist_copy(template=template, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("checklist-list")
    messages.success(
        request,
        _("Version %(version)s is your region's own copy. Change its items, then put it in use.")
        % {"version": copy.version},
    )
    return _detail(copy)


def _refused(request, template, exc: ValidationError):
    """A refusal of the whole change (not a field's error) is shown as a message on the template's page."""
    messages.error(request, " ".join(exc.messages))
    return _detail(template)


@login_required
@require_POST
@permission_required(CHANGE, raise_exception=True)
def checklist_item_edit(request, pk, item_pk):
    template = _template(request, pk)
    item = get_object_or_404(template.items, pk=item_pk)
    form = ChecklistItemForm(request.POST, template=template, item=item)
    if form.is_valid():
        try:
            checklist_item_save(template=template, by=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                return _refused(request, template, exc)
            _form_errors(form, exc)
        else:
            messages.success(request, _("Item %(code)s saved.") % {"code": item.code})
            return _detail(template, f"item-{item.pk}")
    context = _detail_context(request, template, item_forms={item.pk: form})
    return render(request, "inspection/checklists/checklist_detail.html", context, status=400)


@login_required
@require_POST
@permission_required(CHANGE, raise_exception=True)
def checklist_item_add(request, pk):
    template = _template(request, pk)
    form = ChecklistItemAddForm(request.POST, template=template)
    if form.is_valid():
        try:
            item = checklist_item_save(template=template, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                return _refused(request, template, exc)
            _form_errors(form, exc)
        else:
            messages.success(request, _("Item %(code)s added.") % {"code": item.code})
            return _detail(template, f"item-{item.pk}")
    context = _detail_context(request, template, add_form=form)
    return render(request, "inspection/checklists/checklist_detail.html", context, status=400)


@login_required
@require_POST
@permission_required(CHANGE, raise_exception=True)
def checklist_activate_view(request, pk):
    template = _template(request, pk)
    if not may_activate(request.user, template):
        raise PermissionDenied
    form = ActivateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to put the checklist in use or take it out of use."))
        return _detail(template)
    active = form.cleaned_data["active"]
    try:
        checklist_activate(template=template, by=request.user, active=active)
    except ValidationError as exc:
        return _refused(request, template, exc)
    if active:
        messages.success(request, _("This version is now in use for new inspections in its region."))
    else:
        messages.success(request, _("This version is no longer used for new inspections."))
    return _detail(template)


def _form_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)
