"""Traces at a province's scale on PostgreSQL, and EPCIS capture through the API.

    SHIAN_BENCH_DATABASE_URL=postgres://… python benchmarks/trace.py [--families 200000] [--traces 1000]

Data (streamed with COPY): 100,000 locations (farms, processors, distributors, wholesalers, retailers,
caterers) over the counties of 江苏, and per product family 5 lots and 50 events: two farm lots commissioned,
stored and shipped to a processor, where they are merged with the previous family's second farm lot into a
processed lot (a transformation with three inputs); the processed lot goes through a distributor to two
wholesalers, each re-packs it into a lot of its own (a transformation) and ships it on to retailers and a
caterer, one shipment still in transit; temperature and inspection observations along the way. Chains run up to
8 hops (farm → processor → distributor → wholesaler → retailer), with splits and merges. 200,000 families make
1,000,000 lots and 10,000,000 events (10.6 million event items, 800,000 lot links).

Timed:
- full backward + forward traces of N random lots through `trace_of`, the function the API and `shian trace`
  call, as a province regulator, returning the complete result (lots, links, every event with its items,
  holders): p50/p95/p99 (target p95 < 10 ms);
- the same traces by one hand-written recursive SQL query over the same tables (the floor: both ways, the
  events and their items returned as rows); ratio = service p95 / SQL p95 (target ≤ 5);
- baseline: an ORM walk hop by hop (one query per lot per hop, then one per lot for its events) on a subset;
- capture through the API (`POST /api/v1/trace/capture`: the whole WSGI application with its middleware, token
  auth, JSON Schema validation, durable commits) in documents of 100 events, into the full database, by one
  server process and by `--workers` processes at once, as gunicorn runs one per core (target ≥ 5,000 events
  per second).
"""

import argparse
import datetime
import io
import json
import multiprocessing
import os
import random
import statistics
import sys
import time
import uuid

import psycopg
from harness import settle, setup_django, timer, write

LOCATIONS = {  # kind: (first id, how many)
    "farm": (1, 20_000),
    "processor": (20_001, 5_000),
    "distributor": (25_001, 5_000),
    "wholesaler": (30_001, 10_000),
    "retailer": (40_001, 40_000),
    "caterer": (80_001, 20_000),
}
PRODUCTS = 10_000
EVENTS_PER_FAMILY = 50
START = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)


def place(kind: str, n: int) -> int:
    first, count = LOCATIONS[kind]
    return first + n % count


