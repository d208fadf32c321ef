import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Shian with gunicorn (or Django's auto-reloading server with --reload)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--reload", action="store_true", help="development: restart on code changes")

    def handle(self, *args, bind, workers, reload, **options):
        if reload:
            call_command("runserver", bind)
            return
        from gunicorn.app.wsgiapp import WSGIApplication

        self.stdout.write(f"Shian on http://{bind}/ (debug {'on' if settings.DEBUG else 'off'})")
        sys.argv = [
            "gunicorn",
            "shian.config.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
            "--timeout",
            "120",
        ]
        WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()
