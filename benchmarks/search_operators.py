"""Search and filters of the operator list at a province's size: the first page (50 rows plus the capped
count, as the list page shows them) for a province inspector who sees every operator.

    python benchmarks/search_operators.py [--operators N] [--repeat 7]

N defaults to 1,000,000 on PostgreSQL (SHIAN_BENCH_DATABASE_URL) and 200,000 on SQLite, all of them in the
counties of one province (江苏, 32). Each operator has a licence and two staff; one in twenty a filing.
Rows go in with COPY on PostgreSQL and bulk_create on SQLite.

Timed, each against a baseline measured in the same run:
- `q=<name fragment>`: a rare fragment of 3+ characters, a rare 2-character fragment and a common one (the
  bigram index, migration registry 0005). Baselines: the same request before the name index exists
  (PostgreSQL), and an indexed equality lookup of a whole name.
- `q=<credit code>`, `q=<licence number>`, `q=<filing number>`: baseline a plain equality lookup on the
  credit code or licence number column.
- a filter combination (category + licence expiring within 30 days + staff with lapsed health
  certificates): baseline the unfiltered first page.
- the capped count ("10,000+") of the unfiltered province, against a full COUNT(*).
"""

import argparse
import datetime
import json
import random
import statistics
import time

from harness import setup_django, timer, write

BRAND_CHARS = (
    "鸿福瑞祥兴旺隆盛嘉和富贵吉康宁泰安顺丰源美佳鑫荣华新昌宏伟达通利发金银玉宝龙凤麟德仁义礼智信"
    "春夏秋冬东南西北江河湖海山川林森松柏竹梅兰菊桂香花果园田禾稻麦粮米豆茶酒醇甘甜味鲜香辣麻酸咸"
    "一二三四五六七八九十百千万老小大中上下左右前后内外高低长远近明亮光辉星月日云雨风雪晴天地人和"
)
KINDS = [
    "面馆",
    "饭店",
    "餐厅",
    "小吃店",
    "超市",
    "便利店",
    "食品店",
    "烘焙坊",
    "茶餐厅",
    "火锅店",
    "烧烤店",
    "快餐店",
    "酒楼",
    "甜品店",
    "粥铺",
    "熟食店",
    "水果店",
    "粮油店",
    "蛋糕店",
    "食品厂",
]
NAME_INDEX = "registry_operator_name_bigrams"  # as migration registry 0005 names it
CATEGORIES = ["catering"] * 55 + ["sales"] * 30 + ["production"] * 5 + ["canteen"] * 5 + ["workshop"] * 5


def jy_number(county: str, seq: int) -> str:
    """A JY catering licence number with a correct MOD 11,10 check digit (regulations.md §7.3)."""
    digits = f"2{county}{seq:06d}"
    p = 10
    for ch in digits:
        s = (p + int(ch)) % 10 or 10
        p = (s * 2) % 11
    return f"JY{digits}{(11 - p) % 10}"


