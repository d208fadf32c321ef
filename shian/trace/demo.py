"""Demo traceability: the shipped receiving requirements, and one supply chain through the demo businesses,
pork from a farm made into sausage in 姑苏 and sold in 吴中, with one shipment still on its way."""

from shian.core.demo import DemoContext, demo_step
from shian.registry.models import Operator

from .epcis.documents import capture_document
from .models import TraceEvent
from .services import epcis_capture, operator_site
from .services.receiving_data import SHIPPED, receiving_data_load

PORK = "https://id.gs1.org/01/06901234000078/10/D-0301"
SAUSAGE = "https://id.gs1.org/01/06901234000085/10/D-0305"
FARM = "urn:epc:id:sgln:6901234.00011.0"
CANTEEN = "urn:epc:id:sgln:6901234.00015.0"


def _event(n: int, step: str, when: str, at: str, lot: str, quantity: int, **extra) -> dict:
    event = {
        "type": "ObjectEvent",
        "eventID": f"urn:uuid:00000000-0000-4000-8000-0000000d{n:04d}",
        "eventTime": f"2026-{when}:00+08:00",
        "eventTimeZoneOffset": "+08:00",
        "action": "ADD" if step == "commissioning" else "OBSERVE",
        "bizStep": step,
        "bizLocation": {"id": at},
        "quantityList": [{"epcClass": lot, "quantity": quantity, "uom": "KGM"}],
    }
    return event | extra


@demo_step(order=60)
def traceability(context: DemoContext) -> None:
    receiving_data_load(content=SHIPPED.read_bytes())
    maker = Operator.objects.filter(region_id="320508").order_by("id").first()
    shops = list(Operator.objects.filter(region_id="320506").order_by("id")[:2])
    if maker is None or len(shops) < 2 or TraceEvent.objects.filter(event_id__endswith="0000000d0001").exists():
        return
    p, r1, r2 = (operator_site(o).identifier for o in (maker, *shops))
    to = lambda place: {"destinationList": [{"type": "owning_party", "destination": place}]}  # noqa: E731
    source = lambda place: {"sourceList": [{"type": "owning_party", "source": place}]}  # noqa: E731
    events = [
        _event(1, "commissioning", "03-01T06:00", FARM, PORK, 1000),
        _event(2, "shipping", "03-01T08:00", FARM, PORK, 600, **to(p)),
        _event(3, "shipping", "03-01T08:10", FARM, PORK, 400, **to(CANTEEN)),
        _event(4, "receiving", "03-01T10:00", p, PORK, 600, **source(FARM)),
        {
            "type": "TransformationEvent",
            "eventID": "urn:uuid:00000000-0000-4000-8000-0000000d0005",
            "eventTime": "2026-03-02T09:00:00+08:00",
            "eventTimeZoneOffset": "+08:00",
            "bizStep": "commissioning",
            "bizLocation": {"id": p},
            "inputQuantityList": [{"epcClass": PORK, "quantity": 600, "uom": "KGM"}],
            "outputQuantityList": [{"epcClass": SAUSAGE, "quantity": 500, "uom": "KGM"}],
        },
        _event(6, "shipping", "03-03T08:00", p, SAUSAGE, 300, **to(r1)),
        _event(7, "shipping", "03-03T08:30", p, SAUSAGE, 200, **to(r2)),
        _event(8, "receiving", "03-03T11:00", r1, SAUSAGE, 300, **source(p)),
        _event(9, "receiving", "03-03T12:00", r2, SAUSAGE, 200, **source(p)),
        _event(10, "retail_selling", "03-04T10:00", r1, SAUSAGE, 100),
    ]
    document = capture_document(events)
    epcis_capture(document=document, by=None)
    context.notes.append(f"Trace a demo lot: /trace/?code={PORK}")
