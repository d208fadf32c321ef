"""The trace page: the chain as a graph, its holders and events, scoped like the API."""

import json
import re

import pytest
from django.test import Client

from .conftest import PORK, SAUSAGE, SLICED

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def page(user, **params) -> str:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    response = client.get("/trace/", params)
    assert response.status_code == 200
    return response.content.decode()


def chart(html: str) -> dict:
    return json.loads(re.search(r'<script id="chart-trace" type="application/json">(.*?)</script>', html, re.S)[1])


def test_the_graph_has_every_lot_linked_and_every_holder(chain, inspector):
    html = page(inspector, code=PORK)
    series = chart(html)["series"][0]
    lots = {node["id"] for node in series["data"] if node["id"].startswith("lot-")}
    assert len(lots) == 3 and len([n for n in series["data"] if n["id"].startswith("place-")]) >= 4
    assert all(link["source"] in lots for link in series["links"])
    assert "3 lots" in html and "吴中农贸市场" in html


def test_outside_the_county_the_details_are_hidden_but_the_shape_is_there(chain, inspector):
    html = page(inspector, code=SAUSAGE, direction="forward")
    assert "details hidden: outside your area" in html
    assert "吴中超市" in html  # the holder is named


def test_an_unknown_code_says_so(chain, inspector):
    assert "no lot or trace code nope is known" in page(inspector, code="nope")


def test_backward_only_shows_upstream(chain, inspector):
    series = chart(page(inspector, code=SLICED, direction="backward"))["series"][0]
    assert len([n for n in series["data"] if n["id"].startswith("lot-")]) == 4  # sliced, sausage, pork, salt
