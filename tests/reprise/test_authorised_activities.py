"""The clients' file's "Activités autorisées" column creates the client's authorisations (decision 53): one per
activity, for the calendar year, with the agency's next provisional number; a re-import changes nothing."""

import datetime

import pytest

from ale_platform.models import TypeUtilisateur
from reprise.importeurs.utilisateurs import provisional_series
from tests.factories import ActiviteFactory
from utilisateurs.models import Autorisation, Utilisateur

from .conftest import bce, errors, niss, results, xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-06-17")]

HEADERS = ["Type", "Nom / Raison sociale", "Prénom", "N° national", "N° BCE", "Adresse", "Activités autorisées"]
YEAR = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


def _rows():
    return [
        ["PP", "Lambert", "Jean", niss(1), "", "Rue 1, 5030 Gembloux", "jardinage, garde d'enfants"],
        ["PP", "Martin", "Anne", niss(2), "", "Rue 2, 5030 Gembloux", "Jardinage et Garde d'enfants"],
        ["PP", "Dubois", "Luc", niss(3), "", "Rue 3, 5030 Gembloux", "pilotage"],
        ["ASBL", "Les Amis", "", "", bce(1), "Rue 4, 5030 Gembloux", "Garde d'enfants; jardinage"],
        ["PP", "Henry", "Rose", niss(4), "", "Rue 5, 5030 Gembloux", "Jardinage"],
    ]


def _held():
    return sorted(
        (a.utilisateur.nom, a.activite.nom, a.numero, a.debut, a.fin)
        for a in Autorisation.objects.select_related("utilisateur", "activite")
    )


def test_authorised_activities_become_the_years_authorisations_and_a_reimport_changes_nothing(wizard, agence):
    series = provisional_series(agence)
    reprise = wizard(agence, xlsx([HEADERS, *_rows()]), "utilisateurs")
    assert results(reprise) == ["nouveau"] * 5, errors(reprise)
    number = [f"{series}{n:06d}" for n in range(1, 7)]
    assert _held() == sorted(
        [
            ("Lambert", "Jardinage", number[0], *YEAR),
            ("Lambert", "Garde d'enfants", number[1], *YEAR),
            ("Martin", "Jardinage", number[2], *YEAR),
            ("Martin", "Garde d'enfants", number[3], *YEAR),
            ("Les Amis", "Jardinage", number[4], *YEAR),
            ("Henry", "Jardinage", number[5], *YEAR),
        ]
    )
    notes = {ligne["numero"]: ligne["notes"] for ligne in reprise.lignes}
    assert any("« pilotage » inconnue dans l'agence" in n for n in notes[4])
    assert any("ne propose pas « Garde d'enfants » à ce type de client" in n for n in notes[5])
    assert reprise.valeurs_inconnues == {"activites_autorisees": ["pilotage"]}
    # The preview says what each row creates.
    assert f"Autorisation créée : Jardinage, n° {number[0]} (provisoire), du 01/01/2026 au 31/12/2026" in notes[2]

    again = wizard(agence, xlsx([HEADERS, *_rows()]), "utilisateurs")
    assert results(again) == ["inchange"] * 5, [ligne["changements"] for ligne in again.lignes]
    assert len(_held()) == 6


def test_a_client_holding_a_valid_authorisation_gets_no_second_one_and_a_new_activity_is_an_update(wizard, agence):
    wizard(agence, xlsx([HEADERS, _rows()[4]]), "utilisateurs")
    henry = Utilisateur.objects.get(nom="Henry")
    Autorisation.objects.filter(utilisateur=henry).update(numero="1234567890")  # the real number, typed since
    ActiviteFactory(agence=agence, nom="Petits travaux", types_utilisateurs=[TypeUtilisateur.PARTICULIER])
    row = [*_rows()[4][:6], "Jardinage, petits travaux"]
    reprise = wizard(agence, xlsx([HEADERS, row]), "utilisateurs")
    assert results(reprise) == ["mise_a_jour"]
    [[label, _before, after]] = reprise.lignes[0]["changements"]
    assert label == "Autorisation" and after.startswith("Petits travaux, n° ")
    assert sorted(a.activite.nom for a in henry.autorisations.all()) == ["Jardinage", "Petits travaux"]
    assert henry.autorisations.get(activite__nom="Jardinage").numero == "1234567890"


def test_an_expired_authorisation_is_renewed_for_this_year(wizard, agence):
    wizard(agence, xlsx([HEADERS, _rows()[4]]), "utilisateurs")
    Autorisation.objects.update(debut=datetime.date(2025, 1, 1), fin=datetime.date(2025, 12, 31))
    reprise = wizard(agence, xlsx([HEADERS, _rows()[4]]), "utilisateurs")
    assert results(reprise) == ["mise_a_jour"]
    assert sorted(a.fin.year for a in Autorisation.objects.all()) == [2025, 2026]


def test_the_authorisations_file_puts_the_real_number_in_place_of_the_provisional_one(wizard, agence):
    wizard(agence, xlsx([HEADERS, _rows()[4]]), "utilisateurs")
    [provisional] = Autorisation.objects.all()
    real = [["NISS ou BCE du client", "Activité", "Numéro d'autorisation", "Début", "Fin"]]
    real.append([niss(4), "Jardinage", "1234567890", "01/03/2026", "28/02/2027"])
    reprise = wizard(agence, xlsx(real), "autorisations")
    assert results(reprise) == ["mise_a_jour"], errors(reprise)
    [held] = Autorisation.objects.all()
    assert (held.pk, held.numero, held.debut, held.fin) == (
        provisional.pk,
        "1234567890",
        datetime.date(2026, 3, 1),
        datetime.date(2027, 2, 28),
    )
    assert results(wizard(agence, xlsx(real), "autorisations")) == ["inchange"]
    # The clients' file again: the client holds a valid authorisation for the activity, nothing is added.
    assert results(wizard(agence, xlsx([HEADERS, _rows()[4]]), "utilisateurs")) == ["inchange"]
    assert Autorisation.objects.count() == 1
