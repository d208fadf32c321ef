"""The operator's file (一企一档) and the forms that keep it: the business, its licences, filings and staff."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from ..choices import SpecialFood
from ..file_cards import file_cards_for
from ..forms import FilingForm, HealthCertificateUploadForm, LicenceForm, OperatorForm, StaffForm
from ..models import Filing, Licence, Operator, Staff
from ..services import (
    filing_create,
    filing_update,
    licence_create,
    licence_update,
    operator_create,
    operator_update,
    staff_create,
    staff_deactivate,
    staff_health_certificate_upload,
    staff_reactivate,
    staff_update,
)
from ..shortcuts import operator_for
from ..timeline import expiry_state, operator_timeline

TIMELINE_PAGE = 20
# Public pages of an operator, by URL name (views/public.py); those not (yet) routed are left out.
PUBLIC_LINKS = {"page": "public-operator", "qr": "public-qr-svg", "placard": "public-placard"}


def _require_any(user, *perms: str) -> None:
    if not any(user.has_perm(perm) for perm in perms):
        raise PermissionDenied


def _can_keep_staff(user) -> bool:
    """Business users keep their own staff; regulators who may change a business may too."""
    return user.has_perm("registry.change_staff") or user.has_perm("registry.change_operator")


def _public_links(operator: Operator) -> dict[str, str]:
    links = {}
    for key, name in PUBLIC_LINKS.items():
        try:
            links[key] = reverse(name, args=[operator.public_id])
        except NoReverseMatch:
            continue
    return links


def _warn(request, warnings: list[str], what: str) -> None:
    for warning in warnings:
        messages.warning(request, _("%(what)s: %(warning)s") % {"what": what, "warning": warning})


@login_required
@vary_on_headers("HX-Request")
def operator_detail(request, pk):
    operator = operator_for(request, pk, "region__parent")
    user = request.user
    try:
        offset = max(int(request.GET.get("events", 0)), 0)
    except ValueError:
        offset = 0
    timeline = operator_timeline(operator=operator, user=user, offset=offset, limit=TIMELINE_PAGE)
    if request.htmx and "events" in request.GET:
        context = {"operator": operator, "timeline": timeline, "now": timezone.now()}
        return render(request, "registry/partials/timeline_events.html", context)

    today = timezone.localdate()
    licences = [
        {"licence": licence, "state": expiry_state(licence.expires_on, today), "days_left": licence.days_left(today)}
        for licence in operator.licences.all()
    ]
    staff = None
    if user.has_perm("registry.view_staff"):
        full_ids = user.has_perm("registry.view_full_id_number")
        staff = [
            {
                "staff": member,
                "id_number": member.id_number if full_ids else member.masked_id_number,
                "certificate": expiry_state(member.health_certificate_expires_on, today),
            }
            for member in operator.staff.select_related("health_certificate_evidence").prefetch_related("training")
        ]
    context = {
        "operator": operator,
        "special_foods": [SpecialFood(code).label for code in operator.special_foods if code in SpecialFood.values],
        "licences": licences,
        "filings": operator.filings.all(),
        "staff": staff,
        "can_keep_staff": _can_keep_staff(user),
        "can_add_staff": user.has_perm("registry.add_staff") or user.has_perm("registry.change_operator"),
        "timeline": timeline,
        "now": timezone.now(),
        "public_links": _public_links(operator),
        "cards": file_cards_for(operator, user),
    }
    return render(request, "registry/operator_detail.html", context)


@login_required
def operator_new(request):
    _require_any(request.user, "registry.add_operator")
    form = OperatorForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            operator = operator_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Food business registered."))
            _warn(request, operator.credit_code_warnings, _("Credit code"))
            return redirect("operator-detail", pk=operator.pk)
    return render(request, "registry/operator_form.html", {"form": form, "operator": None})


@login_required
def operator_edit(request, pk):
    _require_any(request.user, "registry.change_operator")
    operator = operator_for(request, pk, "region__parent")
    form = OperatorForm(request.POST or None, instance=operator, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            operator_update(operator=operator, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Changes saved."))
            _warn(request, operator.credit_code_warnings, _("Credit code"))
            return redirect("operator-detail", pk=operator.pk)
    return render(request, "registry/operator_form.html", {"form": form, "operator": operator})


def _licence_form(request, operator: Operator, licence: Licence | None):
    form = LicenceForm(request.POST or None, instance=licence)
    if request.method == "POST" and form.is_valid():
        try:
            if licence is None:
                licence = licence_create(operator=operator, by=request.user, **form.cleaned_data)
            else:
                licence = licence_update(licence=licence, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Licence %(number)s saved.") % {"number": licence.number})
            _warn(request, licence.warnings, _("Licence %(number)s") % {"number": licence.number})
            return redirect(reverse("operator-detail", args=[operator.pk]) + "#licences")
    return render(request, "registry/licence_form.html", {"form": form, "operator": operator, "licence": licence})


@login_required
def licence_new(request, pk):
    _require_any(request.user, "registry.add_licence")
    return _licence_form(request, operator_for(request, pk, "region__parent"), None)


@login_required
def licence_edit(request, pk, licence_pk):
    _require_any(request.user, "registry.change_licence")
    licence = get_object_or_404(
        Licence.objects.visible_to(request.user).select_related("operator__region"), pk=licence_pk, operator_id=pk
    )
    return _licence_form(request, licence.operator, licence)


def _filing_form(request, operator: Operator, filing: Filing | None):
    form = FilingForm(request.POST or None, instance=filing)
    if request.method == "POST" and form.is_valid():
        try:
            if filing is None:
                filing = filing_create(operator=operator, by=request.user, **form.cleaned_data)
            else:
                filing = filing_update(filing=filing, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Filing %(number)s saved.") % {"number": filing.number})
            return redirect(reverse("operator-detail", args=[operator.pk]) + "#filings")
    return render(request, "registry/filing_form.html", {"form": form, "operator": operator, "filing": filing})


@login_required
def filing_new(request, pk):
    _require_any(request.user, "registry.add_filing")
    return _filing_form(request, operator_for(request, pk, "region__parent"), None)


@login_required
def filing_edit(request, pk, filing_pk):
    _require_any(request.user, "registry.change_filing")
    filing = get_object_or_404(
        Filing.objects.visible_to(request.user).select_related("operator__region"), pk=filing_pk, operator_id=pk
    )
    return _filing_form(request, filing.operator, filing)


def _visible_staff(request, pk, staff_pk) -> Staff:
    return get_object_or_404(
        Staff.objects.visible_to(request.user).select_related("operator__region"), pk=staff_pk, operator_id=pk
    )


def _staff_form(request, operator: Operator, staff: Staff | None):
    form = StaffForm(request.POST or None, instance=staff, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            if staff is None:
                staff = staff_create(operator=operator, by=request.user, **form.cleaned_data)
            else:
                staff = staff_update(staff=staff, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": staff.name})
            return redirect(reverse("operator-detail", args=[operator.pk]) + "#staff")
    return render(request, "registry/staff_form.html", {"form": form, "operator": operator, "staff": staff})


@login_required
def staff_new(request, pk):
    _require_any(request.user, "registry.add_staff", "registry.change_operator")
    return _staff_form(request, operator_for(request, pk, "region__parent"), None)


@login_required
def staff_edit(request, pk, staff_pk):
    _require_any(request.user, "registry.change_staff", "registry.change_operator")
    staff = _visible_staff(request, pk, staff_pk)
    return _staff_form(request, staff.operator, staff)


@login_required
@require_POST
def staff_active(request, pk, staff_pk, active: bool):
    _require_any(request.user, "registry.change_staff", "registry.change_operator")
    staff = _visible_staff(request, pk, staff_pk)
    if active:
        staff_reactivate(staff=staff, by=request.user)
        messages.success(request, _("%(name)s marked as working here again.") % {"name": staff.name})
    else:
        staff_deactivate(staff=staff, by=request.user)
        messages.success(request, _("%(name)s marked as no longer working here.") % {"name": staff.name})
    return redirect(reverse("operator-detail", args=[pk]) + "#staff")


@login_required
def staff_certificate(request, pk, staff_pk):
    _require_any(request.user, "registry.change_staff", "registry.change_operator")
    _require_any(request.user, "core.add_evidence")
    staff = _visible_staff(request, pk, staff_pk)
    form = HealthCertificateUploadForm(request.POST or None, request.FILES or None, user=request.user, staff=staff)
    if request.method == "POST" and form.is_valid():
        try:
            staff_health_certificate_upload(staff=staff, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, problems in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("Health certificate of %(name)s uploaded.") % {"name": staff.name})
            return redirect(reverse("operator-detail", args=[pk]) + "#staff")
    return render(
        request, "registry/staff_certificate_form.html", {"form": form, "operator": staff.operator, "staff": staff}
    )


urlpatterns = [
    path("new/", operator_new, name="operator-create"),
    path("<int:pk>/", operator_detail, name="operator-detail"),
    path("<int:pk>/edit/", operator_edit, name="operator-edit"),
    path("<int:pk>/licences/new/", licence_new, name="licence-create"),
    path("<int:pk>/licences/<int:licence_pk>/edit/", licence_edit, name="licence-edit"),
    path("<int:pk>/filings/new/", filing_new, name="filing-create"),
    path("<int:pk>/filings/<int:filing_pk>/edit/", filing_edit, name="filing-edit"),
    path("<int:pk>/staff/new/", staff_new, name="staff-create"),
    path("<int:pk>/staff/<int:staff_pk>/edit/", staff_edit, name="staff-edit"),
    path("<int:pk>/staff/<int:staff_pk>/deactivate/", staff_active, {"active": False}, name="staff-deactivate"),
    path("<int:pk>/staff/<int:staff_pk>/reactivate/", staff_active, {"active": True}, name="staff-reactivate"),
    path("<int:pk>/staff/<int:staff_pk>/health-certificate/", staff_certificate, name="staff-certificate"),
]
