"""Incoming checks (进货查验): a delivery checked against what its product class requires, then accepted as a
receiving event on the trace, or refused with its reasons and shown to the bureau as a finding."""

import datetime
import hashlib
import uuid
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shian.core.models import User
from shian.core.services.audit import audit_record, snapshot
from shian.core.services.ledger import ledger_append
from shian.core.services.notifications import notify
from shian.core.services.recipients import bureau_of
from shian.registry.models import Operator

from ..choices import ReceiptStatus
from ..epcis.documents import capture_document
from ..epcis.reading import zone_offset
from ..epcis.units import uom
from ..models import DocumentKind, Location, Lot, Product, ProductClass, Receipt, Supplier, TraceCode, TraceDocument
from ..rules import Paper, Requirement, receipt_problems
from .capture import epcis_capture
from .sites import operator_site

# CBV business transaction types of the delivery papers that have one (CBV 2.0 §8.5).
_TRANSACTION_TYPES = {"invoice": "inv", "outbound-slip": "desadv"}


@dataclass
class PaperIn:
    """A paper handed over with a delivery, as the form or the ledger gives it."""

    kind: DocumentKind
    number: str
    issuer: str = ""
    issued_on: datetime.date | None = None
    valid_until: datetime.date | None = None
    file: object = None  # an uploaded file


def supplier_location(supplier: Supplier) -> Location:
    """The supplier's place on the trace: its site when it is on the platform, else an outside party."""
    if supplier.location_id:
        return supplier.location
    if supplier.supplier_operator_id:
        location = operator_site(supplier.supplier_operator)
    else:
        key = supplier.credit_code or f"{supplier.operator.public_id}-{supplier.pk}"
        location, _created = Location.objects.get_or_create(
            identifier=f"urn:shian:party:{key}", defaults={"name": supplier.name}
        )
    supplier.location = location
    supplier.save(update_fields=["location"])
    return location


def local_lot(*, supplier: Supplier, product_name: str, batch: str, product_class: ProductClass | None) -> Lot:
    """The lot a delivery without a GS1 code names by its supplier, product and batch number: the same lot for
    every buyer of that supplier's batch (the supplier's credit code keys it)."""
    key = supplier.credit_code or f"{supplier.operator.public_id}-{supplier.pk}"
    product, _created = Product.objects.get_or_create(
        code=f"{key}:{product_name}", defaults={"name": product_name, "product_class": product_class}
    )
    if product_class and product.product_class_id != product_class.pk:
        product.product_class = product_class
        product.save(update_fields=["product_class"])
    lot, _created = Lot.objects.get_or_create(
        identifier=f"urn:shian:lot:{key}:{quote(product_name, safe='')}:{quote(batch, safe='')}",
        defaults={"product": product, "lot_code": batch},
    )
    return lot


def coded_lot(codes: list[str]) -> Lot | None:
    """The lot of the first of these trace codes that is bound to one."""
    code = TraceCode.objects.filter(code__in=codes, lot__isnull=False).select_related("lot").first()
    return code.lot if code else None


def delivered_lot(
    *,
    supplier: Supplier,
    codes: list[str],
    product_name: str = "",
    batch: str = "",
    product_class: ProductClass | None = None,
    expiry_date: datetime.date | None = None,
) -> Lot | None:
    """The lot a delivery names: by its product and batch (the supplier's local lot, its expiry noted when first
    given), else by its trace codes; None when neither names one."""
    if not (product_name and batch):
        return coded_lot(codes)
    lot = local_lot(supplier=supplier, product_name=product_name, batch=batch, product_class=product_class)
    if expiry_date and lot.expiry_date is None:
        lot.expiry_date = expiry_date
        lot.save(update_fields=["expiry_date"])
    return lot


def _store_paper(
    paper: PaperIn, *, operator: Operator, lot: Lot | None, supplier: Supplier, receipt: Receipt | None, by
):
    digest = ""
    if paper.file is not None:
        hasher = hashlib.sha256()
        for chunk in paper.file.chunks():
            hasher.update(chunk)
        digest = hasher.hexdigest()
    level = paper.kind.level
    document = TraceDocument.objects.create(
        kind=paper.kind,
        number=paper.number,
        issuer=paper.issuer,
        issued_on=paper.issued_on,
        valid_until=paper.valid_until,
        file=paper.file or "",
        sha256=digest,
        operator=operator,
        lot=lot if level == "lot" else None,
        supplier=supplier if level == "supplier" else None,
        receipt=receipt,
        uploaded_by=by,
    )
    audit_record(actor=by, action="trace.document.keep", obj=document, after=snapshot(document))
    if digest:
        ledger_append(
            kind="trace.document", payload={"kind": paper.kind.code, "number": paper.number, "sha256": digest},
            obj=document, actor=by,
        )  # fmt: skip


