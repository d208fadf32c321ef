"""`shian demo`: one real province (Jiangsu) with two cities and four counties, their agencies and one user
for every role. Apps add their own demo data with `@demo_step(order)` in their `demo.py`. Every step is
idempotent: a second run adds nothing."""

from collections.abc import Callable
from dataclasses import dataclass, field

from .choices import AgencyKind, Role, UserKind
from .models import Agency, ApiToken, Region, User
from .services.regions import regions_load
from .services.tokens import api_token_create
from .services.users import user_create

DEMO_PASSWORD = "Shian-demo-2026"
PROVINCE = "320000"
CITIES = ["320500", "320100"]  # 苏州市, 南京市
COUNTIES = ["320508", "320506", "320102", "320106"]  # 姑苏区, 吴中区, 玄武区, 鼓楼区


@dataclass
class DemoContext:
    operators: int
    agencies: dict[str, Agency] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


_steps: list[tuple[int, Callable[[DemoContext], None]]] = []


def demo_step(order: int):
    def register(fn: Callable[[DemoContext], None]):
        _steps.append((order, fn))
        return fn

    return register


def run_demo(*, operators: int) -> DemoContext:
    context = DemoContext(operators=operators)
    for _, step in sorted(_steps, key=lambda s: s[0]):
        step(context)
    return context


def _agency(name: str, code: str, kind: str, parent: Agency | None) -> Agency:
    agency, _ = Agency.objects.get_or_create(
        name=name, defaults={"kind": kind, "region": Region.objects.get(code=code), "parent": parent}
    )
    return agency


@demo_step(order=0)
def regions_and_agencies(context: DemoContext) -> None:
    regions_load()
    province = _agency("江苏省市场监督管理局", PROVINCE, AgencyKind.BUREAU, None)
    context.agencies[PROVINCE] = province
    for city in CITIES:
        region = Region.objects.get(code=city)
        context.agencies[city] = _agency(f"{region.name}市场监督管理局", city, AgencyKind.BUREAU, province)
    for county in COUNTIES:
        region = Region.objects.get(code=county)
        city = context.agencies[county[:4] + "00"]
        context.agencies[county] = _agency(
            f"{city.region.name}{region.name}市场监督管理局", county, AgencyKind.BRANCH, city
        )
    context.agencies["committee"] = _agency("苏州市食品安全委员会办公室", "320500", AgencyKind.COMMITTEE, None)


# username, real name, phone, kind, roles, agency key (None: no agency)
DEMO_USERS = [
    ("demo-admin", "系统管理员", "13800000001", UserKind.REGULATOR, [Role.ADMIN], PROVINCE),
    ("demo-head", "王局长", "13800000002", UserKind.REGULATOR, [Role.AGENCY_HEAD], "320500"),
    ("demo-inspector", "李检查", "13800000003", UserKind.REGULATOR, [Role.INSPECTOR], "320508"),
    ("demo-case-officer", "赵办案", "13800000004", UserKind.REGULATOR, [Role.CASE_OFFICER], "320508"),
    ("demo-sampling-officer", "钱抽检", "13800000005", UserKind.REGULATOR, [Role.SAMPLING_OFFICER], "320506"),
    ("demo-committee", "孙食安办", "13800000006", UserKind.REGULATOR, [Role.COMMITTEE_OFFICE], "committee"),
    ("demo-lab", "周检验", "13800000007", UserKind.LAB, [Role.LAB], None),
    ("demo-principal", "吴老板", "13800000008", UserKind.BUSINESS, [Role.PRINCIPAL], None),
    ("demo-director", "郑总监", "13800000009", UserKind.BUSINESS, [Role.DIRECTOR], None),
    ("demo-officer", "冯安全员", "13800000010", UserKind.BUSINESS, [Role.OFFICER], None),
    ("demo-public", "陈市民", "13800000011", UserKind.PUBLIC, [Role.PUBLIC], None),
    ("demo-integration", "检验系统对接", "", UserKind.LAB, [Role.INTEGRATION], None),
]


@demo_step(order=10)
def users(context: DemoContext) -> None:
    for username, real_name, phone, kind, roles, agency_key in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                by=None,
                username=username,
                password=DEMO_PASSWORD,
                kind=kind,
                roles=roles,
                real_name=real_name,
                phone=phone,
                email=f"{username}@example.cn",
                agency=context.agencies.get(agency_key),
            )
        context.users[roles[0]] = user
        if roles != [Role.INTEGRATION]:
            context.logins.append((Role(roles[0]).label, username, DEMO_PASSWORD))
    integration = context.users[Role.INTEGRATION]
    if not ApiToken.objects.filter(user=integration).exists():
        _, key = api_token_create(user=integration, name="demo lab system", scopes=["regions:read"], days=365)
        context.notes.append(f"API token for demo-integration (shown once): {key}")
