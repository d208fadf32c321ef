"""Checklist-template pages: who sees which templates, a city head's copy, its item edits and putting it in use."""

from decimal import Decimal

import pytest
from django.contrib.messages import constants
from django.urls import reverse

from shian.core.choices import Role
from shian.core.tests.factories import AgencyFactory, BusinessUserFactory, RegulatorFactory, region
from shian.inspection.models import ChecklistTemplate
from shian.inspection.selectors import template_for
from shian.inspection.services import inspection_start
from shian.registry.tests.factories import OperatorFactory

pytestmark = pytest.mark.django_db


def head_of(code: str, username: str):
    agency = AgencyFactory(name=f"{code} 市场监督管理局", region=region(code))
    return RegulatorFactory(username=username, agency=agency, roles=[Role.AGENCY_HEAD])


@pytest.fixture
def suzhou_head(db):
    """The head of the 苏州市 (city) bureau."""
    return head_of("320500", "suzhou-head")


@pytest.fixture
def catering(checklists):
    return checklists["catering"]


@pytest.fixture
def copy(client, catering, suzhou_head):
    """苏州's own (inactive) copy of the national catering checklist, made through the page."""
    client.force_login(suzhou_head)
    response = client.post(reverse("checklist-copy", args=[catering.pk]))
    copy = ChecklistTemplate.objects.get(code="catering", jurisdiction="320500")
    assert response.status_code == 302 and response["Location"] == reverse("checklist-detail", args=[copy.pk])
    return copy


def errors(response) -> list[str]:
    return [m.message for m in response.context["messages"] if m.level == constants.ERROR]


def test_an_inspector_sees_the_national_templates_but_no_copy_button(client, checklists, inspectors):
    client.force_login(inspectors[0])
    page = client.get(reverse("checklist-list"))
    assert page.status_code == 200
    content = page.content.decode()
    for template in checklists.values():
        assert f'data-pk="{template.pk}"' in content
    assert content.count('data-testid="checklist-row"') == len(checklists)
    assert 'data-testid="copy-checklist"' not in content
    detail = client.get(reverse("checklist-detail", args=[checklists["catering"].pk]))
    assert detail.status_code == 200 and b'data-testid="checklist-item"' in detail.content
    for testid in (b"copy-checklist", b"activate", b"deactivate", b"item-form", b"add-item-form"):
        assert b'data-testid="' + testid + b'"' not in detail.content


def test_an_inspector_cannot_copy_or_change(client, catering, inspectors):
    client.force_login(inspectors[0])
    item = catering.items.first()
    assert client.post(reverse("checklist-copy", args=[catering.pk])).status_code == 403
    assert client.post(reverse("checklist-item-edit", args=[catering.pk, item.pk]), {"text": "x"}).status_code == 403
    assert client.post(reverse("checklist-activate", args=[catering.pk]), {"active": "0"}).status_code == 403


def test_a_business_user_gets_403(client, catering):
    client.force_login(BusinessUserFactory(username="shop"))
    assert client.get(reverse("checklist-list")).status_code == 403
    assert client.get(reverse("checklist-detail", args=[catering.pk])).status_code == 403


def test_a_head_copies_a_national_template_for_the_city(client, catering, suzhou_head):
    client.force_login(suzhou_head)
    page = client.get(reverse("checklist-list"))
    assert page.content.decode().count('data-testid="copy-checklist"') == 5  # every national template
    response = client.post(reverse("checklist-copy", args=[catering.pk]), follow=True)
    copy = ChecklistTemplate.objects.get(code="catering", jurisdiction="320500")
    assert response.redirect_chain[-1][0] == reverse("checklist-detail", args=[copy.pk])
    assert copy.version == 1 and not copy.active and copy.based_on == catering and copy.created_by == suzhou_head

    def fields(template):
        return list(template.items.values_list("section_code", "code", "text", "key", "points", "evidence_expected"))

    assert fields(copy) == fields(catering) and fields(copy)
    content = response.content.decode()
    assert 'data-testid="not-in-use"' in content and 'data-testid="activate"' in content
    assert content.count('data-testid="item-form"') == catering.items.count()
    assert 'data-testid="add-item-form"' in content and "苏州市" in content