class Family:
    """The lots and events of one product family, as rows for COPY."""

    def __init__(self, f: int, families: int):
        self.f = f
        self.a, self.b, self.p, self.w1, self.w2 = (5 * f + k for k in range(1, 6))
        self.previous_b = 5 * (f - 1) + 2 if f else None
        self.t = START + datetime.timedelta(minutes=(f * 525_600) // max(families, 1))
        self.events: list[tuple] = []
        self.items: list[tuple] = []
        self.links: list[tuple] = []

    def event(self, event_id, minutes, step, kind, at, lots, *, source=None, destination=None, action="OBSERVE"):
        when = self.t + datetime.timedelta(minutes=minutes)
        self.events.append((event_id, kind, action, when, step, at, source, destination))
        for role, lot, quantity in lots:
            self.items.append((event_id, role, lot, quantity))

    def build(self, next_id: int) -> int:
        f = self.f
        farm, farm2 = place("farm", f), place("farm", 7 * f + 3)
        proc, dist = place("processor", f), place("distributor", f)
        w1, w2 = place("wholesaler", 2 * f), place("wholesaler", 2 * f + 1)
        r0, r1, r2 = (place("retailer", 4 * f + k) for k in range(3))
        cat = place("caterer", f)
        obj, tf = "ObjectEvent", "TransformationEvent"
        ids = iter(range(next_id, next_id + EVENTS_PER_FAMILY))
        e = self.event
        a, b, p = self.a, self.b, self.p
        e(next(ids), 0, "commissioning", obj, farm, [("epc", a, 1000)], action="ADD")
        for k in range(4):
            e(next(ids), 10 + k, "storing", obj, farm, [("epc", a, 1000)])
        e(next(ids), 60, "shipping", obj, farm, [("epc", a, 1000)], destination=proc)
        e(next(ids), 180, "receiving", obj, proc, [("epc", a, 1000)], source=farm)
        e(next(ids), 0, "commissioning", obj, farm2, [("epc", b, 400)], action="ADD")
        for k in range(4):
            e(next(ids), 20 + k, "storing", obj, farm2, [("epc", b, 400)])
        e(next(ids), 70, "shipping", obj, farm2, [("epc", b, 200)], destination=proc)
        e(next(ids), 190, "receiving", obj, proc, [("epc", b, 200)], source=farm2)
        e(next(ids), 75, "shipping", obj, farm2, [("epc", b, 200)], destination=place("processor", f + 1))
        e(next(ids), 200, "receiving", obj, place("processor", f + 1), [("epc", b, 200)], source=farm2)
        inputs = [("input", a, 1000), ("input", b, 200)]
        if self.previous_b:
            inputs.append(("input", self.previous_b, 200))
        e(next(ids), 300, "commissioning", tf, proc, [*inputs, ("output", p, 1200)])
        self.links += [(lot, p, self.events[-1][0]) for _role, lot, _q in inputs]
        e(next(ids), 320, "inspecting", obj, proc, [("epc", p, 1200)])
        e(next(ids), 400, "shipping", obj, proc, [("epc", p, 1200)], destination=dist)
        e(next(ids), 500, "receiving", obj, dist, [("epc", p, 1200)], source=proc)
        for k in range(5):
            e(next(ids), 510 + k, "storing", obj, dist, [("epc", p, 1200)])
        e(next(ids), 600, "shipping", obj, dist, [("epc", p, 600)], destination=w1)
        e(next(ids), 700, "receiving", obj, w1, [("epc", p, 600)], source=dist)
        e(next(ids), 610, "shipping", obj, dist, [("epc", p, 600)], destination=w2)
        e(next(ids), 710, "receiving", obj, w2, [("epc", p, 600)], source=dist)
        for lot, at, to in ((self.w1, w1, (r0, cat)), (self.w2, w2, (r1, r2))):
            e(next(ids), 800, "repackaging", tf, at, [("input", p, 600), ("output", lot, 580)])
            self.links.append((p, lot, self.events[-1][0]))
            e(next(ids), 900, "shipping", obj, at, [("epc", lot, 290)], destination=to[0])
            e(next(ids), 1000, "receiving", obj, to[0], [("epc", lot, 290)], source=at)
            e(next(ids), 1100, "retail_selling", obj, to[0], [("epc", lot, 50)])
            e(next(ids), 920, "shipping", obj, at, [("epc", lot, 290)], destination=to[1])
            if lot == self.w1:
                e(next(ids), 1020, "receiving", obj, to[1], [("epc", lot, 290)], source=at)
            for k in range(5):
                e(next(ids), 1030 + k, "sensor_reporting", obj, to[0], [("epc", lot, 240)])
        assert len(self.events) == EVENTS_PER_FAMILY, len(self.events)
        return next_id + EVENTS_PER_FAMILY


def build(families: int) -> dict:
    from django.db import connection

    from shian.core.models import Region
    from shian.core.services.regions import regions_load

    regions_load()
    counties = list(Region.objects.filter(code__startswith="32", level="county").values_list("code", flat=True))
    region_of = {i: counties[i % len(counties)] for i in range(1, 100_001)}
    counts = {"events": 0, "items": 0, "links": 0}
    with connection.cursor() as cursor:
        raw = cursor.cursor
        cursor.execute("SET session_replication_role = replica")  # skip FK checks while loading
        with raw.copy(
            "COPY trace_location (id, identifier, kind, name, gln, country, address, region_id) FROM STDIN"
        ) as c:
            for kind, (first, count) in LOCATIONS.items():
                for i in range(first, first + count):
                    c.write_row(
                        (i, f"urn:epc:id:sgln:6900000.{i:05d}.0", "party", f"{kind}-{i}", "", "CN", "", region_of[i])
                    )
        with raw.copy("COPY trace_product (id, gtin, name) FROM STDIN") as c:
            for i in range(1, PRODUCTS + 1):
                c.write_row((i, f"{69000000000000 + i}", f"产品{i}"))
        with raw.copy("COPY trace_lot (id, identifier, product_id, lot_code) FROM STDIN") as c:
            for i in range(1, 5 * families + 1):
                product = 1 + i % PRODUCTS
                c.write_row((i, f"https://id.gs1.org/01/{69000000000000 + product}/10/L{i}", product, f"L{i}"))
        next_id, item_id = 1, 1
        # One COPY at a time per connection: items and links stream over connections of their own.
        extra = [psycopg.connect(**connection.get_connection_params(), autocommit=True) for _ in range(2)]
        for conn in extra:
            conn.execute("SET session_replication_role = replica")
        events = raw.copy(
            "COPY trace_traceevent (id, event_id, kind, action, event_time, time_zone, recorded_at, biz_step,"
            " disposition, biz_location_id, source_id, destination_id, sources, destinations, documents,"
            " transformation_id, region_id) FROM STDIN"
        )
        items = extra[0].cursor().copy("COPY trace_eventitem (id, event_id, role, lot_id, quantity, unit) FROM STDIN")
        links = extra[1].cursor().copy("COPY trace_lotlink (source_id, target_id, event_id) FROM STDIN")
        with events as ce, items as ci, links as cl:
            for f in range(families):
                family = Family(f, families)
                next_id = family.build(next_id)
                for eid, kind, action, when, step, at, source, destination in family.events:
                    ce.write_row(
                        (eid, f"urn:shian:bench:{eid}", kind, "" if kind == "TransformationEvent" else action,
                         when, "+08:00", when, step, "", at, source, destination, "[]", "[]", "[]", "",
                         region_of[at])
                    )  # fmt: skip
                for eid, role, lot, quantity in family.items:
                    ci.write_row((item_id, eid, role, lot, quantity, "KGM"))
                    item_id += 1
                for row in family.links:
                    cl.write_row(row)
                counts["events"] += len(family.events)
                counts["items"] += len(family.items)
                counts["links"] += len(family.links)
        for conn in extra:
            conn.close()
        cursor.execute("SET session_replication_role = DEFAULT")
        for table in (
            "trace_location",
            "trace_product",
            "trace_lot",
            "trace_traceevent",
            "trace_eventitem",
            "trace_lotlink",
        ):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    counts["lots"] = 5 * families
    return counts


RAW_SQL = """
WITH RECURSIVE up(lot_id, hops) AS (
    SELECT %(lot)s::bigint, 0
    UNION SELECT l.source_id, u.hops + 1 FROM trace_lotlink l JOIN up u ON l.target_id = u.lot_id WHERE u.hops < 64
), down(lot_id, hops) AS (
    SELECT %(lot)s::bigint, 0
    UNION SELECT l.target_id, d.hops + 1 FROM trace_lotlink l JOIN down d ON l.source_id = d.lot_id WHERE d.hops < 64
), reached AS (SELECT lot_id FROM up UNION SELECT lot_id FROM down)
SELECT e.event_id, e.kind, e.event_time, e.biz_step, e.disposition, loc.name, i.role, i.lot_id, i.quantity, i.unit
FROM reached r
JOIN trace_eventitem i ON i.lot_id = r.lot_id
JOIN trace_traceevent e ON e.id = i.event_id
LEFT JOIN trace_location loc ON loc.id = e.biz_location_id
ORDER BY e.event_time, e.id
"""


def orm_walk(lot_id: int) -> int:
    """The baseline: hop by hop with the ORM, then each lot's events with their items."""
    from shian.trace.models import EventItem, LotLink

    seen = {lot_id}
    for along, step in (("target_id", "source_id"), ("source_id", "target_id")):
        frontier = [lot_id]
        while frontier:
            found = []
            for lot in frontier:
                for other in LotLink.objects.filter(**{along: lot}).values_list(step, flat=True):
                    if other not in seen:
                        seen.add(other)
                        found.append(other)
            frontier = found
    rows = 0
    for lot in seen:
        rows += len(list(EventItem.objects.filter(lot_id=lot).select_related("event", "event__biz_location")))
    return rows


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {
        "p50_ms": round(1000 * pick(0.50), 3),
        "p95_ms": round(1000 * pick(0.95), 3),
        "p99_ms": round(1000 * pick(0.99), 3),
        "mean_ms": round(1000 * statistics.fmean(ordered), 3),
    }


def capture_documents(count: int, first_lot: int) -> list[bytes]:
    """Documents of 100 events each: new lots commissioned, shipped and received between known locations."""
    documents = []
    n = 0
    for d in range(count):
        events = []
        for k in range(100):
            n += 1
            lot = f"https://id.gs1.org/01/{69000000000000 + 1 + n % PRODUCTS}/10/C{first_lot + n // 3}"
            step = ("commissioning", "shipping", "receiving")[n % 3]
            at = f"urn:epc:id:sgln:6900000.{1 + (n * 7919) % 100_000:05d}.0"
            event = {
                "type": "ObjectEvent",
                "eventID": f"urn:uuid:{uuid.uuid4()}",
                "eventTime": f"2026-0{1 + d % 9}-1{k % 10}T08:{k % 60:02d}:00+08:00",
                "eventTimeZoneOffset": "+08:00",
                "action": "ADD" if step == "commissioning" else "OBSERVE",
                "bizStep": step,
                "bizLocation": {"id": at},
                "quantityList": [{"epcClass": lot, "quantity": 100, "uom": "KGM"}],
            }
            if step == "shipping":
                event["destinationList"] = [{"type": "owning_party", "destination": at}]
            events.append(event)
        documents.append(
            json.dumps(
                {
                    "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
                    "type": "EPCISDocument",
                    "schemaVersion": "2.0",
                    "creationDate": "2026-03-01T00:00:00Z",
                    "epcisBody": {"eventList": events},
                }
            ).encode()
        )
    return documents


def _post(job: tuple[list[bytes], str, object]) -> tuple[float, float, int]:
    """One server process: each document through the whole WSGI application, as gunicorn hands it over. The
    first document warms the process (imports, the schema, the connection) and is not timed; then all the
    processes start together. Returns (start, end, documents timed)."""
    from django.core.handlers.wsgi import WSGIHandler

    documents, key, barrier = job
    handler = WSGIHandler()

    def post(body: bytes) -> None:
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/api/v1/trace/capture",
            "CONTENT_TYPE": "application/ld+json",
            "CONTENT_LENGTH": str(len(body)),
            "HTTP_AUTHORIZATION": f"Token {key}",
            "HTTP_HOST": "localhost",
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "443",
            "wsgi.url_scheme": "https",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
        }
        status = []
        b"".join(handler(environ, lambda line, headers, exc_info=None: status.append(line)))
        assert status[0].startswith("201"), status

    post(documents[0])
    barrier.wait()
    start = time.time()
    for body in documents[1:]:
        post(body)
    return start, time.time(), len(documents) - 1


