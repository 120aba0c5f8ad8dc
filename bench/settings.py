"""Settings for the benchmark: the test settings (DEBUG off, fast hashing) on the database of DATABASE_URL.

MFA stays required: the generator gives the staff and adviser accounts a TOTP authenticator, so the
middleware's check runs on every measured request, as in production.
"""

from ale_platform.settings_test import *  # noqa: F403