def test_the_head_changes_an_items_text_and_key_flag(client, copy):
    item = copy.items.filter(key=False).first()
    url = reverse("checklist-item-edit", args=[copy.pk, item.pk])
    response = client.post(url, {"text": " 是否建立进货查验记录制度 ", "key": "on", "points": "6.5"})
    assert response.status_code == 302 and response["Location"].endswith(f"#item-{item.pk}")
    item.refresh_from_db()
    assert item.text == "是否建立进货查验记录制度" and item.key and item.points == Decimal("6.5")
    assert not item.evidence_expected
    assert copy.based_on.items.get(code=item.code).text != item.text  # the national version is untouched


def test_points_out_of_range_are_refused(client, copy):
    item = copy.items.first()
    url = reverse("checklist-item-edit", args=[copy.pk, item.pk])
    response = client.post(url, {"text": item.text, "points": "120"})
    assert response.status_code == 400 and b'data-field="points"' in response.content
    response = client.post(url, {"text": item.text, "points": "-1"})
    assert response.status_code == 400 and b'data-field="points"' in response.content
    item.refresh_from_db()
    assert item.points == copy.based_on.items.get(code=item.code).points


def test_the_head_adds_an_item(client, copy):
    before = copy.items.count()
    first = copy.items.order_by("order").first()
    response = client.post(
        reverse("checklist-item-add", args=[copy.pk]),
        {"section_code": first.section_code, "code": "1.9", "text": "是否公示食品安全承诺书", "points": "1"},
    )
    assert response.status_code == 302
    added = copy.items.get(code="1.9")
    assert copy.items.count() == before + 1
    assert added.section_title == first.section_title and added.article == first.article  # taken from its section
    assert not added.key and added.points == Decimal("1.0")
    # it goes after the last item of its section, and the later items move down one
    section = list(copy.items.filter(section_code=first.section_code).order_by("order"))
    assert section[-1] == added and added.order == len(section)
    assert sorted(copy.items.values_list("order", flat=True)) == list(range(1, before + 2))
    page = client.get(reverse("checklist-detail", args=[copy.pk]))
    sections = page.context["sections"]
    assert [i.code for i in sections[0]["items"]][-1] == "1.9"  # shown in its own section
    assert len({s["code"] for s in sections}) == len(sections)


def test_a_new_section_needs_a_title(client, copy):
    url = reverse("checklist-item-add", args=[copy.pk])
    data = {"section_code": "99", "code": "99.1", "text": "本市增加的检查要点", "points": "2", "key": "on"}
    response = client.post(url, data)
    assert response.status_code == 400 and b'data-field="section_title"' in response.content
    assert client.post(url, {**data, "section_title": "本市要求"}).status_code == 302
    assert copy.items.get(code="99.1").section_title == "本市要求"


def test_a_duplicate_code_is_refused_with_a_field_error(client, copy):
    before = copy.items.count()
    existing = copy.items.first()
    response = client.post(
        reverse("checklist-item-add", args=[copy.pk]),
        {"section_code": existing.section_code, "code": existing.code, "text": "重复", "points": "1"},
    )
    assert response.status_code == 400 and b'data-field="code"' in response.content
    assert response.context["add_form"].errors["code"]
    assert copy.items.count() == before


def test_putting_the_copy_in_use_applies_it_in_the_city_only(client, copy, catering):
    in_city = OperatorFactory(name="苏州面馆", category="catering", region=region("320508"))
    elsewhere = OperatorFactory(name="南京面馆", category="catering", region=region("320102"))
    assert template_for(in_city) == catering  # not in use yet
    response = client.post(reverse("checklist-activate", args=[copy.pk]), {"active": "1"}, follow=True)
    assert response.status_code == 200 and b'data-testid="deactivate"' in response.content
    copy.refresh_from_db()
    assert copy.active
    assert template_for(in_city) == copy
    assert template_for(elsewhere) == catering
    client.post(reverse("checklist-activate", args=[copy.pk]), {"active": "0"})
    assert template_for(in_city) == catering