def post_all(documents: list[bytes], key: str, *, workers: int) -> float:
    """Events per second captured through the API by `workers` processes posting at once."""
    from django.db import connections

    connections.close_all()  # each process opens its own connection
    context = multiprocessing.get_context("fork")
    barrier = context.Manager().Barrier(workers)
    with context.Pool(workers) as pool:
        timings = pool.map(_post, [(documents[i::workers], key, barrier) for i in range(workers)])
    elapsed = max(end for _, end, _ in timings) - min(start for start, _, _ in timings)
    return round(100 * sum(n for _, _, n in timings) / elapsed)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=200_000)
    parser.add_argument("--traces", type=int, default=1000)
    parser.add_argument("--baseline-traces", type=int, default=50)
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2, help="server processes posting at once (one per core)")
    parser.add_argument("--reuse", action="store_true", help="measure again on the network a previous run built")
    args = parser.parse_args()
    os.environ.setdefault("SHIAN_DB_CONN_MAX_AGE", "60")  # as docs/deploy.md runs the server
    if setup_django(keep=args.reuse) != "postgres":
        raise SystemExit("This benchmark runs on PostgreSQL: set SHIAN_BENCH_DATABASE_URL.")
    from django.db import connection

    from shian.core.models import Agency, Region, User
    from shian.core.services.tokens import api_token_create
    from shian.trace.models import Lot, TraceEvent
    from shian.trace.selectors import trace_of

    figures = {"families": args.families}
    if args.reuse:
        figures |= {"events": TraceEvent.objects.count(), "lots": Lot.objects.count(), "build_s": "reused"}
    else:
        with timer(figures, "build_s"):
            figures |= build(args.families)
        with timer(figures, "settle_s"):
            settle()
    agency, _ = Agency.objects.get_or_create(name="江苏省市场监督管理局", region=Region.objects.get(code="320000"))
    province = User.objects.filter(username="province").first() or User.objects.create_user(
        username="province", kind="regulator", agency=agency, jurisdiction=agency.region, is_superuser=False
    )
    rng = random.Random(20261204)
    lots = [rng.randint(1, figures["lots"]) for _ in range(args.traces)]

    for lot in lots[:20]:  # warm the cache as a running server would be
        trace_of(lots=[lot], user=province)
    service, sizes = [], []
    for lot in lots:
        start = time.perf_counter()
        trace = trace_of(lots=[lot], user=province)
        service.append(time.perf_counter() - start)
        sizes.append((len(trace.lots), len(trace.events), sum(len(e["items"]) for e in trace.events)))
    figures["trace_service"] = percentiles(service)
    figures["trace_mean_lots"] = round(statistics.fmean(s[0] for s in sizes), 1)
    figures["trace_mean_events"] = round(statistics.fmean(s[1] for s in sizes), 1)
    figures["trace_max_events"] = max(s[1] for s in sizes)

    raw = []
    with connection.cursor() as cursor:
        for lot in lots:
            start = time.perf_counter()
            cursor.execute(RAW_SQL, {"lot": lot})
            cursor.fetchall()
            raw.append(time.perf_counter() - start)
    figures["trace_raw_sql"] = percentiles(raw)
    figures["ratio_service_to_raw_sql_p95"] = round(
        figures["trace_service"]["p95_ms"] / figures["trace_raw_sql"]["p95_ms"], 2
    )
    walk = []
    for lot in lots[: args.baseline_traces]:
        start = time.perf_counter()
        orm_walk(lot)
        walk.append(time.perf_counter() - start)
    figures["baseline_orm_hop_by_hop"] = percentiles(walk)
    figures["ratio_orm_to_service_p95"] = round(
        figures["baseline_orm_hop_by_hop"]["p95_ms"] / figures["trace_service"]["p95_ms"], 1
    )

    system = User.objects.filter(username="trace-system").first() or User.objects.create_user(
        username="trace-system", kind="regulator", is_superuser=True
    )
    _, key = api_token_create(user=system, name="bench", scopes=["trace:capture"], days=1)
    documents = capture_documents(args.documents, Lot.objects.order_by("-id").values_list("id", flat=True)[0] + 1)
    before = TraceEvent.objects.count()
    half = args.documents // 2
    figures["capture_events_per_s_1_worker"] = post_all(documents[:half], key, workers=1)
    figures[f"capture_events_per_s_{args.workers}_workers"] = post_all(documents[half:], key, workers=args.workers)
    captured = TraceEvent.objects.count() - before
    assert captured == 100 * args.documents, captured
    figures["capture_events"] = captured
    figures["targets"] = {"trace_p95_ms": 10, "ratio_to_raw_sql": 5, "capture_events_per_s": 5000}
    write("trace", figures)


if __name__ == "__main__":
    main()
