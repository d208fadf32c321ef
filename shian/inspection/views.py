from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shian.core.models import Evidence
from shian.core.outcome import report
from shian.core.responses import pdf_response
from shian.registry.models import Operator

from .choices import InspectionStatus, Outcome, RectificationStatus
from .documents import rectification_order_pdf, result_record_pdf
from .forms import AnswerForm, FinishForm, InspectionStartForm, RectificationForm, SubmitForm, VerifyForm
from .models import Inspection, ItemResult, Rectification
from .selectors import inspections_for, measures, overdue_publications, rectifications_for
from .services import (
    inspection_answer,
    inspection_finish,
    inspection_publish,
    inspection_start,
    order_evidence,
    rectification_issue,
    rectification_submit,
    rectification_verify,
)


def _form_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _inspection(request, pk) -> Inspection:
    return get_object_or_404(inspections_for(user=request.user).select_related("template"), pk=pk)


def _is_inspector(request, inspection: Inspection) -> bool:
    return inspection.inspectors.filter(pk=request.user.pk).exists()


@login_required
@permission_required("inspection.view_inspection", raise_exception=True)
def inspection_list(request):
    inspections = inspections_for(user=request.user)
    status, result = request.GET.get("status", ""), request.GET.get("result", "")
    if status in InspectionStatus.values:
        inspections = inspections.filter(status=status)
    if result:
        inspections = inspections.filter(result=result)
    if request.GET.get("overdue") == "publication":
        inspections = overdue_publications(user=request.user, today=timezone.localdate())
    page = Paginator(inspections, 30).get_page(request.GET.get("page"))
    return render(request, "inspection/inspection_list.html", {"page": page, "today": timezone.localdate()})


