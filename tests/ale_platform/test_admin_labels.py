"""The admin index speaks French: every app and model, third-party ones included, has a proper French name."""

import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Words of the packages' own English names, which must never reach the index.
ENGLISH = re.compile(
    r"\b(task|tasks|result|results|database|backend|authenticators?|accounts?|email|groups?|users?|"
    r"permissions? of|notification queue|MFA)\b",
    re.IGNORECASE,
)
NOUN_ALREADY_PLURAL = re.compile(r"[sxz]$")


def _index(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response.context["app_list"]


def test_every_app_and_model_on_the_admin_index_has_a_french_name(client):
    bad = []
    for app in _index(client):
        if ENGLISH.search(str(app["name"])):
            bad.append(f"app {app['name']}")
        for entry in app["models"]:
            opts = entry["model"]._meta
            for label in (str(opts.verbose_name), str(opts.verbose_name_plural)):
                if ENGLISH.search(label):
                    bad.append(f"{opts.label}: {label}")
    assert bad == []


def test_plural_names_put_the_head_noun_in_the_plural(client):
    """'notification en attentes', 'generation formulairess', 'jeton calendriers' are what this forbids."""
    bad = []
    for app in _index(client):
        for entry in app["models"]:
            opts = entry["model"]._meta
            singular, plural = str(opts.verbose_name).split(), str(opts.verbose_name_plural).split()
            head_singular, head_plural = singular[0].split("·")[0], plural[0].split("·")[0]
            if head_plural == head_singular and not NOUN_ALREADY_PLURAL.search(head_singular):
                bad.append(f"{opts.label}: {opts.verbose_name} / {opts.verbose_name_plural}")
            if re.search(r"ss\b", " ".join(plural)):
                bad.append(f"{opts.label}: {opts.verbose_name} / {opts.verbose_name_plural}")
    assert bad == []


def test_the_platform_site_is_set_by_the_settings_not_edited_in_the_admin(client):
    names = [str(entry["model"]._meta.label) for app in _index(client) for entry in app["models"]]
    assert "sites.Site" not in names


def test_the_task_list_speaks_french(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist")).content.decode()
    for english in ("Task name", "Enqueued at", "Queue name", "Par status", "Par queue name"):
        assert english.lower() not in page.lower(), english
    assert "Tâche" in page and "Par état" in page
