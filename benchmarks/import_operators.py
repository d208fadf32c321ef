"""Bulk import of operators: rows per second end to end (full validation and upsert, `partial`), against a
raw COPY of the same file into a bare table measured in the same run (PostgreSQL), and peak memory.

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

    from shian.registry.rules import mod11_10_check_digit

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
            body = f"9{county[:2]}{n:014d}"[:17]
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
            cursor.execute("DROP TABLE bench_raw")
        figures["baseline_rows_per_s"] = round(args.rows / figures["baseline_raw_copy_s"])

    start = time.perf_counter()
    report = operators_import(path=path, partial=True)
    figures["import_s"] = round(time.perf_counter() - start, 2)
    assert report.written and report.rejected == bad, (report.summary(), report.errors[:3])
    figures["summary"] = report.summary()
    figures["import_rows_per_s"] = round(args.rows / figures["import_s"])
    if "baseline_rows_per_s" in figures:
        figures["ratio_vs_raw_copy"] = round(figures["baseline_rows_per_s"] / figures["import_rows_per_s"], 1)
    figures["peak_memory_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    write("import_operators", figures)


if __name__ == "__main__":
    main()