@transaction.atomic
def receipt_record(
    *,
    operator: Operator,
    supplier: Supplier,
    lot: Lot,
    quantity: Decimal,
    unit: str,
    by: User,
    codes: list[str] = (),
    papers: list[PaperIn] = (),
    received_at: datetime.datetime | None = None,
) -> Receipt:
    """Check a delivery and record it: accepted (a receiving event at the business's premises, its papers kept)
    or refused with every reason (its papers kept as presented; the bureau told)."""
    if supplier.operator_id != operator.pk:
        raise ValidationError({"supplier": _("That supplier is not in this business's register.")})
    if quantity is None or quantity <= 0:
        raise ValidationError({"quantity": _("Give the quantity received.")})
    if uom(unit) is None:
        raise ValidationError(
            {"unit": _("Use kg, g, 吨, L, mL, 箱, 件, 个, 袋, 包, 瓶, 盒, 桶, 罐 or a UN/ECE unit code (KGM, CT …).")}
        )
    received_at = received_at or timezone.now()
    day = timezone.localdate(received_at)
    codes = [code.strip() for code in codes if code.strip()]
    product_class = lot.product.product_class if lot.product else None
    required = [Requirement(k.code, k.name, k.level) for k in product_class.documents.all()] if product_class else []
    on_file = TraceDocument.objects.filter(lot=lot) | TraceDocument.objects.filter(supplier=supplier)
    problems = receipt_problems(
        day=day,
        requires_trace_code=bool(product_class and product_class.requires_trace_code),
        class_name=product_class.name if product_class else "",
        codes=codes,
        code_lots=dict(TraceCode.objects.filter(code__in=codes).values_list("code", "lot_id")),
        lot_id=lot.pk,
        required=required,
        handed_over=[Paper(p.kind.code, p.number, p.issued_on, p.valid_until) for p in papers],
        on_file=[Paper(d.kind.code, d.number, d.issued_on, d.valid_until) for d in on_file.select_related("kind")],
    )
    receipt = Receipt.objects.create(
        operator=operator,
        supplier=supplier,
        lot=lot,
        quantity=quantity,
        unit=unit,
        codes=codes,
        received_at=received_at,
        status=ReceiptStatus.REFUSED if problems else ReceiptStatus.ACCEPTED,
        problems=problems,
        recorded_by=by,
    )
    for paper in papers:
        _store_paper(paper, operator=operator, lot=lot, supplier=supplier, receipt=receipt, by=by)
    if problems:
        audit_record(actor=by, action="trace.receipt.refuse", obj=receipt, after=snapshot(receipt))
        notify(
            recipients=bureau_of(operator.region_id),
            kind="trace.receipt.refused",
            title=_("%(business)s refused a delivery of %(lot)s") % {"business": operator.name, "lot": lot},
            body="；".join(problems),
            link=reverse("receipt-list"),
        )
        return receipt
    receipt.event_id = _receive(receipt, papers, by)
    receipt.save(update_fields=["event"])
    audit_record(actor=by, action="trace.receipt.accept", obj=receipt, after=snapshot(receipt))
    return receipt


def _receive(receipt: Receipt, papers: list[PaperIn], by) -> int:
    """The accepted delivery as a receiving event at the business's premises (through the capture path)."""
    from ..models import TraceEvent

    event_id = f"urn:uuid:{uuid.uuid4()}"
    code, factor = uom(receipt.unit)
    event = {
        "type": "ObjectEvent",
        "eventID": event_id,
        "eventTime": receipt.received_at.isoformat(),
        "eventTimeZoneOffset": zone_offset(timezone.localtime(receipt.received_at)),
        "action": "OBSERVE",
        "bizStep": "receiving",
        "disposition": "in_progress",
        "bizLocation": {"id": operator_site(receipt.operator).identifier},
        "quantityList": [
            {"epcClass": receipt.lot.identifier, "quantity": float(receipt.quantity) * factor, "uom": code}
        ],
        "sourceList": [{"type": "owning_party", "source": supplier_location(receipt.supplier).identifier}],
    }
    if receipt.codes:
        event["epcList"] = list(receipt.codes)
    documents = [
        {
            "type": _TRANSACTION_TYPES.get(p.kind.code, f"urn:shian:btt:{p.kind.code}"),
            "bizTransaction": f"urn:shian:doc:{p.kind.code}:{quote(p.number, safe='')}",
        }
        for p in papers
        if p.kind.level == "receipt"
    ]
    if documents:
        event["bizTransactionList"] = documents
    document = capture_document([event])
    result = epcis_capture(document=document, by=by)
    if not result.ok:
        raise ValidationError([error.message for error in result.errors])
    return TraceEvent.objects.get(event_id=event_id).pk


@transaction.atomic
def supplier_add(
    *,
    operator: Operator,
    by: User,
    name: str,
    credit_code: str = "",
    licence_number: str = "",
    licence_valid_until: datetime.date | None = None,
    contact: str = "",
) -> Supplier:
    """Put a supplier in the business's register (or update it), with its licence as a paper on file."""
    supplier, created = Supplier.objects.get_or_create(operator=operator, name=name.strip())
    before = None if created else snapshot(supplier)
    supplier.credit_code, supplier.licence_number, supplier.contact = (
        credit_code.strip(),
        licence_number.strip(),
        contact,
    )
    supplier.supplier_operator = (
        Operator.objects.filter(credit_code=supplier.credit_code).first() if credit_code else None
    )
    supplier.save()
    audit_record(actor=by, action="trace.supplier.register", obj=supplier, before=before, after=snapshot(supplier))
    licence_kind = DocumentKind.objects.filter(level="supplier").order_by("pk").first()
    if licence_number and licence_kind:
        paper = PaperIn(kind=licence_kind, number=licence_number, valid_until=licence_valid_until)
        _store_paper(paper, operator=operator, lot=None, supplier=supplier, receipt=None, by=by)
    return supplier
