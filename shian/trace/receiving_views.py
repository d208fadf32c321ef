"""Pages of incoming checks (进货查验): receive a delivery on a phone, the supplier register, stock on hand, and
the deliveries checked (the bureau's findings: those refused)."""

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shian.core.choices import UserKind

from .choices import ReceiptStatus
from .forms import LedgerForm, ReceiptForm, SupplierForm
from .models import Receipt
from .selectors.stock import stock_on_hand, supplier_register
from .services.ledgers import purchases_import, sales_import
from .services.receiving import delivered_lot, receipt_record, supplier_add


def _operator(request):
    """The business the user acts for (its first membership): these pages are a business's own."""
    if request.user.kind != UserKind.BUSINESS:
        raise Http404
    membership = request.user.operator_memberships.select_related("operator").first()
    if membership is None:
        raise Http404
    return membership.operator


@login_required
@permission_required("trace.add_traceevent", raise_exception=True)
def receive(request):
    operator = _operator(request)
    form = ReceiptForm(request.POST or None, request.FILES or None, operator=operator)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                lot = delivered_lot(
                    supplier=data["supplier"],
                    codes=data["codes"],
                    product_name=data["product_name"],
                    batch=data["batch"],
                    product_class=data["product_class"],
                )
                if lot is None:
                    raise ValidationError(
                        _("No code you scanned is bound to a lot: give the product and its batch number.")
                    )
                receipt = receipt_record(
                    operator=operator,
                    supplier=data["supplier"],
                    lot=lot,
                    quantity=data["quantity"],
                    unit=data["unit"],
                    codes=data["codes"],
                    papers=form.papers(),
                    by=request.user,
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if receipt.status == ReceiptStatus.ACCEPTED:
                messages.success(request, _("Accepted: %(lot)s is in your stock.") % {"lot": receipt.lot})
            else:
                messages.error(request, _("Refused: ") + "；".join(receipt.problems))
            return redirect("receipt-list")
    return render(request, "trace/receive.html", {"form": form, "operator": operator})


@login_required
@permission_required("trace.view_traceevent", raise_exception=True)
def receipt_list(request):
    """Deliveries checked: a business's own; for the bureau, its jurisdiction's (refused ones first: findings)."""
    receipts = Receipt.objects.visible_to(request.user).select_related("operator", "supplier", "lot", "lot__product")
    status = request.GET.get("status", "")
    if status in ReceiptStatus.values:
        receipts = receipts.filter(status=status)
    page = Paginator(receipts.order_by("-received_at"), 30).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "ledger_form": LedgerForm()}
    return render(request, "trace/receipt_list.html", context)


@login_required
@permission_required("trace.add_traceevent", raise_exception=True)
def supplier_list(request):
    operator = _operator(request)
    form = SupplierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        supplier = supplier_add(operator=operator, by=request.user, **form.cleaned_data)
        messages.success(request, _("%(name)s is in your register.") % {"name": supplier.name})
        return redirect("supplier-list")
    context = {"suppliers": supplier_register(operator), "form": form, "operator": operator}
    return render(request, "trace/supplier_list.html", context)


@login_required
@permission_required("trace.add_traceevent", raise_exception=True)
def stock(request):
    operator = _operator(request)
    return render(request, "trace/stock.html", {"rows": stock_on_hand(operator), "operator": operator})


@require_POST
@login_required
@permission_required("trace.add_traceevent", raise_exception=True)
def ledger_upload(request):
    """A purchase or sales ledger uploaded as CSV or XLSX (whole or not at all; every bad row reported)."""
    operator = _operator(request)
    form = LedgerForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("receipt-list")
    upload = form.cleaned_data["file"]
    run = purchases_import if form.cleaned_data["kind"] == "purchases" else sales_import
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(upload.name).name
        with path.open("wb") as f:
            for chunk in upload.chunks():
                f.write(chunk)
        try:
            result = run(operator=operator, by=request.user, path=path)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("receipt-list")
    if result.errors:
        messages.error(request, _("Nothing was written: ") + "；".join(result.errors[:20]))
    else:
        messages.success(
            request,
            _("%(rows)d rows: %(accepted)d recorded, %(refused)d refused.")
            % {"rows": result.rows, "accepted": result.accepted, "refused": len(result.refused)},
        )
        for refusal in result.refused[:20]:
            messages.warning(request, refusal)
    return redirect("receipt-list")
