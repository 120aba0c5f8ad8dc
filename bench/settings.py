"""Settings for the benchmark: the test settings (DEBUG off, fast hashing) on the database of DATABASE_URL.

MFA stays required: the generator gives the staff and adviser accounts a TOTP authenticator, so the
middleware's check runs on every measured request, as in production.

Tasks go to the database queue as in production (the test settings run them immediately, inside the
request): starting the month's forms then measures only the enqueueing, and the task is timed on its own.
"""

from ale_platform.settings_test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