def generate(n: int, counties: list[tuple[str, str]], today: datetime.date, seed: int = 2026):
    """Rows for operators, licences, filings and staff (plain tuples, ids from 1)."""
    from stdnum.cn import uscc

    rng = random.Random(seed)
    now = datetime.datetime.now(datetime.UTC)
    operators, licences, filings, staff = [], [], [], []
    for i in range(1, n + 1):
        code, county_name = counties[i % len(counties)]
        brand = rng.choice(BRAND_CHARS) + rng.choice(BRAND_CHARS)
        kind = rng.choice(KINDS)
        category = rng.choice(CATEGORIES)
        body = f"9132{i:013d}"
        operators.append(
            (
                i,
                f"{county_name}{brand}{kind}",
                body + uscc.calc_check_digit(body),
                category,
                "school" if category == "canteen" else "",
                '["health_food"]' if rng.random() < 0.02 else "[]",
                "张三",
                "13800000000",
                code,
                f"{county_name}人民路{i % 500 + 1}号",
                "operating" if rng.random() < 0.93 else rng.choice(["suspended", "closed"]),
                False,
                f"bench{i:026d}",
                now,
                now,
            )
        )
        expires = today + datetime.timedelta(days=rng.randint(-365, 5 * 365))
        licences.append(
            (
                i,
                i,
                "JY",
                jy_number(code, i // len(counties)),  # unique: the county is i % len(counties)
                "",
                "",
                expires - datetime.timedelta(days=5 * 365),
                expires,
                "valid" if rng.random() < 0.95 else "cancelled",
            )
        )
        if i % 20 == 0:
            filings.append((i // 20, i, f"YB{code}{i:08d}", "", "", today, None))
        for k in range(2):
            cert = None if rng.random() < 0.05 else today + datetime.timedelta(days=rng.randint(-365, 2 * 365))
            staff.append((2 * i + k - 1, i, f"员工{i}-{k}", "worker", "", "", "", None, cert, None, True))
    return operators, licences, filings, staff


OPERATOR_COLUMNS = (
    "id, name, credit_code, category, canteen_kind, special_foods, legal_representative, phone, region_id, "
    "address, status, handles_high_risk_foods, public_id, created_at, updated_at"
)
LICENCE_COLUMNS = "id, operator_id, kind, number, licensed_items, authority, issued_on, expires_on, status"
FILING_COLUMNS = "id, operator_id, number, items, authority, filed_on, cancelled_on"
STAFF_COLUMNS = (
    "id, operator_id, name, role, id_number, phone, health_certificate_no, health_certificate_issued_on, "
    "health_certificate_expires_on, health_certificate_evidence_id, active"
)


def load_postgresql(tables) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        raw = cursor.cursor
        for table, columns, rows in tables:
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")


def load_sqlite(operators, licences, filings, staff) -> None:
    from shian.registry.models import Filing, Licence, Operator, Staff

    def objects(model, columns, rows):
        names = [c.strip() for c in columns.split(",")]
        for row in rows:
            values = dict(zip(names, row, strict=True))
            if model is Operator:
                values["special_foods"] = json.loads(values["special_foods"])
            yield model(**values)

    for model, columns, rows in [
        (Operator, OPERATOR_COLUMNS, operators),
        (Licence, LICENCE_COLUMNS, licences),
        (Filing, FILING_COLUMNS, filings),
        (Staff, STAFF_COLUMNS, staff),
    ]:
        batch = []
        for obj in objects(model, columns, rows):
            batch.append(obj)
            if len(batch) == 20_000:
                model.objects.bulk_create(batch)
                batch = []
        model.objects.bulk_create(batch)


def median_ms(fn, repeat: int) -> float:
    fn()  # warm the cache and the plan
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(runs), 2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--operators", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    setup_django()

    from django.db import connection
    from django.http import QueryDict
    from django.utils import timezone

    from shian.core.choices import UserKind
    from shian.core.models import Region, User
    from shian.core.services.regions import regions_load
    from shian.registry.models import Licence, Operator
    from shian.registry.views.lists import operator_page

    postgresql = connection.vendor == "postgresql"
    n = args.operators or (1_000_000 if postgresql else 200_000)
    regions_load()
    province = "320000"
    counties = [
        (r.code, r.name) for r in Region.objects.within(province).filter(level="county").current().order_by("code")
    ]
    today = timezone.localdate()
    figures: dict = {"operators": n, "counties": len(counties), "province": province}

    with timer(figures, "generate_s"):
        operators, licences, filings, staff = generate(n, counties, today)
    figures.update(licences=len(licences), filings=len(filings), staff=len(staff))
    with connection.cursor() as cursor:
        if postgresql:
            cursor.execute(f"DROP INDEX IF EXISTS {NAME_INDEX}")
    with timer(figures, "load_s"):
        if postgresql:
            load_postgresql(
                [
                    ("registry_operator", OPERATOR_COLUMNS, operators),
                    ("registry_licence", LICENCE_COLUMNS, licences),
                    ("registry_filing", FILING_COLUMNS, filings),
                    ("registry_staff", STAFF_COLUMNS, staff),
                ]
            )
        else:
            load_sqlite(operators, licences, filings, staff)
    with timer(figures, "analyze_s"), connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if postgresql else "ANALYZE")

    rng = random.Random(7)
    sample = operators[rng.randrange(len(operators))]
    county_name = next(name for code, name in counties if code == sample[8])
    brand_kind = sample[1][len(county_name) :]  # brand (2 characters) + kind
    licence_no = licences[sample[0] - 1][3]
    filing_no = filings[len(filings) // 2][2]
    del operators, licences, filings, staff

    user = User(username="bench-province", kind=UserKind.REGULATOR, jurisdiction_id=province)

    def first_page(**params):
        query = QueryDict(mutable=True)
        query.update(params)

        def run():
            _, page = operator_page(user=user, params=query, number=1)
            rows = list(page.object_list)
            for operator in rows:
                list(operator.licences.all())
            return page.paginator.count, page.paginator.capped, rows

        return run

    def equality_page(queryset):
        def run():
            rows = list(queryset.select_related("region").prefetch_related("licences", "filings")[:50])
            return len(rows)

        return run

    fragments = {
        "name_rare": brand_kind,  # e.g. 鸿福面馆: a handful of rows
        "name_rare_2chars": brand_kind[:2],  # e.g. 鸿福: a few dozen rows, one bigram to look up
        "name_common": "面馆",  # one kind in twenty: ~5% of the province
    }
    searches = {
        **fragments,
        "credit_code": sample[2].lower(),  # typed in lower case: upper-cased by the search
        "licence_no": licence_no,
        "filing_no": filing_no,
    }
    combination = {"category": "catering", "licence_state": "expiring_30", "staff_health_expired": "true"}

    if postgresql:  # baseline: the same searches before the name index exists
        for key, value in fragments.items():
            figures[f"{key}_no_index_ms"] = median_ms(first_page(q=value), max(3, args.repeat // 2))
        with timer(figures, "name_index_build_s"), connection.cursor() as cursor:
            cursor.execute(f"CREATE INDEX {NAME_INDEX} ON registry_operator USING gin (shian_bigrams(name))")
            cursor.execute("ANALYZE registry_operator")

    for key, value in searches.items():
        count, capped, _ = first_page(q=value)()
        figures[f"{key}_query"] = value
        figures[f"{key}_matches"] = f"{count}+" if capped else count
        figures[f"{key}_ms"] = median_ms(first_page(q=value), args.repeat)

    name_equality = Operator.objects.visible_to(user).filter(name=sample[1])
    figures["name_equality_baseline_ms"] = median_ms(equality_page(name_equality), args.repeat)
    figures["credit_code_equality_baseline_ms"] = median_ms(
        equality_page(Operator.objects.visible_to(user).filter(credit_code=sample[2])), args.repeat
    )
    figures["licence_equality_baseline_ms"] = median_ms(
        equality_page(Operator.objects.visible_to(user).filter(licences__number=licence_no)), args.repeat
    )
    count, capped, _ = first_page(**combination)()
    figures["combination"] = "&".join(f"{k}={v}" for k, v in combination.items())
    figures["combination_matches"] = f"{count}+" if capped else count
    figures["combination_ms"] = median_ms(first_page(**combination), args.repeat)
    figures["unfiltered_page_baseline_ms"] = median_ms(first_page(), args.repeat)
    figures["unfiltered_full_count_ms"] = median_ms(lambda: Operator.objects.visible_to(user).count(), args.repeat)
    figures["licence_rows"] = Licence.objects.count()

    for key in fragments:
        figures[f"{key}_vs_name_equality"] = round(figures[f"{key}_ms"] / figures["name_equality_baseline_ms"], 2)
        if postgresql:
            figures[f"{key}_speedup_vs_no_index"] = round(figures[f"{key}_no_index_ms"] / figures[f"{key}_ms"], 2)
    figures["credit_code_vs_equality"] = round(
        figures["credit_code_ms"] / figures["credit_code_equality_baseline_ms"], 2
    )
    figures["licence_no_vs_equality"] = round(figures["licence_no_ms"] / figures["licence_equality_baseline_ms"], 2)
    figures["filing_no_vs_licence_equality"] = round(
        figures["filing_no_ms"] / figures["licence_equality_baseline_ms"], 2
    )
    figures["combination_vs_unfiltered"] = round(figures["combination_ms"] / figures["unfiltered_page_baseline_ms"], 2)
    figures["unfiltered_page_vs_full_count"] = round(
        figures["unfiltered_page_baseline_ms"] / figures["unfiltered_full_count_ms"], 2
    )
    write("search_operators", figures)


if __name__ == "__main__":
    main()
