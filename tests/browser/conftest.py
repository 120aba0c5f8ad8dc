"""Browser harness: Playwright drives Debian's headless Chromium against the live server.

Every page a test visits must be audited (`page.audit()`): axe-core (a serious/critical WCAG 2.1 A/AA
violation fails the test), no sideways scrolling in a 375 px wide viewport (a phone), and its HTML is kept
for the Nu HTML checker, which checks every collected page in one run at the end of the session and fails the
run on any error. A page left unaudited fails the test. A missing browser fails, it never skips.
"""

import datetime
import functools
import os
import shutil
import time
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from ale_platform.demo import DEMO_PASSWORD
from ale_platform.models import User
from tests.browser.html_check import HtmlCollector
from tests.factories import give_totp

# Playwright's sync API runs an event loop in the test thread; the ORM calls of fixtures are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE_WIDTH = 375


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs it (apt-get install chromium).")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-BE", "timezone_id": "Europe/Brussels"}


@functools.cache
def _axe_source() -> str:
    return AXE.read_text()


class AuditedPage:
    """The Playwright page, plus `audit()` (axe-core) and `visit(path)` against the live server."""

    def __init__(self, page, base_url, html: HtmlCollector | None = None):
        self._page = page
        self.base_url = base_url
        self.navigated: list[str] = []
        self.audited: set[str] = set()
        self._html = html
        self._document = None
        page.on("framenavigated", self._on_navigation)
        page.on("response", self._on_response)

    def __getattr__(self, name):
        return getattr(self._page, name)

    @property
    def page(self):
        return self._page

    def _on_navigation(self, frame):
        if frame == self._page.main_frame and frame.url.startswith("http"):
            self.navigated.append(frame.url.split("#")[0])

    def _on_response(self, response):
        if response.request.resource_type == "document" and response.frame == self._page.main_frame:
            self._document = response

    def _served_html(self) -> str:
        """The HTML as the server sent it (what the Nu checker must judge), else the current DOM."""
        document = self._document
        if document is not None and document.url.split("#")[0] == self._page.url.split("#")[0]:
            try:
                if "text/html" in (document.headers.get("content-type") or ""):
                    return document.text()
            except Exception:  # noqa: BLE001, S110 - body gone (redirect, navigation): the DOM is next best
                pass
        return self._page.content()

    def check_phone_width(self) -> None:
        """No sideways scrolling on a 375 px wide phone."""
        size = self._page.viewport_size or {"width": 1280, "height": 720}
        if size["width"] != PHONE_WIDTH:
            self._page.set_viewport_size({"width": PHONE_WIDTH, "height": size["height"]})
        try:
            width = self._page.evaluate("() => document.documentElement.scrollWidth")
            wide = (
                self._page.evaluate(
                    """(limit) => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > limit + 0.5 && !e.closest('.table-wrap'))
                    .slice(-3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
                                      + ' (' + Math.round(e.getBoundingClientRect().right) + ' px)')""",
                    PHONE_WIDTH,
                )
                if width > PHONE_WIDTH
                else []
            )
        finally:
            if size["width"] != PHONE_WIDTH:
                self._page.set_viewport_size(size)
        assert width <= PHONE_WIDTH, f"{self._page.url} is {width} px wide at {PHONE_WIDTH} px: {wide}"

    def visit(self, path: str):
        response = self._page.goto(self.base_url + path)
        self.audit()
        return response

    def audit(self):
        if not AXE.exists():
            pytest.fail(f"axe-core is missing ({AXE}): run `npm ci` (make test does it).")
        self._page.wait_for_load_state("load")
        if not self._page.evaluate("() => typeof window.axe !== 'undefined'"):
            # Evaluated through the DevTools protocol: the page's CSP (script-src 'self') stays untouched.
            self._page.evaluate(_axe_source())
        result = self._page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        blocking = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        self.audited.add(self._page.url.split("#")[0])
        if self._html is not None:
            self._html.add(self._page.url, self._served_html())
        self.check_phone_width()
        assert not blocking, f"axe on {self._page.url}:\n" + "\n".join(
            f"- [{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})"
            for v in blocking
        )


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.call_passed = report.passed
    return report


@pytest.fixture(scope="session")
def html_pages():
    """Every audited page's HTML, checked by the Nu HTML checker once all browser tests have run."""
    collector = HtmlCollector()
    yield collector
    errors = collector.errors()
    if errors:
        pytest.fail(
            f"Nu HTML checker: {len(errors)} error(s) on the pages the browser tests visited:\n" + "\n".join(errors),
            pytrace=False,
        )


