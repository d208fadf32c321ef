from django.core.exceptions import ValidationError
from django.utils import timezone

from shian.core.choices import Role
from shian.core.demo import DEMO_PASSWORD, DemoContext, demo_step
from shian.core.models import Region, User
from shian.core.services.users import user_create
from shian.registry.models import Operator
from shian.risk.services import regrade

from .choices import RectificationKind
from .management.commands.checklist import SHIPPED
from .models import Inspection, InspectionPlan
from .planning import plan_create, plan_draw_inspectors
from .services import (
    checklist_load,
    inspection_answer,
    inspection_finish,
    inspection_publish,
    inspection_start,
    rectification_issue,
)


@demo_step(order=40)
def checklists_and_inspections(context: DemoContext) -> None:
    """The shipped checklists, a second 姑苏 inspector, two inspections of the first demo business (one
    compliant and published, one with a fix ordered) and the county's plan with its inspector draw."""
    for path in sorted(SHIPPED.glob("*.toml")):
        checklist_load(content=path.read_bytes())
    partner = User.objects.filter(username="demo-inspector-2").first()
    if partner is None:
        partner = user_create(
            by=None,
            username="demo-inspector-2",
            password=DEMO_PASSWORD,
            kind="regulator",
            roles=[Role.INSPECTOR],
            real_name="周检查",
            phone="13800000012",
            email="demo-inspector-2@example.cn",
            agency=context.agencies["320508"],
        )
        context.logins.append((Role.INSPECTOR.label, partner.username, DEMO_PASSWORD))
    inspector = context.users[Role.INSPECTOR]
    first = Operator.objects.filter(region_id="320508").order_by("id").first()
    if first is None or Inspection.objects.filter(operator=first).exists():
        return
    for fail in (False, True):
        inspection = inspection_start(operator=first, by=inspector, inspectors=[partner])
        answers = list(inspection.answers.select_related("item", "inspection"))
        general = next(a for a in answers if not a.item.key)
        for answer in answers:
            failed = fail and answer.pk == general.pk
            inspection_answer(
                answer=answer,
                by=inspector,
                outcome="no" if failed else "yes",
                note="操作间地面有积水" if failed else "",
            )
        inspection = inspection_finish(
            inspection=inspection, by=inspector, signed_by="吴老板", signature="data:image/png;base64,iVBORw0KGgo="
        )
        if fail:
            try:
                rectification_issue(
                    inspection=inspection,
                    by=inspector,
                    kind=RectificationKind.DEADLINE,
                    answers=[general],
                    requirement="清理积水，修复地漏，5个工作日内上传整改照片",
                    working_days=5,
                )
            except ValidationError as exc:  # the deadline falls in a year whose holiday notice is not loaded
                context.notes.append(f"No demo rectification order: {' '.join(exc.messages)}")
        else:
            inspection_publish(inspection=inspection, by=inspector)
    regrade(region=Region.objects.get(code="320508"), by=None)
    year = timezone.localdate().year
    if not InspectionPlan.objects.filter(region_id="320508", year=year).exists():
        plan = plan_create(region=Region.objects.get(code="320508"), year=year, by=inspector)
        plan_draw_inspectors(plan=plan, by=inspector)
