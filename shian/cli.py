"""The `shian` command: hands its subcommands to Django's management commands, like manage.py."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shian.config.settings")
    from django.core.management import execute_from_command_line

    from shian.core.choices import AuditSource
    from shian.core.context import operation

    with operation(source=AuditSource.CLI):
        execute_from_command_line(["shian", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
