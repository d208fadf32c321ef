import tomllib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from shian.training.bank import QuestionBankError
from shian.training.models import Question
from shian.training.services import questions_load

SHIPPED = Path(__file__).resolve().parents[3] / "duty" / "data" / "questions" / "bank.toml"


class Command(BaseCommand):
    help = "Training question bank. `training load [FILE] [--shipped]` loads a bank file (TOML); `training banks`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        load = sub.add_parser("load", help="load a question-bank file (TOML)")
        load.add_argument("file", nargs="?", type=Path)
        load.add_argument("--shipped", action="store_true", help="the question bank shipped with Shian")
        sub.add_parser("banks", help="list the loaded bank versions")

    def handle(self, *args, what, **options):
        getattr(self, f"_{what}")(**options)

    def _load(self, file, shipped, **options):
        paths = [*([file] if file else []), *([SHIPPED] if shipped else [])]
        if not paths:
            raise CommandError("Name the file to load, or --shipped.")
        failed = False
        for path in paths:
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
                loaded = questions_load(data=data)
            except FileNotFoundError:
                failed = True
                self.stderr.write(f"{path}: no such file")
            except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                failed = True
                self.stderr.write(f"{path}: not a TOML file: {exc}")
            except QuestionBankError as exc:
                failed = True
                for problem in exc.problems:
                    self.stderr.write(f"{path}: {problem}")
            else:
                state = "loaded" if loaded.new else "already loaded"
                self.stdout.write(f"{path.name}: version {loaded.version}, {loaded.questions} questions {state}")
        if failed:
            raise CommandError("Some files were not loaded.")

    def _banks(self, **options):
        versions = Question.objects.values("version").annotate(n=Count("pk")).order_by("version")
        active = set(Question.objects.active().values_list("version", flat=True).distinct())
        for row in versions:
            state = "in use" if row["version"] in active else "not in use"
            self.stdout.write(f"v{row['version']:<4} {row['n']:>5} questions  {state}")
