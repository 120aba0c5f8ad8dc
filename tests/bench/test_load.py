"""The load tool counts only the pages a user gets: its sessions come from a real log-in with the second factor,
and every response that is not the page asked for (a redirect to the code, above all) is an error.

Against pytest-django's live server, with wrk for a second (as `make load` runs it).
"""

import shutil

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from bench import load
from bench.login import LoginFailed, log_in, totp_code
from tests.factories import PASSWORD, AgenceFactory, CollaborateurFactory, give_totp

PATH, MARKER = "/tableau-de-bord/", "<h1>Tableau de bord"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def staff():
    user = CollaborateurFactory(agence=AgenceFactory(), mfa=False)
    return user, give_totp(user)


def session_without_second_factor(user) -> str:
    """What `make load` built before: a session that knows the user but never passed the code."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def test_totp_code_follows_rfc_6238():
    # RFC 6238, appendix B (SHA-1, the 20-byte ASCII secret "12345678901234567890"), last 6 digits.
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert totp_code(secret, at=59) == "287082"
    assert totp_code(secret, at=1111111109) == "081804"


def test_a_real_log_in_passes_the_second_factor(live_server, staff):
    user, secret = staff
    session = log_in(live_server.url, user.email, PASSWORD, secret)

    assert load.check_pages(live_server.url, [(session, PATH, 1, MARKER)]) == []
    with pytest.raises(LoginFailed, match="no TOTP secret"):
        log_in(live_server.url, user.email, PASSWORD)


def test_a_session_without_the_second_factor_gets_no_page(live_server, staff):
    user, _secret = staff
    forged = session_without_second_factor(user)

    problems = load.check_pages(live_server.url, [(forged, PATH, 1, MARKER)])

    assert problems == [f"{PATH}: 302 /accounts/2fa/reauthenticate/?next=%2Ftableau-de-bord%2F"]


def test_wrk_counts_a_redirect_as_an_error(live_server, staff):
    assert shutil.which("wrk"), "wrk is missing: `make test` installs it (.ci/system-deps)"
    user, secret = staff
    real = log_in(live_server.url, user.email, PASSWORD, secret)
    forged = session_without_second_factor(user)
    port = int(live_server.url.rsplit(":", 1)[1])

    good = load.run_wrk(load.lua_script([(real, PATH, 1, MARKER)]), port, 2, 1)
    script = load.lua_script([(real, PATH, 1, MARKER), (forged, PATH, 1, MARKER)])
    mixed = load.combine([load.run_wrk(script, port, 2, 1)])

    assert good["checked"] > 0 and good["failed"] == 0
    assert mixed["errors"] > 0
    assert set(mixed["failures"]) == {"302 /tableau-de-bord/"}
    assert mixed["pages_per_s"] < mixed["rps"]
