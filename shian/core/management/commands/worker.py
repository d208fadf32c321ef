from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background worker (django-tasks database backend). Run several on several machines if needed."

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default="default")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls when idle")
        parser.add_argument("--batch", action="store_true", help="exit when the queue is empty")

    def handle(self, *args, queue_name, interval, batch, **options):
        arguments = ["--queue-name", queue_name, "--interval", str(interval)]
        if batch:
            arguments.append("--batch")
        call_command("db_worker", *arguments)
