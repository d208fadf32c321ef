"""Pages of rapid tests (快检): the list and statistics, recording a batch from a phone, and a test's page with
the business's objection and the bureau's follow-up."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shian.core.choices import UserKind
from shian.core.exports import FORMATS, export_response
from shian.core.outcome import report
from shian.registry.models import Operator

from .choices import RapidResult, ResultSource
from .forms import RapidBatchForm, RapidFollowUpForm, RapidObjectionForm, RapidRowFormSet
from .models import RapidTest, Sample
from .rules import rapid_objection_open
from .selectors import rapid_stats
from .services import rapid_follow_up, rapid_objection, rapid_tests_record


def _listed(request):
    tests = RapidTest.objects.visible_to(request.user).select_related("operator")
    if request.GET.get("result") in RapidResult.values:
        tests = tests.filter(result=request.GET["result"])
    if request.GET.get("awaiting") == "1":
        tests = tests.awaiting_follow_up()
    return tests


@login_required
@permission_required("sampling.view_rapidtest", raise_exception=True)
def rapid_export(request, fmt):
    """The rapid tests the list shows, as CSV or XLSX, in the import file's columns plus the follow-up."""
    if fmt not in FORMATS:
        return HttpResponse(status=404)
    headers = [
        "经营主体",
        "经营主体名称",
        "样品名称",
        "检测项目",
        "检测方法",
        "检测结果",
        "检测值",
        "检测人员",
        "检测时间",
        "食用农产品",
        "后续处置",
    ]
    rows = (
        [
            t.operator_id,
            t.operator.name,
            t.product_name,
            t.item,
            t.method,
            t.get_result_display(),
            t.reading,
            t.tester,
            timezone.localtime(t.tested_at).strftime("%Y-%m-%d %H:%M"),
            "是" if t.farm_produce else "否",
            t.get_follow_up_display(),
        ]
        for t in _listed(request).iterator(chunk_size=2000)
    )
    return export_response(fmt=fmt, filename="rapid-tests", headers=headers, rows=rows)


@login_required
@permission_required("sampling.view_rapidtest", raise_exception=True)
def rapid_list(request):
    tests = _listed(request)
    context = {"page": Paginator(tests, 50).get_page(request.GET.get("page"))}
    if request.user.kind == UserKind.REGULATOR or request.user.is_superuser:
        since = timezone.localdate() - datetime.timedelta(days=90)
        context["stats"] = rapid_stats(RapidTest.objects.visible_to(request.user).filter(tested_at__date__gte=since))
    return render(request, "sampling/rapid_list.html", context)


@login_required
@permission_required("sampling.add_rapidtest", raise_exception=True)
def rapid_new(request, operator_pk):
    operator = get_object_or_404(Operator.objects.visible_to(request.user), pk=operator_pk)
    batch = RapidBatchForm(request.POST or None, initial={"tester": request.user.display_name, "farm_produce": True})
    rows = RapidRowFormSet(request.POST or None, prefix="rows")
    problems = []
    if request.method == "POST" and batch.is_valid() and rows.is_valid():
        common = batch.cleaned_data
        raw = [
            (
                n,
                {
                    "operator": str(operator.pk),
                    "tester": common["tester"],
                    "farm_produce": "是" if common["farm_produce"] else "否",
                    **row,
                },
            )
            for n, row in enumerate((r for r in rows.cleaned_data if r), start=1)
        ]
        recorded = rapid_tests_record(rows=raw, by=request.user, source=ResultSource.WEB)
        problems = recorded.problems
        if not problems:
            messages.success(request, _("%(n)d rapid tests recorded.") % {"n": len(recorded.recorded)})
            return redirect("rapid-list")
    context = {"operator": operator, "batch": batch, "rows": rows, "problems": problems}
    return render(request, "sampling/rapid_new.html", context)


@login_required
@permission_required("sampling.view_rapidtest", raise_exception=True)
def rapid_detail(request, pk):
    test = get_object_or_404(RapidTest.objects.visible_to(request.user).select_related("operator", "sample"), pk=pk)
    user = request.user
    is_member = user.kind == UserKind.BUSINESS and user.operator_memberships.filter(operator=test.operator_id).exists()
    can_object = (
        is_member
        and test.result == RapidResult.POSITIVE
        and test.objected_at is None
        and rapid_objection_open(tested_at=test.tested_at, now=timezone.now(), farm_produce=test.farm_produce)
    )
    can_follow_up = (
        user.has_perm("sampling.change_rapidtest") and test.result == RapidResult.POSITIVE and not test.follow_up
    )
    context = {
        "test": test,
        "objection_form": RapidObjectionForm() if can_object else None,
        "follow_up_form": RapidFollowUpForm(operator=test.operator) if can_follow_up else None,
    }
    return render(request, "sampling/rapid_detail.html", context)


@require_POST
@login_required
@permission_required("sampling.add_rapidtest", raise_exception=True)
def rapid_object_view(request, pk):
    test = get_object_or_404(RapidTest.objects.visible_to(request.user), pk=pk)
    form = RapidObjectionForm(request.POST)
    if form.is_valid():
        report(
            request,
            lambda: rapid_objection(test=test, by=request.user, **form.cleaned_data),
            _("Objection recorded: the bureau will arrange a lab re-test."),
        )
    return redirect("rapid-detail", pk=pk)


@require_POST
@login_required
@permission_required("sampling.change_rapidtest", raise_exception=True)
def rapid_follow_up_view(request, pk):
    test = get_object_or_404(RapidTest.objects.visible_to(request.user), pk=pk)
    form = RapidFollowUpForm(request.POST, operator=test.operator)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        data = form.cleaned_data
        sample = Sample.objects.visible_to(request.user).filter(code=data["sample_code"]).first()
        if data["sample_code"] and sample is None:
            messages.error(request, _("No sample %(code)s.") % {"code": data["sample_code"]})
        else:
            try:
                rapid_follow_up(
                    test=test, by=request.user, follow_up=data["follow_up"], note=data["note"], sample=sample
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Follow-up recorded."))
    return redirect("rapid-detail", pk=pk)
