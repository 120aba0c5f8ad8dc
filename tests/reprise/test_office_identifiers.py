"""Identifiers as offices type them, duplicates merged, and an import that never fails as a whole."""

import datetime

import pytest
from django.core import mail
from django.db import IntegrityError

from ale_platform.identifiers import compact_bce, compact_niss, format_bce
from prestataires.models import Prestataire
from reprise.models import Reprise
from tests.factories import UtilisateurFactory
from utilisateurs.forms import UtilisateurForm
from utilisateurs.models import Utilisateur

from .conftest import WORKER_HEADERS, bce, errors, niss, results, worker_rows, xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-06-17")]

CLIENT_HEADERS = ["Type", "Nom", "Prénom", "NISS", "BCE", "Rue", "CP", "Commune"]


def test_identifiers_are_normalised_however_they_are_typed():
    assert compact_bce("BE0532384401") == compact_bce("BE 0532.384.401") == "0532384401"
    assert compact_bce("0532-384-401") == compact_bce("532384401") == compact_bce(" be0532384401 ") == "0532384401"
    assert compact_niss("85.07.30-033.28") == compact_niss("85 07 30 033 28") == "85073003328"
    assert compact_niss("5010100123") == "05010100123"  # a number cell lost the leading zero (born 2005)
    assert compact_niss("85\u00a007\u00a030/033-28") == "85073003328"


def test_a_bce_with_be_prefix_beside_the_same_number_is_one_client_and_reimport_changes_nothing(wizard, agence):
    number = bce(7)
    rows = [
        CLIENT_HEADERS,
        ["asbl", "Les Amis", "", "", f"BE{number}", "Rue 1", "5030", "Gembloux"],
        ["asbl", "Les Amis", "", "", format_bce(number), "", "5030", "Gembloux"],
        ["asbl", "Autre", "", "", f"BE {bce(8)}", "Rue 2", "5030", "Gembloux"],
    ]
    reprise = wizard(agence, xlsx(rows), entite="utilisateurs")
    assert reprise.statut == Reprise.Statut.TERMINEE
    assert results(reprise) == ["nouveau", "fusionne", "nouveau"]
    assert Utilisateur.objects.get(bce=number).rue == "Rue 1"
    assert Utilisateur.objects.filter(bce=bce(8)).exists()
    assert "Import terminé : fichier.xlsx" in mail.outbox[-1].subject

    again = wizard(agence, xlsx(rows), entite="utilisateurs")
    assert results(again) == ["inchange", "fusionne", "inchange"], errors(again)
    assert Utilisateur.objects.count() == 2


def test_duplicates_that_disagree_are_refused_with_the_name(wizard, agence):
    rows = worker_rows(1)
    other = list(rows[0])
    other[3] = "Autre rue 9"
    reprise = wizard(agence, xlsx([WORKER_HEADERS, *rows, other]), confirm=False)
    assert results(reprise) == ["nouveau", "refuse"]
    assert reprise.lignes[1]["libelle"] == "Prénom0 Nom0"
    assert "ligne 2" in errors(reprise)[3]["NISS"] and "Rue et numéro" in errors(reprise)[3]["NISS"]


def test_a_niss_typed_as_a_number_keeps_its_leading_zero(wizard, agence):
    from ale_platform.identifiers import build_niss

    born_2005 = build_niss(datetime.date(2005, 1, 10), 123)
    assert born_2005.startswith("0")
    rows = worker_rows(1)
    rows[0][2] = int(born_2005)
    reprise = wizard(agence, xlsx([WORKER_HEADERS, *rows]))
    assert results(reprise) == ["nouveau"], errors(reprise)
    assert Prestataire.objects.get().niss == born_2005


def test_the_client_form_finds_a_number_typed_with_be_prefix(agence):
    UtilisateurFactory(agence=agence, type="asbl", niss="", bce=bce(9))
    form = UtilisateurForm(
        data={"type": "asbl", "nom": "X", "bce": f"BE{bce(9)}", "rue": "Rue 1", "code_postal": "5030", "commune": "G"},
        agence=agence,
    )
    assert not form.is_valid()
    assert "bce" in form.errors


def test_a_row_that_cannot_be_written_is_refused_alone_in_french(wizard, agence, monkeypatch):
    from ale_platform import history

    real_save_as = history.save_as
    target = niss(1)

    def flaky_save_as(instance, *args, **kwargs):
        if getattr(instance, "niss", None) == target:
            raise IntegrityError("UNIQUE constraint failed: prestataires_prestataire.niss")
        return real_save_as(instance, *args, **kwargs)

    from tests.factories import PrestataireFactory

    for i in range(2):
        PrestataireFactory(agence=agence, niss=niss(i), nom=f"Nom{i}", prenom=f"Prénom{i}", commune="Ailleurs")
    monkeypatch.setattr("reprise.importeurs.base.save_as", flaky_save_as)
    reprise = wizard(agence, xlsx([WORKER_HEADERS, *worker_rows(3)]))
    assert reprise.statut == Reprise.Statut.TERMINEE
    assert results(reprise) == ["mise_a_jour", "refuse", "nouveau"]
    reason = errors(reprise)[3]["Ligne"]
    assert "conflit" in reason and "UNIQUE" not in reason
    assert Prestataire.objects.get(niss=niss(0)).commune == "Gembloux"
    assert Prestataire.objects.get(niss=niss(1)).commune == "Ailleurs"
    assert Prestataire.objects.filter(niss=niss(2)).exists()
    assert "1 ligne refusée" in mail.outbox[-1].subject


def test_a_technical_failure_of_every_row_is_a_failure_told_in_french(wizard, agence, monkeypatch):
    from simple_history.manager import HistoryManager

    def failing_history(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(HistoryManager, "bulk_history_create", failing_history)
    reprise = wizard(agence, xlsx([WORKER_HEADERS, *worker_rows(2)]))
    assert not Prestataire.objects.exists()
    assert reprise.statut == Reprise.Statut.ECHEC
    assert "disk" not in str(reprise.lignes) and "disk" not in reprise.erreur
    assert "erreur technique" in errors(reprise)[2]["Ligne"]
    assert "Import échoué" in mail.outbox[-1].subject
