import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from ale_platform.models import Agence, User
from forem_liaison.models import Adressage
from prestataires.models import Prestataire
from tests.factories import AgenceFactory, UserFactory
from utilisateurs.models import Utilisateur

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_prints_one_account_per_role():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    counts = [m.objects.count() for m in (Agence, User, Prestataire, Utilisateur, Adressage)]
    call_command("seed_demo", stdout=io.StringIO())
    assert [m.objects.count() for m in (Agence, User, Prestataire, Utilisateur, Adressage)] == counts
    printed = out.getvalue()
    roles = {user.role for user in User.objects.all()}
    assert roles == {"", "collaborateur", "conseiller", "client", "prestataire"}
    for user in User.objects.all():
        assert user.email in printed
        assert user.check_password("demo-ALE-2026")
    # Valid identifiers throughout.
    for model in (Agence, Prestataire, Utilisateur, Adressage):
        for obj in model.objects.all():
            obj.full_clean()


@pytest.mark.django_db
def test_admin_edit_is_in_the_audit_trail_with_the_acting_user(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    agence = AgenceFactory(nom="ALE de Gembloux")
    client.force_login(admin)
    change_url = reverse("admin:ale_platform_agence_change", args=[agence.pk])
    form = client.get(change_url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(
        {
            "nom": "ALE de Gembloux-Sauvenière",
            "communes_desservies": "[]",
            "memberships-TOTAL_FORMS": 0,
            "memberships-INITIAL_FORMS": 0,
        }
    )
    response = client.post(change_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    last = agence.history.latest("history_date")
    assert last.history_user == admin
    assert last.nom == "ALE de Gembloux-Sauvenière"


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ale_platform.settings",
        "DJANGO_SECRET_KEY": "x7#kQ9!vLm2@pZ4$wR8^tY6&uI1*oP3(aS5)dF0-gH_jK+lZ=xC",
        "DJANGO_ALLOWED_HOSTS": "ale.example.be",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "EMAIL_HOST": "smtp.example.be",
    }
    for name in ("DJANGO_DEBUG", "ALE_DEMO", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key_or_with_the_demo_mode():
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ALE_"))}
    base["DJANGO_SETTINGS_MODULE"] = "ale_platform.settings"
    no_key = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=base, capture_output=True, text=True, check=False
    )
    assert "DJANGO_SECRET_KEY" in no_key.stderr
    demo = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**base, "DJANGO_SECRET_KEY": "k" * 60, "ALE_DEMO": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert "ALE_DEMO=1 is only allowed" in demo.stderr
