"""Shared fixtures.

**The calendar.** Every test runs on a fixed day, `FIXED_DAY` at 10:00 in Brussels (time_machine, with the clock
ticking from there), so a test never fails because today is the 2nd of January, a Sunday, the 24th of December
or the last day of February. Rules for date-dependent tests:

- compute dates from `timezone.localdate()` (never from a module-level constant: it is evaluated before the
  travel), and compute them correctly (the working days of this year may not exist yet on the 2nd of January;
  "later this month" may not exist on the 31st);
- a test whose hard-coded dates only make sense around one day pins it: `@pytest.mark.today("2026-12-02")`;
- `pytest --today=2027-01-02` (or `2027-01-02T23:30`) runs the tests that do not pin their day on another day:
  run the tests you touch on a few awkward days (2nd of January, 24th of December, 28th of February, a Sunday)
  before committing; none of this runs in the default suite;
- browser tests keep the real clock by default: Chromium runs in its own process and drops a session cookie that
  expired by its clock. `--today` with a day after the real one travels them too (the live server runs in a thread
  of this process, so it travels with the test).
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import factory.random
import pytest
import time_machine
from django.test import Client

from ale_platform.middleware import mark_mfa_passed
from ale_platform.models import Agence, Role, User

from .factories import (
    AdressageFactory,
    AgenceFactory,
    CollaborateurFactory,
    ConseillerFactory,
    PrestataireFactory,
    UserFactory,
    UtilisateurFactory,
)

FIXED_DAY = "2026-12-02"  # a Wednesday, neither a holiday nor the first or the last working day of its month
BRUSSELS = ZoneInfo("Europe/Brussels")


def pytest_addoption(parser):
    parser.addoption(
        "--today",
        metavar="YYYY-MM-DD[THH:MM]",
        help="run the tests that do not pin their day (mark `today`) on this day instead of " + FIXED_DAY,
    )


def pytest_configure(config):
    config.addinivalue_line("markers", "today(day): run this test on this day (YYYY-MM-DD), whatever --today says")


def _moment(value: str) -> datetime.datetime:
    moment = datetime.datetime.fromisoformat(value if "T" in value else value + "T10:00")
    return moment.replace(tzinfo=BRUSSELS)


@pytest.fixture(autouse=True)
def _a_fixed_day(request):
    """Travel to the test's day (see the module's docstring); autouse, so before the fixtures that build data."""
    marker = request.node.get_closest_marker("today")
    option = request.config.getoption("--today")
    if marker:
        value = marker.args[0]
    elif option:
        value = option
    elif request.node.get_closest_marker("browser"):
        yield
        return
    else:
        value = FIXED_DAY
    with time_machine.travel(_moment(value), tick=True):
        yield


@pytest.fixture(autouse=True)
def _factories_draw_the_same_data_each_run(request):
    """Faker and factory_boy draw from a seed named after the test: a failure replays on every run and in any
    order, instead of depending on what the tests before it drew (a random "Maréchal" once met the test that
    checks no "Maréchal" was saved). Assert on identifiers (NISS, BCE, keys), never on a drawn name."""
    factory.random.reseed_random(request.node.nodeid)


@pytest.fixture(autouse=True)
def _employment_services_after_a_flush(request):
    """The regions' public employment services are rows written by migration (ale_platform 0010); a transactional
    test that ran before (the browser tests, the load test) flushed them. A database test of the usual kind gets
    them back (inside its own transaction) before it starts, as `tests/prestations/conftest.py` does the law's."""
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    transactional = (marker is not None and marker.kwargs.get("transaction")) or {
        "transactional_db",
        "live_server",
    } & set(names)
    if (marker is not None or "db" in names) and not transactional:
        request.getfixturevalue("db")
        from ale_platform.emploi import SEED, seed_services
        from ale_platform.models import ServicePublicEmploi

        if ServicePublicEmploi.objects.count() < len(SEED):
            seed_services()


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch):
    """`client.force_login` stands for a complete log-in, second factor included (tests/ale_platform/test_mfa.py
    goes through the real log-in paths)."""
    force_login = Client.force_login

    def force_login_with_mfa(self, user, backend=None):
        force_login(self, user, backend)
        session = self.session
        mark_mfa_passed(session, user)
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login_with_mfa)


@dataclass
class World:
    """Two agencies and one account per role; agency A holds the client's and the worker's files.

    Each role's user, plus one object of each kind in agency A (seen by `collab_a`) and the same in
    agency B (never seen by `collab_a`). The authorization walk runs every URL against these.
    """

    agence_a: Agence
    agence_b: Agence
    users: dict[str, User | None]
    objects: dict[str, object]

    def __getattr__(self, name):
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None


@pytest.fixture
def world(db) -> World:
    agence_a = AgenceFactory(nom="ALE de Gembloux")
    agence_b = AgenceFactory(nom="ALE d'Éghezée")
    collab_a = CollaborateurFactory(agence=agence_a)
    collab_b = CollaborateurFactory(agence=agence_b)
    client = UserFactory(role=Role.CLIENT)
    prestataire_user = UserFactory(role=Role.PRESTATAIRE)
    conseiller = ConseillerFactory()
    objects = {
        "prestataire_a": PrestataireFactory(agence=agence_a, compte=prestataire_user),
        "prestataire_b": PrestataireFactory(agence=agence_b),
        "utilisateur_a": UtilisateurFactory(agence=agence_a, compte=client),
        "utilisateur_b": UtilisateurFactory(agence=agence_b),
        "adressage_a": AdressageFactory(agence=agence_a, conseiller=conseiller),
        "adressage_b": AdressageFactory(agence=agence_b),
        "conseiller": conseiller,
    }
    users = {
        "anonymous": None,
        "client": client,
        "prestataire": prestataire_user,
        "collab_a": collab_a,
        "collab_b": collab_b,
        "conseiller": conseiller.user,
    }
    return World(agence_a=agence_a, agence_b=agence_b, users=users, objects=objects)
