"""Shared set-up for benchmarks: a fresh database of its own, Django ready, results written as JSON.

A benchmark never touches the development database: by default it uses a new SQLite file in a temporary
folder; set SHIAN_BENCH_DATABASE_URL to a PostgreSQL database that may be dropped and refilled.
"""

import json
import os
import platform
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def setup_django(*, keep: bool = False) -> str:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    url = (
        os.environ.get("SHIAN_BENCH_DATABASE_URL")
        or f"sqlite:///{tempfile.mkdtemp(prefix='shian-bench-')}/bench.sqlite3"
    )
    os.environ["SHIAN_DATABASE_URL"] = url
    # Measured as in production: debug off (with it, Django keeps and formats every query)
    os.environ.setdefault("SHIAN_DEBUG", "false")
    os.environ.setdefault("SHIAN_SECRET_KEY", "benchmark-only-key")
    os.environ.setdefault("SHIAN_ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("SHIAN_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shian.config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    if "postgres" in url and not keep:  # `keep`: measure again on the data a previous run built
        call_command("flush", "--noinput", verbosity=0)
    call_command("migrate", verbosity=0)
    return url.split(":", 1)[0]


@contextmanager
def timer(figures: dict, key: str):
    start = time.perf_counter()
    yield
    figures[key] = round(time.perf_counter() - start, 4)


def write(name: str, figures: dict) -> None:
    from django.db import connection

    figures = {"benchmark": name, "database": connection.vendor, "python": platform.python_version(), **figures}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}-{connection.vendor}.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    for key, value in figures.items():
        print(f"{key:>28}: {value}")


def settle() -> None:
    """After a build: statistics for the planner, the visibility map set and the freshly written pages flushed,
    as autovacuum and checkpoints leave a database in use, so that the timed part does not pay for the build
    (autovacuum or a checkpoint starting halfway through it)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
            cursor.execute("CHECKPOINT")
        else:
            cursor.execute("ANALYZE")
