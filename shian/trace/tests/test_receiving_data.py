import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from shian.core.models import AuditEntry
from shian.trace.models import ProductClass
from shian.trace.services.receiving_data import SHIPPED, receiving_data_load

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_shipped_requirements_load_and_loading_them_again_changes_nothing():
    assert receiving_data_load(content=SHIPPED.read_bytes()) == (6, 3)
    cold = ProductClass.objects.get(code="imported-cold-chain")
    assert cold.requires_trace_code
    assert set(cold.documents.values_list("code", flat=True)) == {
        "supplier-licence",
        "entry-quarantine",
        "outbound-slip",
    }
    entries = AuditEntry.objects.count()
    receiving_data_load(content=SHIPPED.read_bytes())
    assert AuditEntry.objects.count() == entries


def test_a_bad_file_names_each_problem_and_loads_nothing():
    bad = b"""
[[documents]]
code = "x"
name = "X"
level = "forever"

[[classes]]
code = "y"
name = "Y"
documents = ["nope"]
"""
    with pytest.raises(ValidationError) as caught:
        receiving_data_load(content=bad)
    assert caught.value.messages == [
        "documents #1 (x): level must be one of lot, receipt, supplier",
        "classes #1 (y): no document kind nope",
    ]
    assert not ProductClass.objects.exists()


def test_the_command_loads_the_shipped_set():
    out = io.StringIO()
    call_command("documents", "load", "--shipped", stdout=out)
    assert "6 document kinds and 3 product classes" in out.getvalue()
