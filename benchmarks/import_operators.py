"""Bulk import of operators: rows per second end to end (full validation and upsert, `partial`), and peak
memory, against two baselines measured in the same run (PostgreSQL):

- a raw COPY of the same file into a bare table (no validation, no index, no constraint);
- the database floor: the same good rows moved by the database alone, already parsed, from that table into
  the registry's own tables (operators, licences, one audit entry each) with their indexes and constraints,
  in a transaction rolled back afterwards. No import that writes what this one writes can beat it.

    SHIAN_BENCH_DATABASE_URL=postgres://... python benchmarks/import_operators.py [--rows 1000000]

1% of the rows are deliberately bad (bad check character, unknown county, malformed licence, missing name).
"""

import argparse
import csv
import random
import resource
import tempfile
import time
from pathlib import Path

from harness import setup_django, write


def generate(path: Path, rows: int, counties: list[str]) -> int:
    from stdnum.cn import uscc

    from shian.registry.rules import mod11_10_check_digit, org_code_check_char

    rng = random.Random(2026)
    bad = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(
            [
                "name",
                "credit_code",
                "licence_no",
                "category",
                "region_code",
                "address",
                "lat",
                "lon",
                "legal_representative",
                "phone",
                "licence_issued",
                "licence_expires",
                "floor_area",
                "daily_diners",
            ]
        )
        for n in range(rows):
            county = counties[n % len(counties)]
            # A company's code embeds its organisation code; one in ten (sole traders) carries a placeholder
            org = f"{n:08d}"[-8:]
            org += org_code_check_char(org) if n % 10 else "0"
            body = f"91{county}{org}"
            digits = f"2{county}{n % 1_000_000:06d}"
            record = [
                f"经营主体{n}",
                body + uscc.calc_check_digit(body),
                f"JY{digits}{mod11_10_check_digit(digits)}",
                "catering",
                county,
                f"示范路{n}号",
                f"{30 + rng.random():.6f}",
                f"{120 + rng.random():.6f}",
                "张三",
                "0512-66666666",
                "2024-01-15",
                "2029-01-14",
                f"{rng.randint(20, 900)}",
                f"{rng.randint(0, 500)}",
            ]
            if n % 100 == 99:  # 1% bad, four kinds in turn
                bad += 1
                kind = (n // 100) % 4
                if kind == 0:
                    record[1] = record[1][:-1] + ("0" if record[1][-1] != "0" else "1")
                elif kind == 1:
                    record[4] = "999999"
                elif kind == 2:
                    record[2] = "JY" + digits[:-1]
                else:
                    record[0] = ""
            out.writerow(record)
    return bad


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    setup_django()

    from django.db import connection

    from shian.core.models import Region
    from shian.core.services.regions import regions_load
    from shian.registry.importing import operators_import

    regions_load()
    # Licence numbers carry a 6-digit sequence per county: spread the rows over enough counties.
    counties = sorted(Region.objects.filter(level="county").values_list("code", flat=True))
    path = Path(tempfile.mkdtemp(prefix="shian-import-")) / "operators.csv"
    bad = generate(path, args.rows, counties)
    figures: dict = {"rows": args.rows, "bad_rows": bad, "file_mb": round(path.stat().st_size / 2**20, 1)}

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "DROP TABLE IF EXISTS bench_raw; CREATE UNLOGGED TABLE bench_raw ("
                + ", ".join(f"c{i} text" for i in range(14))
                + ")"
            )
            start = time.perf_counter()
            with path.open("rb") as f, cursor.copy("COPY bench_raw FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
                while data := f.read(1 << 20):
                    copy.write(data)
            figures["baseline_raw_copy_s"] = round(time.perf_counter() - start, 2)
        figures["baseline_rows_per_s"] = round(args.rows / figures["baseline_raw_copy_s"])
        figures["database_floor_s"] = database_floor()
        figures["database_floor_rows_per_s"] = round((args.rows - bad) / figures["database_floor_s"])

    start = time.perf_counter()
    report = operators_import(path=path, partial=True)
    figures["import_s"] = round(time.perf_counter() - start, 2)
    assert report.written and report.rejected == bad, (report.summary(), report.errors[:3])
    figures["summary"] = report.summary()
    figures["import_rows_per_s"] = round(args.rows / figures["import_s"])
    if "baseline_rows_per_s" in figures:
        figures["ratio_vs_raw_copy"] = round(figures["baseline_rows_per_s"] / figures["import_rows_per_s"], 1)
    if "database_floor_s" in figures:
        figures["import_vs_database_floor"] = round(figures["import_s"] / figures["database_floor_s"], 2)
    figures["peak_memory_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    write("import_operators", figures)


FLOOR = [
    # the good rows, with their operators' ids drawn from the sequence, as the import holds them
    """CREATE TEMP TABLE bench_good AS
    SELECT nextval('registry_operator_id_seq'::regclass) AS id, *
    FROM bench_raw
    WHERE c0 <> '' AND length(c2) = 16 AND c4 IN (SELECT code FROM core_region WHERE level = 'county')""",
    """INSERT INTO registry_operator (id, name, credit_code, category, canteen_kind, special_foods,
        legal_representative, phone, region_id, address, latitude, longitude, status, floor_area_m2, daily_diners,
        handles_high_risk_foods, public_id, created_at, updated_at)
    SELECT id, c0, c1, c3, '', '[]', c8, c9, c4, c5, c6::numeric, c7::numeric, 'operating', c12::numeric,
        c13::integer, false, md5(random()::text), now(), now()
    FROM bench_good""",
    """INSERT INTO registry_licence (operator_id, kind, number, licensed_items, authority, issued_on, expires_on,
        status)
    SELECT id, 'JY', c2, '', '', c10::date, c11::date, 'valid' FROM bench_good""",
    """INSERT INTO core_auditentry (at, actor_id, actor_label, action, content_type_id, object_id, object_repr,
        region_id, before, after, request_id, source, client_ip)
    SELECT now(), NULL, '', 'operator.import.create', (SELECT id FROM django_content_type WHERE model = 'operator'),
        o.id::text, o.name, o.region_id, NULL, to_jsonb(o), '', 'cli', NULL
    FROM registry_operator o""",
]


def database_floor() -> float:
    """Seconds for the database alone to store the good rows of the file in the empty registry (see the module
    text). Rolled back, and the tables emptied again, so that the import starts from the same state."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # statistics, as autovacuum keeps them: no nested loop over a million rows
        cursor.execute("BEGIN")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        start = time.perf_counter()
        for statement in FLOOR:
            cursor.execute(statement)
        seconds = time.perf_counter() - start
        cursor.execute("ROLLBACK")
        cursor.execute("DROP TABLE bench_raw")
        cursor.execute("TRUNCATE registry_operator, registry_licence, core_auditentry CASCADE")
        cursor.execute("CHECKPOINT")
    return round(seconds, 2)


if __name__ == "__main__":
    main()