@login_required
@permission_required("inspection.add_inspection", raise_exception=True)
def inspection_new(request, operator_pk):
    operator = get_object_or_404(Operator.objects.visible_to(request.user), pk=operator_pk)
    form = InspectionStartForm(request.POST or None, operator=operator, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = inspection_start(
                operator=operator,
                by=request.user,
                inspectors=list(form.cleaned_data["inspectors"]),
                kind=form.cleaned_data["kind"],
                is_lead=form.cleaned_data["is_lead"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return redirect("inspection-detail", pk=inspection.pk)
    return render(request, "inspection/inspection_new.html", {"operator": operator, "form": form})


def _sections(inspection: Inspection) -> list[dict]:
    sections: list[dict] = []
    evidence = {}
    answer_type = ContentType.objects.get_for_model(ItemResult)
    for item in Evidence.objects.filter(
        subject_type=answer_type, subject_id__in=[str(pk) for pk in inspection.answers.values_list("pk", flat=True)]
    ):
        evidence.setdefault(item.subject_id, []).append(item)
    for answer in inspection.answers.select_related("item").order_by("item__order"):
        answer.photos = evidence.get(str(answer.pk), [])
        if not sections or sections[-1]["code"] != answer.item.section_code:
            sections.append({"code": answer.item.section_code, "title": answer.item.section_title, "answers": []})
        sections[-1]["answers"].append(answer)
    return sections


def _detail_context(request, inspection: Inspection, finish_form: FinishForm | None = None) -> dict:
    editing = inspection.status == InspectionStatus.IN_PROGRESS and _is_inspector(request, inspection)
    answers = list(inspection.answers.all())
    return {
        "inspection": inspection,
        "sections": _sections(inspection),
        "editing": editing,
        "unanswered": sum(1 for a in answers if not a.outcome),
        "failed": sum(1 for a in answers if a.outcome == Outcome.NO),
        "rectifications": inspection.rectifications.all(),
        "inspectors": inspection.inspectors.all(),
        "finish_form": (finish_form or FinishForm()) if editing else None,
        "today": timezone.localdate(),
        "outcomes": Outcome.choices,
    }


@login_required
@permission_required("inspection.view_inspection", raise_exception=True)
def inspection_detail(request, pk):
    inspection = _inspection(request, pk)
    return render(request, "inspection/inspection_detail.html", _detail_context(request, inspection))


@login_required
@require_POST
@permission_required("inspection.change_inspection", raise_exception=True)
def inspection_answer_view(request, pk, answer_pk):
    inspection = _inspection(request, pk)
    if not _is_inspector(request, inspection):
        raise PermissionDenied
    answer = get_object_or_404(inspection.answers.select_related("item", "inspection"), pk=answer_pk)
    form = AnswerForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            inspection_answer(answer=answer, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = _("Choose yes, no or not applicable.")
    if request.htmx:
        answer.photos = list(
            Evidence.objects.filter(
                subject_type=ContentType.objects.get_for_model(ItemResult), subject_id=str(answer.pk)
            )
        )
        context = {
            "answer": answer,
            "inspection": inspection,
            "editing": True,
            "error": error,
            "outcomes": Outcome.choices,
        }
        return render(request, "inspection/partials/answer_row.html", context)
    if error:
        messages.error(request, error)
    return redirect(reverse("inspection-detail", args=[inspection.pk]) + f"#answer-{answer.pk}")


@login_required
@require_POST
@permission_required("inspection.change_inspection", raise_exception=True)
def inspection_finish_view(request, pk):
    inspection = _inspection(request, pk)
    if not _is_inspector(request, inspection):
        raise PermissionDenied
    form = FinishForm(request.POST)
    if form.is_valid():
        try:
            inspection_finish(inspection=inspection, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Inspection finished: hand over the result record."))
            return redirect("inspection-detail", pk=inspection.pk)
    context = _detail_context(request, inspection, form)
    return render(request, "inspection/inspection_detail.html", context, status=400)


@login_required
@require_POST
@permission_required("inspection.publish_inspection", raise_exception=True)
def inspection_publish_view(request, pk):
    inspection = _inspection(request, pk)
    report(
        request,
        lambda: inspection_publish(inspection=inspection, by=request.user),
        _("The result is published on the business's public page."),
    )
    return redirect("inspection-detail", pk=inspection.pk)


@login_required
@permission_required("inspection.view_inspection", raise_exception=True)
def inspection_record_pdf(request, pk):
    inspection = _inspection(request, pk)
    if not inspection.is_finished:
        raise PermissionDenied
    return pdf_response(result_record_pdf(inspection), f"inspection-{inspection.pk}.pdf")


@login_required
@permission_required("inspection.add_rectification", raise_exception=True)
def rectification_new(request, pk):
    inspection = _inspection(request, pk)
    if not _is_inspector(request, inspection):
        raise PermissionDenied
    failed = inspection.answers.filter(outcome=Outcome.NO).select_related("item")
    evidence = Evidence.objects.visible_to(request.user).filter(
        operator=inspection.operator, uploaded_by=request.user, uploaded_at__gte=inspection.started_at
    )
    form = RectificationForm(
        request.POST or None, answers=failed, evidence=evidence, initial={"answers": failed, "kind": "deadline"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            order = rectification_issue(
                inspection=inspection,
                by=request.user,
                kind=form.cleaned_data["kind"],
                answers=list(form.cleaned_data["answers"]),
                requirement=form.cleaned_data["requirement"],
                working_days=form.cleaned_data["working_days"],
                evidence=list(form.cleaned_data["evidence"]),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return redirect("rectification-detail", pk=order.pk)
    return render(request, "inspection/rectification_new.html", {"inspection": inspection, "form": form})


@login_required
@permission_required("inspection.view_rectification", raise_exception=True)
def rectification_list(request):
    orders = rectifications_for(user=request.user)
    today = timezone.localdate()
    status = request.GET.get("status", "")
    if status in RectificationStatus.values:
        orders = orders.filter(status=status)
    if request.GET.get("overdue"):
        orders = orders.overdue(today)
    page = Paginator(orders, 30).get_page(request.GET.get("page"))
    return render(request, "inspection/rectification_list.html", {"page": page, "today": today})


def _order(request, pk) -> Rectification:
    return get_object_or_404(rectifications_for(user=request.user), pk=pk)


@login_required
@permission_required("inspection.view_rectification", raise_exception=True)
def rectification_detail(request, pk):
    order = _order(request, pk)
    user = request.user
    can_submit = user.has_perm("inspection.submit_rectification") and order.can_become(RectificationStatus.SUBMITTED)
    can_verify = user.has_perm("inspection.change_rectification") and order.can_become(RectificationStatus.CLOSED)
    context = {
        "order": order,
        "steps": order.steps.select_related("by"),
        "evidence": order_evidence(order).order_by("uploaded_at"),
        "answers": order.answers.select_related("item"),
        "submit_form": SubmitForm() if can_submit else None,
        "verify_form": VerifyForm() if can_verify else None,
        "overdue": order.is_overdue(timezone.localdate()),
        "upload_url": reverse("evidence-upload")
        + f"?subject=inspection.rectification:{order.pk}&next={reverse('rectification-detail', args=[order.pk])}",
    }
    return render(request, "inspection/rectification_detail.html", context)


@login_required
@require_POST
@permission_required("inspection.submit_rectification", raise_exception=True)
def rectification_submit_view(request, pk):
    order = _order(request, pk)
    form = SubmitForm(request.POST)
    if form.is_valid():
        report(
            request,
            lambda: rectification_submit(order=order, by=request.user, **form.cleaned_data),
            _("Your fix was reported to the inspector."),
        )
    else:
        messages.error(request, _("Describe what was done."))
    return redirect("rectification-detail", pk=order.pk)


@login_required
@require_POST
@permission_required("inspection.change_rectification", raise_exception=True)
def rectification_verify_view(request, pk):
    order = _order(request, pk)
    form = VerifyForm(request.POST)
    if form.is_valid():
        report(
            request,
            lambda: rectification_verify(order=order, by=request.user, **form.cleaned_data),
            _("Verdict recorded."),
        )
    else:
        messages.error(request, _("Choose accept or return."))
    return redirect("rectification-detail", pk=order.pk)


@login_required
@permission_required("inspection.view_rectification", raise_exception=True)
def rectification_notice_pdf(request, pk):
    order = _order(request, pk)
    if order.inspection_id is None:
        raise Http404  # a business's own order for its self-inspection has no notice
    return pdf_response(rectification_order_pdf(order), f"rectification-{order.pk}.pdf")


@login_required
@permission_required("inspection.view_inspection", raise_exception=True)
def measures_view(request):
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, 2000), 2100)
    region = request.GET.get("region") or None
    data = measures(user=request.user, region=region, year=year, today=today)
    return render(request, "inspection/measures.html", {"m": data, "year": year})
