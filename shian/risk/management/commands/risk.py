from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from shian.core.models import Region
from shian.registry.models import Operator
from shian.risk.models import RuleSet
from shian.risk.ruleset import RuleSetError
from shian.risk.services import regrade, ruleset_load

SHIPPED = Path(__file__).resolve().parents[2] / "rulesets"


class Command(BaseCommand):
    help = (
        "Risk grades. `risk load FILE…` loads rule-set files (`--shipped` the ones Shian ships); `risk rulesets` "
        "lists the loaded ones; `risk regrade [--region CODE]` regrades every food business in a region."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        load = sub.add_parser("load", help="load rule-set files (TOML)")
        load.add_argument("files", nargs="*", type=Path)
        load.add_argument("--shipped", action="store_true", help="the rule-sets shipped with Shian")
        sub.add_parser("rulesets", help="list the loaded rule-sets")
        again = sub.add_parser("regrade", help="regrade food businesses in bulk")
        again.add_argument("--region", help="region code (default: everywhere)")
        again.add_argument("--as", dest="username", help="record the grades as this user's")

    def handle(self, *args, what, **options):
        getattr(self, f"_{what}")(**options)

    def _load(self, files, shipped, **options):
        paths = [*files, *(sorted(SHIPPED.glob("*.toml")) if shipped else [])]
        if not paths:
            raise CommandError("Name the files to load, or --shipped.")
        failed = False
        for path in paths:
            try:
                ruleset, new = ruleset_load(content=path.read_bytes())
            except FileNotFoundError:
                self.stderr.write(f"{path}: no such file")
                failed = True
            except RuleSetError as exc:
                failed = True
                for problem in exc.problems:
                    self.stderr.write(f"{path}: {problem}")
            else:
                state = "loaded" if new else "already loaded"
                self.stdout.write(f"{path.name}: {ruleset.code} v{ruleset.version} {state}")
        if failed:
            raise CommandError("Some files were not loaded.")

    def _rulesets(self, **options):
        for r in RuleSet.objects.all():
            self.stdout.write(
                f"{r.code:12} v{r.version:<3} {r.jurisdiction or 'national':8} from {r.effective_from}  {r.name}"
            )

    def _regrade(self, region, username, **options):
        place = None
        if region:
            place = Region.objects.filter(code=region).first()
            if place is None:
                raise CommandError(f"No region {region!r}")
        user = None
        if username:
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"No user {username!r}")
        operators = Operator.objects.all() if place is None else Operator.objects.in_region(place.code)
        with tqdm(total=operators.count(), unit=" businesses", disable=not self.stderr.isatty()) as bar:
            counts = regrade(region=place, by=user, progress=bar.update)
        self.stdout.write(", ".join(f"{key} {value}" for key, value in sorted(counts.items())) or "nothing to grade")
