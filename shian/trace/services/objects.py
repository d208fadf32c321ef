"""The objects a capture names: lots (by class and quantity) and coded packs or containers, found or created
in bulk, and what each container holds at each moment of the document."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q

from shian.core.bulk import insert_rows

from ..choices import Action, EventKind, ItemRole
from ..epcis.identifiers import identify, lot_identifier
from ..epcis.reading import ReadEvent
from ..models import EventItem, Lot, Product, TraceCode, TraceEvent

_LOT = ("id", "identifier", "producer_id", "production_date", "expiry_date")
_ILMD_DATES = {
    "itemExpirationDate": "expiry_date",
    "bestBeforeDate": "expiry_date",
    "productionDate": "production_date",
}


def _ilmd(r: ReadEvent) -> dict:
    """The event's ILMD by local field name (cbvmda:lotNumber → lotNumber)."""
    ilmd = (r.extra or {}).get("ilmd") or {}
    return {key.rsplit(":", 1)[-1]: value for key, value in ilmd.items()} if isinstance(ilmd, dict) else {}


def _date(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


class Resolver:
    """Lots and trace codes of a batch of events, and the contents of the containers among them."""

    def __init__(self, read: list[ReadEvent], places: dict):
        classes = {lot_identifier(i.identifier) for r in read for i in r.items if i.by_class}
        codes = {i.identifier for r in read for i in r.items if not i.by_class}
        self.lot_for_code: dict[str, str] = {}
        for r in read:
            lot = _ilmd(r).get("lotNumber")
            for item in r.items:
                if item.by_class:
                    continue
                gtin, dl_lot, _ = identify(item.identifier)
                if gtin and (dl_lot or lot):
                    self.lot_for_code[item.identifier] = lot_identifier(
                        f"https://id.gs1.org/01/{gtin}/10/{dl_lot or lot}"
                    )
        self.made = self._made(read, places)
        self.lots = self._lots(classes | set(self.lot_for_code.values()))
        self.codes = self._codes(codes)
        self.contents = self._contents()

    def _made(self, read: list[ReadEvent], places: dict) -> dict[str, dict]:
        """Lot identifier → what its commissioning says of it: producer (the place) and ILMD dates."""
        made = {}
        for r in read:
            if r.action != Action.ADD or r.kind != EventKind.OBJECT:
                continue
            where = places.get(r.biz_location) if r.biz_location else places.get("")
            facts = {"producer_id": where.pk if where else None}
            ilmd = _ilmd(r)
            facts |= {attr: day for key, attr in _ILMD_DATES.items() if key in ilmd and (day := _date(ilmd[key]))}
            for item in r.items:
                lot = lot_identifier(item.identifier) if item.by_class else self.lot_for_code.get(item.identifier)
                if lot:
                    made.setdefault(lot, facts)
        return made

    def _lots(self, identifiers: set[str]) -> dict[str, dict]:
        """Identifier → the lot's row (id and what its commissioning set), the unknown ones created."""
        found = {row["identifier"]: row for row in Lot.objects.filter(identifier__in=identifiers).values(*_LOT)}
        missing = identifiers - set(found)
        if missing:
            read = {uri: identify(uri) for uri in missing}
            gtins = {i.gtin for i in read.values() if i.gtin}
            products = dict(Product.objects.filter(gtin__in=gtins).values_list("gtin", "id")) if gtins else {}
            new = [{"gtin": g, "name": f"GTIN {g}", "code": None} for g in sorted(gtins - set(products))]
            insert_rows(Product, new)
            products |= {row["gtin"]: row["id"] for row in new}
            rows = [
                {"identifier": uri, "product_id": products.get(read[uri].gtin), "lot_code": read[uri].lot or ""}
                | dict.fromkeys(_LOT[2:])
                | self.made.get(uri, {})
                for uri in sorted(missing)
            ]
            insert_rows(Lot, rows)
            found |= {row["identifier"]: row for row in rows}
        for uri in identifiers - missing:  # a lot seen before its commissioning: now its producer is known
            facts = {k: v for k, v in self.made.get(uri, {}).items() if v and found[uri][k] is None}
            if facts:
                Lot.objects.filter(pk=found[uri]["id"]).update(**facts)
        return found

    def _codes(self, identifiers: set[str]) -> dict[str, dict]:
        """Trace code → its row (id, lot), the unknown ones created and bound to their lot when it is known."""
        if not identifiers:
            return {}
        known = TraceCode.objects.filter(code__in=identifiers).values("id", "code", "lot_id")
        found = {row["code"]: row for row in known}
        lot_of = {code: self.lots[lot]["id"] for code, lot in self.lot_for_code.items()}
        rows = [{"code": c, "lot_id": lot_of.get(c)} for c in sorted(identifiers - set(found))]
        insert_rows(TraceCode, rows)
        found |= {row["code"]: row for row in rows}
        for row in found.values():
            if row["lot_id"] is None and row["code"] in lot_of:
                row["lot_id"] = lot_of[row["code"]]
                TraceCode.objects.filter(pk=row["id"]).update(lot_id=row["lot_id"])
        return found

    def _contents(self) -> dict[int, dict[int, list]]:
        """What each known container (a code that was an aggregation's parent) holds now: lot → [quantity, unit]."""
        contents: dict[int, dict[int, list]] = defaultdict(dict)
        ids = [code["id"] for code in self.codes.values()]
        if not ids:
            return contents
        parents = EventItem.objects.filter(role=ItemRole.PARENT, code_id__in=ids, event__kind=EventKind.AGGREGATION)
        events = TraceEvent.objects.filter(pk__in=parents.values("event_id")).order_by("event_time", "pk")
        children = defaultdict(list)
        packed = EventItem.objects.filter(event__in=events).filter(Q(role=ItemRole.CHILD) | Q(role=ItemRole.PARENT))
        for item in packed.values("event_id", "role", "lot_id", "code_id", "quantity", "unit"):
            children[item["event_id"]].append(item)
        for event in events:
            self._pack(contents, event.action, children[event.pk])
        return contents

    @staticmethod
    def _pack(contents, action: str, items: list[dict]) -> None:
        parent = next((i["code_id"] for i in items if i["role"] == ItemRole.PARENT), None)
        if parent is None:
            return
        held = contents[parent]
        children = [i for i in items if i["role"] == ItemRole.CHILD and i["lot_id"]]
        if action == Action.DELETE:
            for child in children:
                held.pop(child["lot_id"], None)
            if not children:
                held.clear()
            return
        for child in children:
            quantity = child["quantity"] if child["quantity"] is not None else Decimal(1)
            entry = held.setdefault(child["lot_id"], [Decimal(0), child["unit"]])
            entry[0] += quantity

    def items(self, r: ReadEvent, event_id: int) -> list[dict]:
        """The event's items as rows, with the contents of any container it names as `contained` items."""
        items = []
        for item in r.items:
            row = {
                "event_id": event_id,
                "role": item.role,
                "code_id": None,
                "quantity": item.quantity,
                "unit": item.unit,
            }
            if item.by_class:
                items.append(row | {"lot_id": self.lots[lot_identifier(item.identifier)]["id"]})
            else:
                code = self.codes[item.identifier]
                quantity = Decimal(1) if code["lot_id"] else None
                items.append(row | {"lot_id": code["lot_id"], "code_id": code["id"], "quantity": quantity, "unit": ""})
        if r.kind == EventKind.AGGREGATION:
            self._pack(self.contents, r.action, items)
        if r.kind != EventKind.AGGREGATION or r.action == Action.OBSERVE:
            containers = [item["code_id"] for item in items if item["code_id"] in self.contents]
            items += [
                {
                    "event_id": event_id,
                    "role": ItemRole.CONTAINED,
                    "lot_id": lot_id,
                    "code_id": None,
                    "quantity": quantity,
                    "unit": unit,
                }
                for container in containers
                for lot_id, (quantity, unit) in self.contents[container].items()
            ]
        return items
