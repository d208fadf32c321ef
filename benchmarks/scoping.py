"""Region scoping: what `visible_to(user)` costs on a large operator table, against a hand-written filter
on the same region as baseline (county: `region_id = code`; city/province: `region_id IN (codes)`).

    python benchmarks/scoping.py [--operators 200000] [--repeat 20]
"""

import argparse
import statistics
import time

from harness import setup_django, write


def best_ms(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(runs), 2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--operators", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    setup_django()

    from stdnum.cn import uscc

    from shian.core.choices import UserKind
    from shian.core.models import Region, User
    from shian.core.services.regions import regions_load
    from shian.registry.models import Operator

    regions_load()
    counties = list(Region.objects.filter(level="county").values_list("code", flat=True))
    batch = []
    for n in range(args.operators):
        body = f"9132{n:013d}"
        batch.append(
            Operator(
                name=f"经营主体{n}",
                credit_code=body + uscc.calc_check_digit(body),
                region_id=counties[n % len(counties)],
            )
        )
        if len(batch) == 10_000:
            Operator.objects.bulk_create(batch)
            batch = []
    Operator.objects.bulk_create(batch)

    figures: dict = {"operators": args.operators, "counties": len(counties)}
    for level, code in [("county", "320508"), ("city", "320500"), ("province", "320000")]:
        user = User(username=f"bench-{level}", kind=UserKind.REGULATOR, jurisdiction_id=code)
        codes = list(Region.objects.within(code).values_list("code", flat=True))
        baseline = (
            Operator.objects.filter(region_id=code)
            if level == "county"
            else Operator.objects.filter(region_id__in=codes)
        )
        scoped = Operator.objects.visible_to(user)
        assert scoped.count() == baseline.count()
        figures[f"{level}_rows"] = scoped.count()
        figures[f"{level}_count_baseline_ms"] = best_ms(baseline.count, args.repeat)
        figures[f"{level}_count_scoped_ms"] = best_ms(scoped.count, args.repeat)
        figures[f"{level}_page_baseline_ms"] = best_ms(
            lambda q=baseline: list(q.order_by("region_id", "name", "id")[:50]), args.repeat
        )
        figures[f"{level}_page_scoped_ms"] = best_ms(
            lambda q=scoped: list(q.order_by("region_id", "name", "id")[:50]), args.repeat
        )
        figures[f"{level}_count_ratio"] = round(
            figures[f"{level}_count_scoped_ms"] / max(figures[f"{level}_count_baseline_ms"], 0.01), 2
        )
    write("scoping", figures)


if __name__ == "__main__":
    main()
