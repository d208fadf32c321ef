import datetime

import pytest

from .builders import document, event, lot

PORK = lot("06901234000016", "F-0301")  # a farm's pork lot
SALT = lot("06901234000023", "S-77")
SAUSAGE = lot("06901234000030", "P-0305")  # made from pork and salt at the processor
SLICED = lot("06901234000047", "R-0310")  # the sausage re-packed at a retailer
PALLET = "urn:epc:id:sscc:6901234.0000000001"
FARM = "urn:epc:id:sgln:6901234.00001.0"
SALT_WORKS = "urn:epc:id:sgln:6901234.00009.0"
CATERER = "urn:epc:id:sgln:6901234.00005.0"


@pytest.fixture
def superuser(db):
    from shian.core.tests.factories import UserFactory

    return UserFactory(username="trace-system", is_superuser=True, kind="regulator")


@pytest.fixture
def sites(db):
    """Four businesses on the platform: a processor and a wholesaler in 姑苏区, two retailers in 吴中区."""
    from shian.core.tests.factories import region
    from shian.registry.tests.factories import OperatorFactory
    from shian.trace.services import operator_site

    names = {
        "processor": ("姑苏肉制品厂", "320508"),
        "wholesaler": ("姑苏批发部", "320508"),
        "retailer": ("吴中超市", "320506"),
        "market": ("吴中农贸市场", "320506"),
    }
    return {key: operator_site(OperatorFactory(name=name, region=region(code))) for key, (name, code) in names.items()}


@pytest.fixture
def chain(superuser, sites):
    """Pork from a farm splits between the processor (600 kg) and a caterer still waiting for it (400 kg);
    the processor merges it with salt into sausage; 300 kg go to the wholesaler, who palletises them and
    ships the pallet to the market, which sells 100 kg; 200 kg go to the retailer, who re-packs them."""
    from shian.trace.services import epcis_capture

    p, w, r, m = (sites[k].identifier for k in ("processor", "wholesaler", "retailer", "market"))
    events = [
        event("commissioning", "2026-03-01T06:00:00+08:00", action="ADD", at=FARM, lots=[(PORK, 1000)]),
        event("commissioning", "2026-02-01T06:00:00+08:00", action="ADD", at=SALT_WORKS, lots=[(SALT, 50)]),
        event("shipping", "2026-03-01T08:00:00+08:00", at=FARM, lots=[(PORK, 600)], destination=p),
        event("shipping", "2026-03-01T08:10:00+08:00", at=FARM, lots=[(PORK, 400)], destination=CATERER),
        event("receiving", "2026-03-01T10:00:00+08:00", at=p, lots=[(PORK, 600)], source=FARM,
              documents=[("desadv", "urn:shian:doc:DA-1")]),
        event("receiving", "2026-03-01T10:30:00+08:00", at=p, lots=[(SALT, 10)], source=SALT_WORKS),
        event("commissioning", "2026-03-02T09:00:00+08:00", kind="TransformationEvent", at=p,
              inputs=[(PORK, 600), (SALT, 10)], outputs=[(SAUSAGE, 500)]),
        event("shipping", "2026-03-03T08:00:00+08:00", at=p, lots=[(SAUSAGE, 300)], destination=w),
        event("shipping", "2026-03-03T08:30:00+08:00", at=p, lots=[(SAUSAGE, 200)], destination=r),
        event("receiving", "2026-03-03T11:00:00+08:00", at=w, lots=[(SAUSAGE, 300)], source=p),
        event("packing", "2026-03-03T12:00:00+08:00", kind="AggregationEvent", action="ADD", at=w,
              parent=PALLET, lots=[(SAUSAGE, 300)]),
        event("shipping", "2026-03-04T08:00:00+08:00", at=w, epcs=[PALLET], destination=m),
        event("receiving", "2026-03-04T10:00:00+08:00", at=m, epcs=[PALLET], source=w),
        event("retail_selling", "2026-03-05T10:00:00+08:00", at=m, lots=[(SAUSAGE, 100)]),
        event("receiving", "2026-03-03T12:00:00+08:00", at=r, lots=[(SAUSAGE, 200)], source=p),
        event("repackaging", "2026-03-04T09:00:00+08:00", kind="TransformationEvent", at=r,
              inputs=[(SAUSAGE, 200)], outputs=[(SLICED, 190)]),
    ]  # fmt: skip
    result = epcis_capture(document=document(*events), by=superuser)
    assert result.ok, result.errors
    assert len(result.stored) == len(events)
    return result


# Incoming checks: imported beef in coded cartons, and a shop in 姑苏区 with a cold-chain supplier.
BEEF = lot("06901234000054", "BR-2611")
CODES = ["urn:epc:id:sgtin:6901234.000005.9001", "urn:epc:id:sgtin:6901234.000005.9002"]
TODAY = datetime.date(2026, 3, 2)


@pytest.fixture
def rules(db):
    from shian.trace.services.receiving_data import SHIPPED, receiving_data_load

    receiving_data_load(content=SHIPPED.read_bytes())


def kind(code: str):
    from shian.trace.models import DocumentKind

    return DocumentKind.objects.get(code=code)


@pytest.fixture
def shop(rules):
    from shian.core.tests.factories import BusinessUserFactory, region
    from shian.registry.tests.factories import MembershipFactory, OperatorFactory
    from shian.trace.models import Supplier, TraceDocument

    operator = OperatorFactory(name="姑苏生鲜超市", region=region("320508"))
    officer = BusinessUserFactory(username="shop-officer")
    MembershipFactory(user=officer, operator=operator)
    supplier = Supplier.objects.create(operator=operator, name="苏州冷链物流有限公司", credit_code="913205001234567890")
    TraceDocument.objects.create(
        kind=kind("supplier-licence"), number="JY13205080001", valid_until=TODAY + datetime.timedelta(days=300),
        operator=operator, supplier=supplier,
    )  # fmt: skip
    return operator, officer, supplier


@pytest.fixture
def beef(superuser, rules):
    """Imported beef whose cartons the first-point cold store coded (浙冷链-style)."""
    from shian.trace.models import Lot, ProductClass
    from shian.trace.services import epcis_capture

    made = event(
        "commissioning", "2026-02-20T08:00:00+08:00", action="ADD", at="urn:epc:id:sgln:6901234.00100.0", epcs=CODES,
        ilmd={"cbvmda:lotNumber": "BR-2611"},
    )  # fmt: skip
    assert epcis_capture(document=document(made), by=superuser).ok
    beef = Lot.objects.get(identifier=BEEF)
    beef.product.product_class = ProductClass.objects.get(code="imported-cold-chain")
    beef.product.save()
    return beef


def slip(valid: bool = True):
    from shian.trace.services.receiving import PaperIn

    return PaperIn(kind=kind("outbound-slip"), number="CK-0301", issued_on=TODAY if valid else TODAY.replace(year=2025))


def quarantine(shop, beef, valid_until=TODAY + datetime.timedelta(days=90)):
    """The first point's quarantine certificate, kept with the lot for every buyer."""
    from shian.trace.models import TraceDocument

    TraceDocument.objects.create(
        kind=kind("entry-quarantine"), number="310000226000123", valid_until=valid_until, operator=shop[0], lot=beef
    )
