"""Demo food businesses in the four demo counties: realistic business formats, a valid JY licence each with
expiry dates spread over the coming months (one already expired), three to five staff each (some with expired
health certificates), and the business users' access to the first one. Idempotent: a second run adds nothing."""

import datetime
from decimal import Decimal

from django.utils import timezone
from stdnum.cn import ric, uscc

from shian.core.choices import Role
from shian.core.demo import COUNTIES, DemoContext, demo_step
from shian.core.models import Region

from .choices import CanteenKind, MembershipRole, OperatorCategory, StaffRole
from .models import Operator
from .rules import mod11_10_check_digit
from .services import licence_create, membership_grant, operator_create, staff_create

# approximate centre of the county (lat, lon)
COUNTY_CENTRES = {
    "320508": (Decimal("31.3170"), Decimal("120.6190")),
    "320506": (Decimal("31.2630"), Decimal("120.6320")),
    "320102": (Decimal("32.0500"), Decimal("118.7980")),
    "320106": (Decimal("32.0660"), Decimal("118.7700")),
}
# name stem, business format, canteen kind
KINDS = [
    ("示范餐厅", OperatorCategory.CATERING, ""),
    ("平价超市", OperatorCategory.SALES, ""),
    ("中心小学食堂", OperatorCategory.CANTEEN, CanteenKind.SCHOOL),
    ("好味面馆", OperatorCategory.CATERING, ""),
    ("放心肉铺", OperatorCategory.SALES, ""),
    ("鲜果便利店", OperatorCategory.SALES, ""),
    ("老字号糕团店", OperatorCategory.CATERING, ""),
    ("社区长者食堂", OperatorCategory.CANTEEN, CanteenKind.ELDERLY_CARE),
]
# The JY number's first digit is the business format [regulations.md §7.3]
JY_FORMAT_DIGIT = {OperatorCategory.SALES: "1", OperatorCategory.CATERING: "2", OperatorCategory.CANTEEN: "3"}
# Days from today to each demo licence's expiry, in the order the businesses were created: one expired, several
# within 30, 60 and 90 days (so the list filters and the file page have something to show), the rest later.
EXPIRY_DAYS = [-12, 9, 24, 48, 83, 150, 365, 700, 1100, 20, 57, 1500]
LICENSED_ITEMS = {
    OperatorCategory.SALES: "预包装食品（含冷藏冷冻食品）销售；散装食品（含熟食）销售",
    OperatorCategory.CATERING: "热食类食品制售；糕点类食品（含裱花蛋糕）制售",
    OperatorCategory.CANTEEN: "热食类食品制售",
}
LICENCE_YEARS = 5  # a food business licence is valid for five years (SAMR Order 78)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林"
# Birth places of the demo staff: county codes in force from 1983 (python-stdnum's place table starts then) to
# at least 2002, so that birth years 1983–2002 validate.
BIRTH_PLACES = ["320102", "320106", "320503", "320504", "320402", "321002", "320321", "340102", "330102", "410102"]
GIVEN_NAMES = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛"]


def _credit_code(n: int) -> str:
    body = f"9132{n:04d}MA{n:07d}"[:17]
    body = body.replace("I", "1").replace("O", "0")
    return body + uscc.calc_check_digit(body)


def _years_later(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later (or earlier); 29 February becomes the 28th in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _licence_number(operator: Operator) -> str:
    body = f"{JY_FORMAT_DIGIT[operator.category]}{operator.region_id}{operator.pk % 1_000_000:06d}"
    return f"JY{body}{mod11_10_check_digit(body)}"


def _id_number(birth_place: str, born: datetime.date, serial: int) -> str:
    body = f"{birth_place}{born:%Y%m%d}{serial % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum strips a (placeholder) check character


@demo_step(order=20)
def operators(context: DemoContext) -> None:
    existing = Operator.objects.filter(credit_code__startswith="9132").count()
    for n in range(existing, context.operators):
        county = COUNTIES[n % len(COUNTIES)]
        region = Region.objects.get(code=county)
        lat, lon = COUNTY_CENTRES[county]
        offset = Decimal(n) / Decimal(2000)
        stem, category, canteen_kind = KINDS[n % len(KINDS)]
        operator_create(
            by=None,
            name=f"{region.name}{stem}{'' if n < len(KINDS) else n // len(KINDS) + 1}",
            credit_code=_credit_code(n + 1),
            category=category,
            canteen_kind=canteen_kind,
            region=region,
            address=f"{region.parent.name if region.parent else ''}{region.name}示范路{n + 1}号",
            latitude=lat + offset,
            longitude=lon + offset,
        )
    first = Operator.objects.filter(region_id=COUNTIES[0]).order_by("id").first()
    if first is None:
        return
    for role, membership_role in [
        (Role.PRINCIPAL, MembershipRole.PRINCIPAL),
        (Role.DIRECTOR, MembershipRole.DIRECTOR),
        (Role.OFFICER, MembershipRole.OFFICER),
    ]:
        user = context.users[role]
        if not user.operator_memberships.filter(operator=first).exists():
            membership_grant(operator=first, user=user, role=membership_role, by=None)


@demo_step(order=21)
def licences_and_staff(context: DemoContext) -> None:
    """A JY licence and a few staff for every demo business that has none yet."""
    today = timezone.localdate()
    demo_operators = Operator.objects.filter(credit_code__startswith="9132").order_by("id")
    for i, operator in enumerate(demo_operators):
        if operator.category in JY_FORMAT_DIGIT and not operator.licences.exists():
            days = EXPIRY_DAYS[i] if i < len(EXPIRY_DAYS) else 400 + 37 * i
            expires = today + datetime.timedelta(days=days)
            licence_create(
                operator=operator,
                by=None,
                number=_licence_number(operator),
                licensed_items=LICENSED_ITEMS[operator.category],
                authority=f"{operator.region.name}市场监督管理局",
                issued_on=_years_later(expires, -LICENCE_YEARS),
                expires_on=expires,
            )
        if not operator.staff.exists():
            _demo_staff(operator, i, today)


def _demo_staff(operator: Operator, i: int, today: datetime.date) -> None:
    roles = [StaffRole.PRINCIPAL, StaffRole.OFFICER, *[StaffRole.WORKER] * 3]
    if operator.category == OperatorCategory.CANTEEN:
        roles[1] = StaffRole.DIRECTOR
    for k, role in enumerate(roles[: 3 + i % 3]):
        serial = i * 5 + k
        born = datetime.date(1983 + serial % 20, 1 + serial % 12, 1 + serial % 28)
        expired = (i + k) % 4 == 3  # about one in four certificates has run out
        issued = today - datetime.timedelta(days=400 + 10 * k if expired else 100 + 20 * k)
        staff_create(
            operator=operator,
            by=None,
            name=SURNAMES[serial % len(SURNAMES)] + GIVEN_NAMES[(serial * 7) % len(GIVEN_NAMES)],
            role=role,
            id_number=_id_number(BIRTH_PLACES[serial % len(BIRTH_PLACES)], born, serial),
            phone=f"139{operator.pk % 10000:04d}{k:04d}",
            health_certificate_no=f"JKZ{today.year - (1 if expired else 0)}{operator.pk:05d}{k:02d}",
            health_certificate_issued_on=issued,
            health_certificate_expires_on=_years_later(issued, 1),  # a health certificate is valid one year
        )
