"""Purchase and sales ledgers (进货查验台账 / 销售台账): each purchase row checked, each sale shipped; a file
with a row that cannot be read writes nothing and names every bad row."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from shian.trace.models import Receipt, TraceEvent
from shian.trace.services.ledgers import purchases_import, sales_import

from .conftest import CODES, quarantine

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PURCHASES = (
    "进货日期,供货者,供货者统一社会信用代码,供货者许可证号,许可证有效期至,产品名称,批次号,追溯码,产品类别,数量,单位,"
    "保质期至,票据号,合格证明编号\n"
    "2026-03-01,姑苏酱园,913205009876543210,SC10332050800017,2028-01-01,酱油,20260215,,预包装食品,24,瓶,2027-02-15,"
    "FP-001,HG-77\n"
    "2026-03-01,苏州冷链物流有限公司,,,,,,{codes},,20,箱,,,\n"
    "2026-03-02,苏州冷链物流有限公司,,,,,,,,20,箱,,,\n"
)


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8-sig")
    return path


def test_each_purchase_row_is_checked_and_the_good_ones_go_onto_the_trace(shop, beef, tmp_path):
    operator, officer, _supplier = shop
    quarantine(shop, beef)
    rows = PURCHASES.format(codes=" ".join(CODES)).splitlines()
    path = write(tmp_path, "purchases.csv", "\n".join(rows[:3]) + "\n")
    result = purchases_import(operator=operator, by=officer, path=path)
    assert (result.rows, result.errors) == (2, [])
    assert result.accepted == 1  # the soy sauce: its papers came with it
    assert result.refused == ["row 3: 冷库出库单 is missing"]  # the beef came with its codes but no slip
    soy = Receipt.objects.get(status="accepted")
    assert (soy.lot.lot_code, str(soy.lot.expiry_date), soy.supplier.credit_code) == (
        "20260215",
        "2027-02-15",
        "913205009876543210",
    )
    assert TraceEvent.objects.filter(biz_step="receiving").count() == 1


def test_a_row_that_cannot_be_read_writes_nothing_and_every_bad_row_is_named(shop, tmp_path):
    operator, officer, _supplier = shop
    rows = PURCHASES.format(codes="").splitlines()
    bad = [rows[0], rows[1].replace("24,瓶", "很多,瓶"), rows[1].replace("2026-03-01,姑苏", "昨天,姑苏"), rows[3]]
    result = purchases_import(operator=operator, by=officer, path=write(tmp_path, "bad.csv", "\n".join(bad)))
    assert result.errors == [
        "row 2, 数量: '很多' is not a quantity",
        "row 3, 进货日期: '昨天' is not a date",
        "row 4: give 追溯码, or 产品名称 and 批次号",
    ]
    assert not Receipt.objects.exists() and not TraceEvent.objects.filter(biz_step="receiving").exists()


def test_sales_rows_ship_lots_that_came_in_and_xlsx_reads_the_same(shop, tmp_path):
    operator, officer, _supplier = shop
    purchases_import(
        operator=operator, by=officer, path=write(tmp_path, "in.csv", "\n".join(PURCHASES.splitlines()[:2]))
    )
    book = Workbook()
    sheet = book.active
    sheet.append(["销售日期", "购货者", "产品名称", "批次号", "数量", "单位", "单据号"])
    sheet.append(["2026-03-02", "姑苏面馆", "酱油", "20260215", 6, "瓶", "XS-9"])
    sheet.append(["2026-03-02", "姑苏面馆", "醋", "X", 1, "瓶", ""])
    path = tmp_path / "sales.xlsx"
    book.save(path)
    refused = sales_import(operator=operator, by=officer, path=path)
    assert refused.errors == ["row 3: no lot X of 醋 has come into your premises"]
    assert not TraceEvent.objects.filter(biz_step="shipping").exists()
    sheet.delete_rows(3)
    book.save(path)
    shipped = sales_import(operator=operator, by=officer, path=path)
    assert (shipped.rows, shipped.accepted, shipped.errors) == (1, 1, [])
    event = TraceEvent.objects.get(biz_step="shipping")
    assert event.destination.name == "urn:shian:party:%E5%A7%91%E8%8B%8F%E9%9D%A2%E9%A6%86"
    assert event.items.get().quantity == 6


def test_the_cli_loads_a_ledger_and_refuses_a_user_without_a_business(shop, tmp_path, inspector):
    officer = shop[1]
    path = write(tmp_path, "in.csv", "\n".join(PURCHASES.splitlines()[:2]))
    out = io.StringIO()
    call_command("import", "purchases", str(path), "--as", officer.username, stdout=out, stderr=io.StringIO())
    assert "1 rows: 1 recorded, 0 refused." in out.getvalue()
    with pytest.raises(CommandError, match="no business"):
        call_command("import", "sales", str(path), "--as", inspector.username, stdout=io.StringIO())
