from shian.core.demo import DemoContext, demo_step
from shian.core.models import Region
from shian.registry.models import Operator

from .management.commands.risk import SHIPPED
from .services import regrade, ruleset_load


@demo_step(order=30)
def rulesets_and_grades(context: DemoContext) -> None:
    """The shipped rule-sets, and a grade for every demo business."""
    for path in sorted(SHIPPED.glob("*.toml")):
        ruleset_load(content=path.read_bytes())
    if Operator.objects.exclude(risk_grades__is_current=True).exists():
        regrade(region=Region.objects.get(code="320000"), by=None)
