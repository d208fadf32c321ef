"""Loaded with `-p` before pytest-django reads the settings: the test run's environment defaults."""

import os

os.environ.setdefault("SHIAN_SECRET_KEY", "test-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("SHIAN_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SHIAN_SECURE_COOKIES", "false")
os.environ.setdefault("SHIAN_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
os.environ.setdefault("SHIAN_VAR_DIR", os.path.join(os.getcwd(), "test-output", "var"))
