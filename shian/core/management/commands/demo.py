from django.core.management.base import BaseCommand

from shian.core.demo import run_demo


class Command(BaseCommand):
    help = "Build the demo: a province with two cities and four counties, agencies, one user per role (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--operators", type=int, default=12, help="how many demo food businesses to have")

    def handle(self, *args, operators, **options):
        context = run_demo(operators=operators)
        self.stdout.write(self.style.SUCCESS("Demo ready. Log in at http://127.0.0.1:8000/ with:"))
        width = max(len(username) for _, username, _ in context.logins)
        for role, username, password in context.logins:
            self.stdout.write(f"  {username:<{width}}  {password}  {role}")
        for note in context.notes:
            self.stdout.write(note)
