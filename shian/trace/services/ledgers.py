"""A small business's purchase and sales ledgers (进货查验台账 / 销售台账) as CSV or XLSX: each purchase row is an
incoming check (accepted onto the trace, or refused with its reasons), each sales row a shipment. A file goes in
whole or not at all: when any row cannot be read, nothing is written and every bad row is reported."""

import datetime
import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from shian.core.tabular import Column, FileError, read_rows
from shian.registry.models import Operator

from ..choices import ReceiptStatus
from ..epcis.documents import capture_document
from ..epcis.reading import zone_offset
from ..epcis.units import uom
from ..models import DocumentKind, EventItem, Lot, ProductClass, Supplier
from .capture import epcis_capture
from .receiving import PaperIn, coded_lot, delivered_lot, receipt_record, supplier_add
from .sites import operator_site

PURCHASE_COLUMNS = [
    Column("received_at", "进货日期", required=True),
    Column("supplier", "供货者", required=True),
    Column("supplier_credit_code", "供货者统一社会信用代码"),
    Column("supplier_licence", "供货者许可证号"),
    Column("supplier_licence_valid_until", "许可证有效期至"),
    Column("product_name", "产品名称"),
    Column("batch", "批次号"),
    Column("codes", "追溯码"),
    Column("product_class", "产品类别"),
    Column("quantity", "数量", required=True),
    Column("unit", "单位", required=True),
    Column("expiry_date", "保质期至"),
    Column("invoice", "票据号"),
    Column("certificate", "合格证明编号"),
]
SALES_COLUMNS = [
    Column("sold_at", "销售日期", required=True),
    Column("buyer", "购货者", required=True),
    Column("buyer_credit_code", "购货者统一社会信用代码"),
    Column("product_name", "产品名称"),
    Column("batch", "批次号"),
    Column("codes", "追溯码"),
    Column("quantity", "数量", required=True),
    Column("unit", "单位", required=True),
    Column("document", "单据号"),
]


@dataclass
class LedgerResult:
    rows: int = 0
    accepted: int = 0
    refused: list[str] = field(default_factory=list)  # purchase rows refused by the incoming check, with why
    errors: list[str] = field(default_factory=list)  # rows that cannot be read: then nothing is written


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _moment(value, n: int, errors: list[str], key: str) -> datetime.datetime | None:
    if isinstance(value, datetime.datetime):
        return timezone.make_aware(value) if timezone.is_naive(value) else value
    if isinstance(value, datetime.date):
        return timezone.make_aware(datetime.datetime.combine(value, datetime.time(9)))
    text = _text(value).replace("/", "-")
    moment = parse_datetime(text)
    if moment is None and (day := parse_date(text)):
        moment = datetime.datetime.combine(day, datetime.time(9))
    if moment is None:
        errors.append(_("row %(n)d, %(column)s: %(value)r is not a date") % {"n": n, "column": key, "value": value})
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _quantity(raw: dict, n: int, errors: list[str]) -> tuple[Decimal | None, str]:
    try:
        quantity = Decimal(_text(raw.get("quantity")))
    except InvalidOperation:
        quantity = None
    if quantity is None or not quantity.is_finite() or quantity <= 0:
        errors.append(_("row %(n)d, 数量: %(value)r is not a quantity") % {"n": n, "value": raw.get("quantity")})
    unit = _text(raw.get("unit"))
    if uom(unit) is None:
        errors.append(_("row %(n)d, 单位: %(value)r is not a unit we know") % {"n": n, "value": unit})
    return quantity, unit


def _codes(raw: dict) -> list[str]:
    """The trace codes of a cell: separated by semicolons, commas or spaces."""
    return [code for code in re.split(r"[;；,，\s]+", _text(raw.get("codes"))) if code]


def _read(path: Path, columns) -> list[tuple[int, dict]]:
    try:
        return list(read_rows(path, columns))
    except FileError as exc:
        raise ValidationError(str(exc)) from None


