from django.core.management.base import BaseCommand

from shian.core.ticks import tick


class Command(BaseCommand):
    help = "Send due reminders and escalations. Idempotent: run it from cron as often as you like."

    def handle(self, *args, **options):
        results = tick()
        for name, sent in results.items():
            self.stdout.write(f"{name}: {sent}")
        self.stdout.write(f"tick done: {sum(results.values())} message(s) considered")
