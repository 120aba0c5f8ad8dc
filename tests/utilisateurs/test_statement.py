"""The yearly statement PDF: prestations, hours, and the vouchers section."""

import datetime
import subprocess
import tempfile

import pytest
from django.urls import reverse

from tests.factories import PrestataireFactory, PrestationFactory

pytestmark = pytest.mark.django_db


def _pdf_text(content: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(content)
        f.flush()
        command = ["pdftotext", "-layout", f.name, "-"]
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603, S607


def test_yearly_statement_lists_the_year_prestations_and_hours(world, as_user):
    u = world.utilisateur_a
    worker = PrestataireFactory(agence=world.agence_a, prenom="Jean", nom="Pirsoul")
    PrestationFactory(prestataire=worker, utilisateur=u, date=datetime.date(2026, 3, 4), heures=3)
    PrestationFactory(
        prestataire=worker,
        utilisateur=u,
        date=datetime.date(2026, 5, 6),
        heures="1.5",
        debut=datetime.time(9),
        fin=datetime.time(10, 30),
    )
    PrestationFactory(prestataire=worker, utilisateur=u, date=datetime.date(2025, 5, 6), heures=7)
    PrestationFactory(prestataire=worker, utilisateur=u, date=datetime.date(2026, 6, 6), heures=2, statut="annulee")
    response = as_user(world.users["client"]).get(reverse("utilisateurs:releve", args=[2026]))
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "Relevé annuel 2026 des prestations ALE" in text
    assert world.agence_a.nom in text
    assert "04/03/2026" in text and "06/05/2026" in text and "06/05/2025" not in text
    assert "Pirsoul" not in text  # first name only
    assert "4,5 h" in text  # the one Belgian format of hours
    assert "Chèques ALE" in text


def test_another_client_gets_only_their_own_statement(world, as_user):
    from ale_platform.models import Role
    from tests.factories import UserFactory, UtilisateurFactory

    other_user = UserFactory(role=Role.CLIENT)
    UtilisateurFactory(agence=world.agence_a, compte=other_user, nom="Autre")
    worker = PrestataireFactory(agence=world.agence_a)
    PrestationFactory(prestataire=worker, utilisateur=world.utilisateur_a, date=datetime.date(2026, 3, 4))
    response = as_user(other_user).get(reverse("utilisateurs:releve", args=[2026]))
    assert "04/03/2026" not in _pdf_text(response.content)
