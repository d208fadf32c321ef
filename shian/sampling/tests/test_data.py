"""Loading food catalogues and limit sets from their data files, and finding the limit in force."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command

from shian.core.models import AuditEntry
from shian.sampling.choices import LimitKind
from shian.sampling.datafiles import DataFileError
from shian.sampling.limitbook import LimitBook
from shian.sampling.models import Analyte, FoodCatalogue, FoodCategory, Limit, LimitSet
from shian.sampling.services import catalogue_load, limits_load

from .conftest import DATA

REQUIRED_FOODS = ["白酒", "酱油", "食醋", "芝麻油", "粉丝粉条", "婴儿配方食品", "豇豆", "芹菜", "韭菜"]

CATALOGUE = """
[catalogue]
code = "mini"
version = 1
name = "小目录"
year = 2026

[[analytes]]
code = "lead"
name = "铅"
group = "contaminant"

[[categories]]
code = "01"
name = "蔬菜"
level = 1

[[categories]]
code = "0101"
parent = "01"
name = "叶菜"
level = 2

[[categories]]
code = "010101"
parent = "0101"
name = "叶菜"
level = 3

[[categories]]
code = "01010101"
parent = "010101"
name = "菠菜"
level = 4
items = [{ analyte = "lead", method = "GB 5009.12" }]
"""


def limits_file(version=1, value="0.3", valid_from="2023-06-30", category="0101"):
    return f"""
[limits]
code = "mini-limits"
version = {version}
title = "小限量表"
catalogue = "mini"
valid_from = {valid_from}

