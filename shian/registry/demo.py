"""Demo food businesses in the four demo counties, and the business users' access to the first one."""

from decimal import Decimal

from stdnum.cn import uscc

from shian.core.choices import Role
from shian.core.demo import COUNTIES, DemoContext, demo_step
from shian.core.models import Region

from .choices import MembershipRole
from .models import Operator
from .services import membership_grant, operator_create

# name stem, address stem, approximate centre of the county (lat, lon)
COUNTY_CENTRES = {
    "320508": (Decimal("31.3170"), Decimal("120.6190")),
    "320506": (Decimal("31.2630"), Decimal("120.6320")),
    "320102": (Decimal("32.0500"), Decimal("118.7980")),
    "320106": (Decimal("32.0660"), Decimal("118.7700")),
}
NAMES = [
    "示范餐厅",
    "平价超市",
    "中心小学食堂",
    "好味面馆",
    "放心肉铺",
    "鲜果便利店",
    "老字号糕团店",
    "社区长者食堂",
]


def _credit_code(n: int) -> str:
    body = f"9132{n:04d}MA{n:07d}"[:17]
    body = body.replace("I", "1").replace("O", "0")
    return body + uscc.calc_check_digit(body)


@demo_step(order=20)
def operators(context: DemoContext) -> None:
    existing = Operator.objects.filter(credit_code__startswith="9132").count()
    for n in range(existing, context.operators):
        county = COUNTIES[n % len(COUNTIES)]
        region = Region.objects.get(code=county)
        lat, lon = COUNTY_CENTRES[county]
        offset = Decimal(n) / Decimal(2000)
        operator_create(
            by=None,
            name=f"{region.name}{NAMES[n % len(NAMES)]}{'' if n < len(NAMES) else n // len(NAMES) + 1}",
            credit_code=_credit_code(n + 1),
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