def purchases_import(*, operator: Operator, by, path: Path) -> LedgerResult:
    """Each purchase row through the incoming check, all in one transaction."""
    result, rows = LedgerResult(), []
    classes = {c.name: c for c in ProductClass.objects.all()} | {c.code: c for c in ProductClass.objects.all()}
    kinds = {k.code: k for k in DocumentKind.objects.filter(code__in=["invoice", "inspection-certificate"])}
    for n, raw in _read(path, PURCHASE_COLUMNS):
        errors = []
        received_at = _moment(raw.get("received_at"), n, errors, "进货日期")
        quantity, unit = _quantity(raw, n, errors)
        codes = _codes(raw)
        if not codes and not (_text(raw.get("product_name")) and _text(raw.get("batch"))):
            errors.append(_("row %(n)d: give 追溯码, or 产品名称 and 批次号") % {"n": n})
        product_class = classes.get(_text(raw.get("product_class")))
        if _text(raw.get("product_class")) and product_class is None:
            errors.append(_("row %(n)d, 产品类别: no class %(value)r") % {"n": n, "value": raw.get("product_class")})
        for key, header in (("expiry_date", "保质期至"), ("supplier_licence_valid_until", "许可证有效期至")):
            value = _text(raw.get(key))
            if value and _date(value) is None:
                errors.append(
                    _("row %(n)d, %(column)s: %(value)r is not a date") % {"n": n, "column": header, "value": value}
                )
        result.errors += errors
        rows.append((n, raw, received_at, quantity, unit, codes, product_class))
    result.rows = len(rows)
    if result.errors:
        return result
    with transaction.atomic():
        for n, raw, received_at, quantity, unit, codes, product_class in rows:
            supplier = _supplier(operator, raw, by)
            lot = delivered_lot(
                supplier=supplier,
                codes=codes,
                product_name=_text(raw.get("product_name")),
                batch=_text(raw.get("batch")),
                product_class=product_class,
                expiry_date=_date(_text(raw.get("expiry_date")) or "-"),
            )
            if lot is None:
                result.errors.append(_("row %(n)d: no trace code of it is bound to a lot") % {"n": n})
                continue
            papers = [
                PaperIn(kind=kinds[code], number=_text(raw.get(key)))
                for key, code in (("invoice", "invoice"), ("certificate", "inspection-certificate"))
                if _text(raw.get(key)) and code in kinds
            ]
            receipt = receipt_record(
                operator=operator, supplier=supplier, lot=lot, quantity=quantity, unit=unit, by=by,
                codes=codes, papers=papers, received_at=received_at,
            )  # fmt: skip
            if receipt.status == ReceiptStatus.REFUSED:
                result.refused.append(_("row %(n)d: %(why)s") % {"n": n, "why": "；".join(receipt.problems)})
            else:
                result.accepted += 1
        if result.errors:
            transaction.set_rollback(True)
            result.accepted, result.refused = 0, []
    return result


def _date(text: str) -> datetime.date | None:
    return parse_date(text.replace("/", "-"))


def _supplier(operator: Operator, raw: dict, by) -> Supplier:
    """The row's supplier from the register; added (with the licence the row gives) when new or when the row
    gives a licence."""
    supplier = Supplier.objects.filter(operator=operator, name=_text(raw["supplier"])).first()
    if supplier is not None and not _text(raw.get("supplier_licence")):
        return supplier
    return supplier_add(
        operator=operator,
        by=by,
        name=_text(raw["supplier"]),
        credit_code=_text(raw.get("supplier_credit_code")) or (supplier.credit_code if supplier else ""),
        licence_number=_text(raw.get("supplier_licence")),
        licence_valid_until=_date(_text(raw.get("supplier_licence_valid_until"))),
    )


def sales_import(*, operator: Operator, by, path: Path) -> LedgerResult:
    """Each sales row as a shipment from the business's premises to its buyer, in one capture document."""
    result, events = LedgerResult(), []
    site = operator_site(operator)
    held = {(lot.product.name if lot.product else "", lot.lot_code): lot for lot in _lots_at(site)}
    lines = _read(path, SALES_COLUMNS)
    result.rows = len(lines)
    for n, raw in lines:
        errors = []
        sold_at = _moment(raw.get("sold_at"), n, errors, "销售日期")
        quantity, unit = _quantity(raw, n, errors)
        codes = _codes(raw)
        lot = held.get((_text(raw.get("product_name")), _text(raw.get("batch"))))
        if lot is None and codes:
            lot = coded_lot(codes)
        if lot is None:
            errors.append(
                _("row %(n)d: no lot %(batch)s of %(product)s has come into your premises")
                % {"n": n, "batch": _text(raw.get("batch")), "product": _text(raw.get("product_name"))}
            )
        result.errors += errors
        if errors:
            continue
        code, factor = uom(unit)
        buyer = (
            Operator.objects.filter(credit_code=_text(raw.get("buyer_credit_code"))).first()
            if raw.get("buyer_credit_code")
            else None
        )
        party = f"urn:shian:party:{quote(_text(raw['buyer']), safe='')}"
        destination = operator_site(buyer).identifier if buyer else party
        event = {
            "type": "ObjectEvent",
            "eventID": f"urn:uuid:{uuid.uuid4()}",
            "eventTime": sold_at.isoformat(),
            "eventTimeZoneOffset": zone_offset(timezone.localtime(sold_at)),
            "action": "OBSERVE",
            "bizStep": "shipping",
            "disposition": "in_transit",
            "bizLocation": {"id": site.identifier},
            "quantityList": [{"epcClass": lot.identifier, "quantity": float(quantity) * factor, "uom": code}],
            "destinationList": [{"type": "owning_party", "destination": destination}],
        }
        if codes:
            event["epcList"] = codes
        if _text(raw.get("document")):
            event["bizTransactionList"] = [
                {"type": "desadv", "bizTransaction": f"urn:shian:doc:sale:{_text(raw['document'])}"}
            ]
        events.append(event)
    if result.errors or not events:
        return result
    captured = epcis_capture(
        document=capture_document(events),
        by=by,
    )
    result.errors += [f"{e.event}: {e.message}" for e in captured.errors]
    result.accepted = len(captured.stored)
    return result


def _lots_at(site) -> list[Lot]:
    """The lots that have been at the site (received or made there)."""
    here = EventItem.objects.filter(event__biz_location=site, lot__isnull=False).values("lot_id")
    return list(Lot.objects.filter(pk__in=here).select_related("product"))