[[limit]]
analyte = "lead"
category = "{category}"
value = "{value}"
unit = "mg/kg"
standard = "GB 2762-2022"
clause = "表1"
""".encode()


def test_the_starter_set_covers_the_foods_bureaus_sample_most(starter):
    details = list(FoodCategory.objects.filter(catalogue=starter, level=4).values_list("name", flat=True))
    for food in REQUIRED_FOODS:
        assert any(food in name for name in details), food
    for category in FoodCategory.objects.filter(catalogue=starter, level=4):
        assert category.test_items.exists(), category.name
        assert len(category.lineage) == 4 and category.lineage[0] == category.code
    groups = set(Analyte.objects.values_list("group", flat=True))
    assert {"additive", "contaminant", "pesticide", "microbe"} <= groups


def test_every_starter_test_item_with_a_standard_limit_finds_one(starter):
    book = LimitBook.load()
    on = datetime.date(2026, 3, 2)
    missing = []
    for category in FoodCategory.objects.filter(catalogue=starter, level=4).prefetch_related("test_items__analyte"):
        for item in category.test_items.all():
            if item.analyte.code != "alcohol-content":  # judged against the label's own value, not a limit
                limit = book.limit_for(item.analyte_id, tuple(category.lineage), on)
                if limit is None:
                    missing.append(f"{category.name}/{item.analyte.code}")
                else:
                    assert limit.citation, item
    assert missing == []


def test_a_narrower_category_overrides_the_broader_one(starter):
    book = LimitBook.load()
    on = datetime.date(2026, 3, 2)
    lead = Analyte.objects.get(code="lead").pk
    celery = tuple(FoodCategory.objects.get(catalogue=starter, name="芹菜").lineage)
    chives = tuple(FoodCategory.objects.get(catalogue=starter, name="韭菜").lineage)
    assert book.limit_for(lead, celery, on).value == D("0.3")  # 叶菜蔬菜
    assert book.limit_for(lead, chives, on).value == D("0.1")  # 新鲜蔬菜
    sudan = Analyte.objects.get(code="sudan-i").pk
    assert book.limit_for(sudan, chives, on).kind == LimitKind.NOT_DETECTED  # set for every food


def test_loading_the_same_file_again_changes_nothing_and_other_content_needs_a_new_version(db):
    catalogue, new = catalogue_load(content=CATALOGUE.encode())
    assert new and catalogue.categories.count() == 4
    again, new = catalogue_load(content=CATALOGUE.encode())
    assert again == catalogue and not new
    with pytest.raises(DataFileError, match="already loaded with other content"):
        catalogue_load(content=CATALOGUE.replace("小目录", "另一个目录").encode())
    first, _ = limits_load(content=limits_file())
    assert limits_load(content=limits_file()) == (first, False)
    with pytest.raises(DataFileError, match="new version"):
        limits_load(content=limits_file(value="0.2"))
    assert FoodCatalogue.objects.count() == 1 and Limit.objects.count() == 1
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions.count("sampling.catalogue.load") == 1 and actions.count("sampling.limits.load") == 1
    assert "sampling.analyte.create" in actions


def test_a_newer_version_of_a_limit_set_takes_over_from_its_start_date(db):
    catalogue_load(content=CATALOGUE.encode())
    limits_load(content=limits_file(version=1, value="0.3", valid_from="2017-01-01"))
    limits_load(content=limits_file(version=2, value="0.5", valid_from="2023-06-30"))  # a relaxed limit
    book = LimitBook.load()
    lead = Analyte.objects.get(code="lead").pk
    spinach = ("01010101", "010101", "0101", "01")
    assert book.limit_for(lead, spinach, datetime.date(2023, 6, 29)).value == D("0.3")
    assert book.limit_for(lead, spinach, datetime.date(2023, 6, 30)).value == D("0.5")
    assert book.limit_for(lead, spinach, datetime.date(2016, 12, 31)) is None


def test_a_bad_catalogue_reports_every_problem_and_stores_nothing(db):
    bad = CATALOGUE.replace("level = 2", "level = 3").replace('group = "contaminant"', 'group = "poison"')
    bad = bad.replace('{ analyte = "lead", method = "GB 5009.12" }', '{ analyte = "Lead!" }')
    with pytest.raises(DataFileError) as error:
        catalogue_load(content=bad.encode())
    problems = "\n".join(error.value.problems)
    assert "analytes[0].group" in problems
    assert "categories[1] (0101).parent: must name a category of level 2" in problems
    assert "items[0].analyte: 'Lead!' is not a valid code" in problems
    assert FoodCatalogue.objects.count() == 0 and Analyte.objects.count() == 0


def test_a_bad_limit_file_names_the_row_and_the_reason(db):
    catalogue_load(content=CATALOGUE.encode())
    text = limits_file().decode()
    bad = text.replace('unit = "mg/kg"', 'unit = "furlongs"') + (
        '\n[[limit]]\nanalyte = "lead"\ncategory = "01"\nkind = "not_permitted"\nvalue = "1"\nunit = "mg/kg"\n'
        'standard = "X"\n\n[[limit]]\nanalyte = "lead"\ncategory = "01"\nkind = "max"\nunit = "mg/kg"\n'
        'standard = "X"\nvalid_from = 2020-01-01\nvalid_to = 2019-01-01\n'
    )
    with pytest.raises(DataFileError) as error:
        limits_load(content=bad.encode())
    problems = error.value.problems
    assert "limit[0] (lead in 0101).unit: unknown unit 'furlongs'" in problems
    assert "limit[1] (lead in 01).value: a not_permitted limit has no value" in problems
    assert "limit[2] (lead in 01).value: a max limit needs a value" in problems
    assert "limit[2] (lead in 01).valid_to: must be after valid_from" in problems
    with pytest.raises(DataFileError, match="no category 0999"):
        limits_load(content=limits_file(category="0999"))
    unknown = limits_file().decode().replace('analyte = "lead"', 'analyte = "mercury"')
    with pytest.raises(DataFileError, match="unknown analyte mercury"):
        limits_load(content=unknown.encode())
    assert LimitSet.objects.count() == 0


def test_the_command_loads_the_shipped_files_catalogue_first(db, capsys):
    call_command("sampling", "load", "--shipped")
    out = capsys.readouterr().out
    assert "catalogue-cn-starter.toml" in out and "limits-gb2763.toml" in out
    assert LimitSet.objects.count() == len(list(DATA.glob("limits-*.toml")))
    call_command("sampling", "load", "--shipped")
    assert "(already loaded)" in capsys.readouterr().out
    call_command("sampling", "limits")
    assert "gb2763" in capsys.readouterr().out


def test_the_command_reports_a_bad_file_and_fails(db, tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text("[limits]\ncode = 'x'\n")
    with pytest.raises(CommandError):
        call_command("sampling", "load", str(path))
    assert "bad.toml: limits.valid_from: missing" in capsys.readouterr().err
