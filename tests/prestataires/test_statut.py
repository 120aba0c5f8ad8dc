"""Status changes: inscrit → actif (contract signed) → suspendu → sorti, dated, with reason and author."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from prestataires import services
from prestataires.models import ChangementStatut, Prestataire

from .factories import ContratFactory

S = Prestataire.Statut


def test_signing_the_contract_makes_the_worker_actif_with_a_dated_history(world):
    p = world.prestataire_a
    contrat = ContratFactory(prestataire=p)
    services.sign_contrat(
        contrat=contrat, date_signature=datetime.date(2026, 11, 3), acting_user=world.users["collab_a"]
    )
    p.refresh_from_db()
    assert p.statut == S.ACTIF
    change = ChangementStatut.objects.get(prestataire=p)
    assert (change.de, change.vers, change.date) == (S.INSCRIT, S.ACTIF, datetime.date(2026, 11, 3))
    assert change.par == world.users["collab_a"]
    assert "Contrat de travail ALE signé le 03/11/2026" in change.motif


def test_full_path_then_re_registration(world):
    p = world.prestataire_a
    user = world.users["collab_a"]
    ContratFactory(prestataire=p, date_signature=datetime.date(2026, 11, 1))
    for statut in (S.ACTIF, S.SUSPENDU, S.ACTIF, S.SORTI, S.INSCRIT):
        services.change_statut(prestataire=p, statut=statut, motif="Motif", acting_user=user)
    assert ChangementStatut.objects.filter(prestataire=p).count() == 5


def test_actif_needs_a_signed_contract(world):
    with pytest.raises(ValidationError, match="contrat"):
        services.change_statut(
            prestataire=world.prestataire_a, statut=S.ACTIF, motif="x", acting_user=world.users["collab_a"]
        )


def test_a_skipped_step_is_refused_in_french_on_the_form(staff, world):
    p = world.prestataire_a
    url = reverse("prestataires:statut", kwargs={"pk": p.pk})
    response = staff.post(url, {"statut": "suspendu", "date": "2026-11-20", "motif": "Maladie"})
    assert response.status_code == 200
    assert "une étape serait sautée" in " ".join(response.context["form"].errors["statut"])
    assert "Maladie" in response.text  # kept
    p.refresh_from_db()
    assert p.statut == S.INSCRIT
    assert not ChangementStatut.objects.exists()


def test_status_change_through_the_form_is_shown_on_the_file(staff, world):
    p = world.prestataire_a
    response = staff.post(
        reverse("prestataires:statut", kwargs={"pk": p.pk}),
        {"statut": "sorti", "date": "2026-11-20", "motif": "Reprise d'un emploi"},
    )
    assert response.status_code == 302
    page = staff.get(reverse("prestataires:detail", kwargs={"pk": p.pk}))
    assert "Reprise d&#x27;un emploi" in page.text or "Reprise d'un emploi" in page.text
    assert "20/11/2026" in page.text


def test_a_reason_is_required(world):
    with pytest.raises(ValidationError):
        services.change_statut(prestataire=world.prestataire_a, statut=S.SORTI, motif=" ", acting_user=None)
