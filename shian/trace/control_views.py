"""Pages of control orders and recalls: the bureau opens one from suspect lots and follows its 24-hour clock;
each holder acknowledges and reports from its phone; the order closes with a closure report."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shian.core.choices import UserKind
from shian.core.evidence.selectors import evidence_for
from shian.core.outcome import report
from shian.core.responses import pdf_response
from shian.sampling.models import Sample

from .choices import ControlStatus, HolderStatus
from .documents import closure_report_pdf
from .forms import ControlCloseForm, ControlOrderForm, ControlReportForm, RecallForm
from .models import ControlHolder, ControlOrder, Lot
from .rules import may_answer
from .selectors import TraceStartError, trace_start
from .services import control_acknowledge, control_close, control_order_open, control_report
from .services.control import is_bureau_of, missing


@login_required
@permission_required("trace.view_controlorder", raise_exception=True)
def control_list(request):
    orders = (
        ControlOrder.objects.visible_to(request.user)
        .annotate(
            holder_count=Count("holders", distinct=True),
            waiting=Count("holders", filter=Q(holders__status=HolderStatus.NOTIFIED), distinct=True),
        )
        .distinct()
        .order_by("-opened_at")
    )
    page = Paginator(orders, 30).get_page(request.GET.get("page"))
    return render(request, "trace/control_list.html", {"page": page, "now": timezone.now()})


def _lots(text: str) -> list[Lot]:
    lots = []
    for line in text.splitlines():
        if line.strip():
            try:
                start, _codes = trace_start(line)
            except TraceStartError as exc:
                raise ValidationError({"codes": str(exc)}) from None
            if not start:
                raise ValidationError({"codes": _("%(code)s is bound to no lot") % {"code": line.strip()}})
            lots += Lot.objects.filter(pk__in=start)
    return lots


@login_required
@permission_required("trace.add_controlorder", raise_exception=True)
def control_new(request):
    """Open a control order (a regulator) or a recall (a producer's staff)."""
    recall = request.user.kind == UserKind.BUSINESS
    form_class = RecallForm if recall else ControlOrderForm
    form = form_class(request.POST or None, initial={"codes": request.GET.get("lot", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            lots = _lots(data["codes"])
            if recall:
                producer = request.user.operator_memberships.select_related("operator").first().operator
                order = control_order_open(
                    by=request.user, lots=lots, source="producer", reason=data["reason"], producer=producer
                )
            else:
                sample = None
                if data["sample_code"]:
                    sample = Sample.objects.visible_to(request.user).filter(code=data["sample_code"]).first()
                    if sample is None:
                        raise ValidationError({"sample_code": _("No sample %(code)s.") % {"code": data["sample_code"]}})
                order = control_order_open(
                    by=request.user, lots=lots, source=data["source"], reason=data["reason"], sample=sample
                )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("%(number)s opened: every holder has been told.") % {"number": order.number})
            return redirect("control-detail", pk=order.pk)
    hours = settings.SHIAN_TRACE["CONTROL_HOURS"]
    return render(request, "trace/control_new.html", {"form": form, "recall": recall, "hours": hours})


@login_required
@permission_required("trace.view_controlorder", raise_exception=True)
def control_detail(request, pk):
    order = get_object_or_404(
        ControlOrder.objects.visible_to(request.user).distinct().select_related("region", "sample", "opened_by"), pk=pk
    )
    user = request.user
    holders = list(order.holders.select_related("location", "location__region", "lot", "lot__product", "operator"))
    own = set(user.operator_memberships.values_list("operator_id", flat=True))
    if user.kind == UserKind.BUSINESS:  # a holder sees its own rows, not the other holders
        holders = [h for h in holders if h.operator_id in own]
    bureau = user.kind == UserKind.REGULATOR and is_bureau_of(order, user)
    for holder in holders:
        holder.can_answer = order.status == ControlStatus.OPEN and may_answer(
            holder_operator=holder.operator_id, own_operators=own, is_bureau=bureau
        )
        holder.photos = evidence_for(holder)
        holder.upload_url = f"{reverse('evidence-upload')}?subject=trace.controlholder:{holder.pk}&next={request.path}"
    now = timezone.now()
    context = {
        "order": order,
        "holders": holders,
        "waiting": [h for h in holders if h.status == HolderStatus.NOTIFIED],
        "left": missing(order) if user.kind != UserKind.BUSINESS else [],
        "holder_view": user.kind == UserKind.BUSINESS,
        "bureau": bureau,
        "overdue": order.status == ControlStatus.OPEN and now > order.due_at,
        "remaining": divmod(max(int((order.due_at - now).total_seconds() // 60), 0), 60),
        "report_form": ControlReportForm(),
        "close_form": ControlCloseForm(),
    }
    return render(request, "trace/control_detail.html", context)


def _holder(request, pk, holder_pk) -> ControlHolder:
    order = get_object_or_404(ControlOrder.objects.visible_to(request.user).distinct(), pk=pk)
    return get_object_or_404(order.holders.select_related("order"), pk=holder_pk)


@require_POST
@login_required
def control_acknowledge_view(request, pk, holder_pk):
    holder = _holder(request, pk, holder_pk)
    report(
        request, lambda: control_acknowledge(holder=holder, by=request.user), _("Acknowledged: stop selling the lot.")
    )
    return redirect("control-detail", pk=pk)


@require_POST
@login_required
def control_report_view(request, pk, holder_pk):
    holder = _holder(request, pk, holder_pk)
    form = ControlReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        report(
            request,
            lambda: control_report(holder=holder, by=request.user, **form.cleaned_data),
            _("Reported. The bureau sees what you did."),
        )
    return redirect("control-detail", pk=pk)


@require_POST
@login_required
@permission_required("trace.change_controlorder", raise_exception=True)
def control_close_view(request, pk):
    order = get_object_or_404(ControlOrder.objects.visible_to(request.user).distinct(), pk=pk)
    form = ControlCloseForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("note", "")
    report(request, lambda: control_close(order=order, by=request.user, note=note), _("Closed."))
    return redirect("control-detail", pk=pk)


@login_required
@permission_required("trace.view_controlorder", raise_exception=True)
def control_report_pdf(request, pk):
    order = get_object_or_404(ControlOrder.objects.visible_to(request.user).distinct(), pk=pk)
    return pdf_response(closure_report_pdf(order), f"{order.number}.pdf")
