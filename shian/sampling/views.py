"""Pages of sampling: the samples list, the sampling form, a sample's page with what each party may do next, the
notice PDF, and the public list of results. Each view validates input and calls one service."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shian.core.choices import UserKind
from shian.core.evidence.selectors import evidence_for
from shian.core.exports import FORMATS, export_response
from shian.core.outcome import report
from shian.core.responses import pdf_response
from shian.registry.models import Operator

from .choices import DisposalStatus, ResultSource, RetestStatus, SampleStatus, TaskStatus, Verdict
from .documents import result_notice_pdf
from .forms import (
    ConclusionForm,
    DisposalOrderForm,
    DisposalReportForm,
    DisposalVerifyForm,
    ResultRowFormSet,
    RetestApplyForm,
    RetestDecideForm,
    SampleFilterForm,
    SampleForm,
)
from .labrows import LabRow
from .models import Disposal, Retest, Sample, SamplingTask, TestItem
from .selectors import public_samples
from .services import (
    disposal_order,
    disposal_report,
    disposal_verify,
    results_record,
    retest_apply,
    retest_decide,
    retest_results_record,
    sample_notify,
    sample_receive,
    sample_record,
)


def _sample(request, pk) -> Sample:
    found = Sample.objects.visible_to(request.user).select_related("operator", "category", "lab", "agency")
    return get_object_or_404(found, pk=pk)


def _form_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _listed(request):
    samples = Sample.objects.visible_to(request.user).select_related("operator", "category", "lab")
    filters = SampleFilterForm(request.GET or None)
    if filters.is_valid():
        if filters.cleaned_data["status"]:
            samples = samples.filter(status=filters.cleaned_data["status"])
        if filters.cleaned_data["verdict"]:
            samples = samples.filter(final_verdict=filters.cleaned_data["verdict"])
    return samples, filters


EXPORT_HEADERS = [
    "样品编号",
    "样品名称",
    "食品类别",
    "商标",
    "批号",
    "被抽样单位",
    "标称生产者",
    "抽样时间",
    "检验机构",
    "状态",
    "检验结论",
    "最终结论",
]


@login_required
@permission_required("sampling.view_sample", raise_exception=True)
def sample_export(request, fmt):
    """The samples list as the user filtered it, as CSV or XLSX (Chinese headers: a file reads the same
    everywhere)."""
    if fmt not in FORMATS:
        return HttpResponse(status=404)
    samples, _filters = _listed(request)
    rows = (
        [
            s.code,
            s.product_name,
            s.category.name,
            s.brand,
            s.batch_no,
            s.operator.name,
            s.producer_name,
            timezone.localtime(s.sampled_at).strftime("%Y-%m-%d %H:%M"),
            s.lab.name,
            s.get_status_display(),
            s.get_verdict_display(),
            s.get_final_verdict_display(),
        ]
        for s in samples.iterator(chunk_size=2000)
    )
    return export_response(fmt=fmt, filename="samples", headers=EXPORT_HEADERS, rows=rows)


@login_required
@permission_required("sampling.view_sample", raise_exception=True)
def sample_list(request):
    samples, filters = _listed(request)
    page = Paginator(samples, 30).get_page(request.GET.get("page"))
    context = {"page": page, "filters": filters, "today": timezone.localdate()}
    return render(request, "sampling/sample_list.html", context)


@login_required
@permission_required("sampling.add_sample", raise_exception=True)
def sample_new(request, operator_pk):
    operator = get_object_or_404(Operator.objects.visible_to(request.user), pk=operator_pk)
    task = None
    if request.GET.get("task", "").isdigit():
        tasks = SamplingTask.objects.visible_to(request.user).filter(operator=operator, status=TaskStatus.OPEN)
        task = get_object_or_404(tasks, pk=request.GET["task"])
    initial = {"category": task.category_id} if task else None
    form = SampleForm(request.POST or None, operator=operator, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            sample = sample_record(
                by=request.user,
                operator=operator,
                samplers=[request.user, *data.pop("samplers")],
                task=task,
                **data,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Sample %(code)s recorded.") % {"code": sample.code})
            return redirect("sample-detail", pk=sample.pk)
    return render(request, "sampling/sample_new.html", {"operator": operator, "form": form, "task": task})


def _is_member(user, *operator_ids) -> bool:
    ids = [pk for pk in operator_ids if pk]
    return user.kind == UserKind.BUSINESS and user.operator_memberships.filter(operator__in=ids).exists()


def _of_lab(user, lab_id) -> bool:
    return user.kind == UserKind.LAB and user.lab_memberships.filter(lab=lab_id).exists()


def _item_rows(sample: Sample) -> list[dict]:
    return [
        {"analyte": item.analyte.name, "value": "", "unit": "", "lod": "", "loq": "", "method": item.method}
        for item in TestItem.objects.filter(category=sample.category).select_related("analyte")
    ]


def _upload_url(subject: str, subject_pk: int, sample_pk: int) -> str:
    back = reverse("sample-detail", args=[sample_pk])
    return f"{reverse('evidence-upload')}?subject={subject}:{subject_pk}&next={back}"


@login_required
@permission_required("sampling.view_sample", raise_exception=True)
def sample_detail(request, pk):
    sample = _sample(request, pk)
    user = request.user
    retest = Retest.objects.filter(sample=sample).select_related("lab").first()
    disposal = Disposal.objects.filter(sample=sample).first()
    failed_and_served = sample.status == SampleStatus.FAILED and sample.notified_at is not None
    is_bureau = user.kind == UserKind.REGULATOR and user.has_perm("sampling.change_sample")
    reporting = _of_lab(user, sample.lab_id) and sample.status in (SampleStatus.SAMPLED, SampleStatus.TESTING)
    retesting = retest is not None and retest.status == RetestStatus.TESTING and _of_lab(user, retest.lab_id)
    context = {
        "sample": sample,
        "results": sample.results.filter(retest=None).select_related("analyte"),
        "retest": retest,
        "retest_results": retest.results.all() if retest else [],
        "disposal": disposal,
        "today": timezone.localdate(),
        "can_receive": reporting and sample.status == SampleStatus.SAMPLED,
        "results_formset": ResultRowFormSet(initial=_item_rows(sample), prefix="rows")
        if reporting or retesting
        else None,
        "conclusion_form": ConclusionForm(initial={"concluded_on": timezone.localdate()}),
        "retesting": retesting,
        "can_notify": is_bureau and sample.status == SampleStatus.FAILED and sample.notified_at is None,
        "apply_form": RetestApplyForm()
        if failed_and_served
        and retest is None
        and _is_member(user, sample.operator_id, sample.producer_id)
        and user.has_perm("sampling.add_retest")
        else None,
        "decide_form": RetestDecideForm() if is_bureau and retest and retest.status == RetestStatus.APPLIED else None,
        "order_form": DisposalOrderForm() if is_bureau and failed_and_served and disposal is None else None,
        "report_form": DisposalReportForm()
        if disposal
        and disposal.status in (DisposalStatus.ORDERED, DisposalStatus.RETURNED)
        and _is_member(user, sample.operator_id)
        else None,
        "verify_form": DisposalVerifyForm()
        if is_bureau and disposal and disposal.status == DisposalStatus.REPORTED
        else None,
        "show_notice": sample.status == SampleStatus.FAILED and (sample.notified_at is not None or is_bureau),
        "photos": evidence_for(sample),
        "photo_upload_url": _upload_url("sampling.sample", sample.pk, pk)
        if is_bureau and user.has_perm("core.add_evidence")
        else "",
        "disposal_evidence": evidence_for(disposal) if disposal else [],
        "disposal_upload_url": _upload_url("sampling.disposal", disposal.pk, pk)
        if disposal and _is_member(user, sample.operator_id) and user.has_perm("core.add_evidence")
        else "",
    }
    return render(request, "sampling/sample_detail.html", context)


@require_POST
@login_required
@permission_required("sampling.report_results", raise_exception=True)
def sample_receive_view(request, pk):
    sample = _sample(request, pk)
    report(request, lambda: sample_receive(sample=sample, by=request.user), _("Sample received."))
    return redirect("sample-detail", pk=pk)


@require_POST
@login_required
@permission_required("sampling.report_results", raise_exception=True)
def sample_results_view(request, pk):
    sample = _sample(request, pk)
    rows = ResultRowFormSet(request.POST, prefix="rows")
    conclusion = ConclusionForm(request.POST)
    if not rows.is_valid() or not conclusion.is_valid():
        messages.error(request, _("Fill in each test item's result."))
        return redirect("sample-detail", pk=pk)
    lab_rows = [LabRow(**row) for row in rows.cleaned_data if row.get("value")]
    day = conclusion.cleaned_data["concluded_on"]
    retest = Retest.objects.filter(sample=sample, status=RetestStatus.TESTING).first()
    if retest is not None and _of_lab(request.user, retest.lab_id):
        call = partial(
            retest_results_record,
            retest=retest,
            rows=lab_rows,
            by=request.user,
            concluded_on=day or timezone.localdate(),
        )
    else:
        call = partial(
            results_record, sample=sample, rows=lab_rows, by=request.user, source=ResultSource.WEB, concluded_on=day
        )
    report(request, call, _("Results recorded."))
    return redirect("sample-detail", pk=pk)


@require_POST
@login_required
@permission_required("sampling.change_sample", raise_exception=True)
def sample_notify_view(request, pk):
    sample = _sample(request, pk)
    report(request, lambda: sample_notify(sample=sample, by=request.user), _("The result was served."))
    return redirect("sample-detail", pk=pk)


@login_required
@permission_required("sampling.view_sample", raise_exception=True)
def sample_notice_pdf(request, pk):
    sample = _sample(request, pk)
    if sample.status != SampleStatus.FAILED:
        return HttpResponse(status=404)
    return pdf_response(result_notice_pdf(sample), f"notice-{sample.code}.pdf")


def _post_form(request, form_class, call, success: str) -> None:
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return
    report(request, lambda: call(**form.cleaned_data), success)


@require_POST
@login_required
@permission_required("sampling.add_retest", raise_exception=True)
def retest_apply_view(request, pk):
    sample = _sample(request, pk)
    _post_form(
        request,
        RetestApplyForm,
        lambda **data: retest_apply(sample=sample, by=request.user, **data),
        _("Re-test applied for."),
    )
    return redirect("sample-detail", pk=pk)


@require_POST
@login_required
@permission_required("sampling.change_retest", raise_exception=True)
def retest_decide_view(request, pk):
    sample = _sample(request, pk)
    retest = get_object_or_404(Retest, sample=sample)
    _post_form(
        request,
        RetestDecideForm,
        lambda **data: retest_decide(retest=retest, by=request.user, **data),
        _("Decision recorded."),
    )
    return redirect("sample-detail", pk=pk)


@require_POST
@login_required
@permission_required("sampling.add_disposal", raise_exception=True)
def disposal_order_view(request, pk):
    sample = _sample(request, pk)
    _post_form(
        request,
        DisposalOrderForm,
        lambda **data: disposal_order(sample=sample, by=request.user, **data),
        _("Follow-up handling ordered."),
    )
    return redirect("sample-detail", pk=pk)


@require_POST
@login_required
@permission_required("sampling.report_disposal", raise_exception=True)
def disposal_report_view(request, pk):
    disposal = get_object_or_404(Disposal, sample=_sample(request, pk))
    _post_form(
        request,
        DisposalReportForm,
        lambda **data: disposal_report(disposal=disposal, by=request.user, **data),
        _("Handling reported."),
    )
    return redirect("sample-detail", pk=pk)


@require_POST
@login_required
@permission_required("sampling.change_disposal", raise_exception=True)
def disposal_verify_view(request, pk):
    disposal = get_object_or_404(Disposal, sample=_sample(request, pk))
    _post_form(
        request,
        DisposalVerifyForm,
        lambda **data: disposal_verify(disposal=disposal, by=request.user, **data),
        _("Verification recorded."),
    )
    return redirect("sample-detail", pk=pk)


def _day(text: str):
    try:
        return parse_date(text.strip())
    except ValueError:  # well formed but no such day (2026-02-30)
        return None


def public_results(request):
    """The public list of sampling results (抽检信息公告): food, business, region, date and the final verdict."""
    samples = public_samples(
        category=request.GET.get("food", "").strip(),
        region=request.GET.get("region", "").strip(),
        verdict=request.GET.get("verdict", "") if request.GET.get("verdict") in Verdict.values else "",
        sampled_from=_day(request.GET.get("from", "")),
        sampled_to=_day(request.GET.get("to", "")),
    )
    page = Paginator(samples, 50).get_page(request.GET.get("page"))
    return render(request, "sampling/public_results.html", {"page": page, "verdicts": Verdict.choices[:2]})