@pytest.fixture
def ui(request, page, live_server, html_pages):
    audited = AuditedPage(page, live_server.url, html_pages)
    yield audited
    if not getattr(request.node, "call_passed", False):
        return  # the test's own failure says enough
    unaudited = [url for url in audited.navigated if url not in audited.audited]
    assert not unaudited, f"Pages visited without an axe audit: {unaudited}"


class DemoSnapshot:
    """The rows `seed_demo` leaves in the database, taken once per session and day, put back in a fraction of the
    time the seeding takes (it goes through the business services: ~10 s on a quiet machine, per test).

    Restoring empties the tables the snapshot holds rows for (Django's own flush SQL: TRUNCATE on PostgreSQL), then
    bulk-inserts the rows with their primary keys, in one transaction (foreign keys are checked at its commit).
    The test database's sequences are never reset by pytest-django's flush, so the next ids stay above the
    snapshot's. Everything a test then writes is flushed at its end as before.
    """

    def __init__(self):
        self.rows: list[tuple[type, list[str], list[tuple]]] = []
        for model in apps.get_models(include_auto_created=True):
            meta = model._meta
            if not meta.managed or meta.proxy or meta.swapped:
                continue
            fields = [f.attname for f in meta.concrete_fields]
            values = list(model._base_manager.order_by().values_list(*fields))
            if values:
                self.rows.append((model, fields, values))

    def restore(self) -> None:
        tables = [model._meta.db_table for model, _fields, _values in self.rows]
        with transaction.atomic():
            connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables, allow_cascade=True))
            for model, fields, values in self.rows:
                model._base_manager.bulk_create([model(**dict(zip(fields, row, strict=True))) for row in values])
        ContentType.objects.clear_cache()  # the ids of the snapshot, not those the last flush's migrate signal made


_demo_snapshots: dict[datetime.date, DemoSnapshot] = {}


def _give_mfa_users_totp() -> dict[str, str]:
    return {user.email: give_totp(user) for user in User.objects.all() if user.must_use_mfa}


@pytest.fixture
def demo(transactional_db):
    """The demo data of `make run`, with TOTP set up for the accounts that must use it (a new secret per test).

    The first test of the day seeds it (`seed_demo`, the command `make run` uses) and keeps a snapshot; the next
    ones get the same rows back from the snapshot (see DemoSnapshot), a few seconds cheaper per test.
    """
    today = datetime.date.today()  # the demo's dates follow the (possibly travelled) clock
    snapshot = _demo_snapshots.get(today)
    if snapshot is None:
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        _demo_snapshots[today] = DemoSnapshot()
    else:
        snapshot.restore()
    return _give_mfa_users_totp()


_used_codes: set[tuple[str, str]] = set()


def _new_totp_secret(email: str) -> str:
    """Enrols the user again with a new secret, as if they had reset their authenticator app."""
    user = User.objects.get(email=email)
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    return give_totp(user)


def totp_code(secret: str) -> str:
    """A code allauth will accept: not near the end of its 30 s period, and never one already used."""
    while True:
        if 30 - time.time() % 30 < 4:
            time.sleep(30 - time.time() % 30 + 0.2)
        code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
        if (secret, code) not in _used_codes:
            _used_codes.add((secret, code))
            return code
        time.sleep(30 - time.time() % 30 + 0.2)


def _log_in_code(secrets: dict, email: str) -> str:
    """`totp_code` for a demo account. allauth refuses a code used twice (and accepts none from a neighbouring
    period): a second log-in of the account within one period enrols it again with a new secret (as after a reset
    of the authenticator app) rather than waiting up to 30 s for the next period."""
    if 30 - time.time() % 30 < 4:
        time.sleep(30 - time.time() % 30 + 0.2)
    code = format_hotp_value(hotp_value(secrets[email], next(yield_hotp_counters_from_time())))
    if (secrets[email], code) in _used_codes:
        secrets[email] = _new_totp_secret(email)
    return totp_code(secrets[email])


def log_in(ui: AuditedPage, email: str, secrets: dict, password: str = DEMO_PASSWORD) -> None:
    ui.visit("/accounts/login/")
    ui.get_by_label("Courriel").fill(email)
    ui.get_by_label("Mot de passe").fill(password)
    ui.get_by_role("button", name="Connexion").click()
    if email in secrets:
        ui.wait_for_url("**/accounts/2fa/authenticate/")
        ui.audit()
        ui.get_by_label("Code").fill(_log_in_code(secrets, email))
        ui.get_by_role("button", name="Connexion").click()
    ui.wait_for_load_state("load")