def test_once_an_inspection_used_the_version_editing_is_refused(client, copy, inspectors, suzhou_head):
    client.post(reverse("checklist-activate", args=[copy.pk]), {"active": "1"})
    operator = OperatorFactory(name="姑苏小吃", category="catering", region=region("320508"))
    inspection = inspection_start(operator=operator, by=inspectors[0], inspectors=[inspectors[1]])
    assert inspection.template == copy
    item = copy.items.first()
    response = client.post(
        reverse("checklist-item-edit", args=[copy.pk, item.pk]),
        {"text": "改过的要点", "points": "3"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("checklist-detail", args=[copy.pk])
    assert len(errors(response)) == 1
    item.refresh_from_db()
    assert item.text != "改过的要点"
    before = copy.items.count()
    response = client.post(
        reverse("checklist-item-add", args=[copy.pk]),
        {"section_code": item.section_code, "code": "9.9", "text": "新要点", "points": "1"},
        follow=True,
    )
    assert len(errors(response)) == 1 and copy.items.count() == before
    content = response.content.decode()
    assert 'data-testid="locked"' in content and 'data-testid="item-form"' not in content
    assert 'data-testid="used">1<' in content
    # a new version can still be made from it
    response = client.post(reverse("checklist-copy", args=[copy.pk]))
    assert ChecklistTemplate.objects.get(code="catering", jurisdiction="320500", version=2).based_on == copy


def test_another_citys_head_cannot_see_or_edit_the_copy(client, copy):
    nanjing = head_of("320100", "nanjing-head")
    client.force_login(nanjing)
    assert f'data-pk="{copy.pk}"' not in client.get(reverse("checklist-list")).content.decode()
    item = copy.items.first()
    assert client.get(reverse("checklist-detail", args=[copy.pk])).status_code == 404
    edit = client.post(reverse("checklist-item-edit", args=[copy.pk, item.pk]), {"text": "南京", "points": "1"})
    assert edit.status_code == 404
    assert client.post(reverse("checklist-activate", args=[copy.pk]), {"active": "1"}).status_code == 404
    assert client.post(reverse("checklist-copy", args=[copy.pk])).status_code == 404
    item.refresh_from_db()
    assert item.text != "南京"


def test_a_county_head_in_the_city_sees_the_copy_but_cannot_change_it(client, copy, catering):
    gusu_head = head_of("320508", "gusu-head")
    client.force_login(gusu_head)
    page = client.get(reverse("checklist-list")).content.decode()
    assert f'data-pk="{copy.pk}"' in page
    detail = client.get(reverse("checklist-detail", args=[copy.pk]))
    assert detail.status_code == 200 and b'data-testid="item-form"' not in detail.content
    assert b'data-testid="copy-checklist"' in detail.content  # the county may refine the city's version
    item = copy.items.first()
    response = client.post(
        reverse("checklist-item-edit", args=[copy.pk, item.pk]), {"text": "姑苏", "points": "1"}, follow=True
    )
    assert len(errors(response)) == 1
    item.refresh_from_db()
    assert item.text != "姑苏"
    assert client.post(reverse("checklist-activate", args=[copy.pk]), {"active": "1"}).status_code == 403
    # nor may a region's head take the national template out of use for the whole country
    assert client.post(reverse("checklist-activate", args=[catering.pk]), {"active": "0"}).status_code == 403
    catering.refresh_from_db()
    assert catering.active


def test_templates_of_other_provinces_are_hidden_from_a_county_inspector(client, catering, inspectors):
    zhejiang = ChecklistTemplate.objects.create(
        code="catering", version=1, jurisdiction="330000", name="浙江餐饮要点", sector="catering"
    )
    jiangsu = ChecklistTemplate.objects.create(
        code="catering", version=1, jurisdiction="320000", name="江苏餐饮要点", sector="catering"
    )
    client.force_login(inspectors[0])
    page = client.get(reverse("checklist-list")).content.decode()
    assert f'data-pk="{jiangsu.pk}"' in page and f'data-pk="{zhejiang.pk}"' not in page
    assert client.get(reverse("checklist-detail", args=[zhejiang.pk])).status_code == 404
