from django.utils import timezone

from shian.core.choices import Role
from shian.core.demo import DEMO_PASSWORD, DemoContext, demo_step
from shian.core.models import Region, User
from shian.core.services.users import user_create
from shian.registry.models import Operator

from .labrows import LabRow
from .management.commands.sampling import SHIPPED
from .models import FoodCategory, Lab, LabMember, Sample, SamplingPlan
from .services import (
    catalogue_load,
    datafile_kind,
    disposal_order,
    limits_load,
    plan_activate,
    plan_create,
    results_record,
    sample_notify,
)
from .services import sample_record as record

LABS = [
    ("苏州市食品检验检测中心", "320500", "CMA 200000000001"),
    ("江苏省产品质量监督检验研究院", "320000", "CMA 200000000002"),
]


@demo_step(order=50)
def sampling(context: DemoContext) -> None:
    """The shipped food catalogue and limits; two labs approved for re-tests (demo-lab and the demo lab system
    work for the first); a second 吴中 sampling officer; 吴中's plan for this year (on a demo population); two
    samples of the first 吴中 business: soy sauce that passed, cowpeas that failed (served, handling ordered)."""
    files = [(path, path.read_bytes()) for path in sorted(SHIPPED.glob("*.toml"))]
    for kind, load in (("catalogue", catalogue_load), ("limits", limits_load)):
        for _path, content in files:
            if datafile_kind(content) == kind:
                load(content=content)
    labs = []
    for name, region, accreditation in LABS:
        lab, _ = Lab.objects.get_or_create(
            name=name,
            defaults={
                "region": Region.objects.get(code=region),
                "accreditation": accreditation,
                "retest_approved": True,
            },
        )
        labs.append(lab)
    for user in (context.users[Role.LAB], context.users[Role.INTEGRATION]):
        LabMember.objects.get_or_create(lab=labs[0], user=user)
    officer = context.users[Role.SAMPLING_OFFICER]
    partner = User.objects.filter(username="demo-sampling-officer-2").first()
    if partner is None:
        partner = user_create(
            by=None,
            username="demo-sampling-officer-2",
            password=DEMO_PASSWORD,
            kind="regulator",
            roles=[Role.SAMPLING_OFFICER],
            real_name="孙抽检",
            phone="13800000013",
            email="demo-sampling-officer-2@example.cn",
            agency=officer.agency,
        )
        context.logins.append((Role.SAMPLING_OFFICER.label, partner.username, DEMO_PASSWORD))
    county = officer.agency.region
    if county.population is None:  # a demo figure, not the census: real ones come with `shian regions population`
        Region.objects.filter(code=county.code).update(population=5_000, source="demo population")
        county.refresh_from_db()
    if not SamplingPlan.objects.filter(region=county).exists():
        plan_activate(plan=plan_create(region=county, year=timezone.localdate().year, by=officer), by=officer)
    shop = Operator.objects.filter(region_id=officer.agency.region_id).order_by("id").first()
    if shop is None or Sample.objects.filter(operator=shop).exists():
        return
    analyst, today = context.users[Role.LAB], timezone.localdate()
    for food, product, rows in (
        ("酱油", "特级酿造酱油", [LabRow("氨基酸态氮", "0.92", "g/100mL"), LabRow("苯甲酸", "未检出", "g/kg")]),
        ("豇豆", "豇豆", [LabRow("克百威", "0.05", "mg/kg"), LabRow("灭蝇胺", "0.12", "mg/kg")]),
    ):
        sample = record(
            by=officer,
            operator=shop,
            category=FoodCategory.objects.filter(level=4, name=food).order_by("-catalogue__version").first(),
            lab=labs[0],
            samplers=[partner],
            product_name=product,
            quantity="2千克" if food == "豇豆" else "4瓶",
            backup_quantity="1千克" if food == "豇豆" else "2瓶",
            place=shop.address,
        )
        results_record(sample=sample, rows=rows, by=analyst, concluded_on=today)
        sample.refresh_from_db()
        if sample.final_verdict == "fail":
            sample_notify(sample=sample, by=officer)
            disposal_order(
                sample=sample, by=officer, requirement="立即下架封存同批次豇豆，追溯进货来源，查明原因并报告。"
            )
