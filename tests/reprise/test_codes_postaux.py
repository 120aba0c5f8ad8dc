"""Every Belgian postal code and its commune (`ale_platform.geo.codes_postaux`), and the take-over's address check:
a postal code that does not exist or does not match the commune written is one line of the report (the row is
imported), names match whatever their accents and case, and a commune written without its code gets it when it
has only one."""

import pytest
from django.urls import reverse

from ale_platform.geo import codes_postaux
from ale_platform.geo.communes import CENTROIDES
from prestataires.models import Prestataire
from reprise.fichiers import error_report
from reprise.services import read

from .conftest import csv_file, errors, results, worker_rows

pytestmark = pytest.mark.today("2026-06-17")


def test_every_belgian_postal_code_is_known_with_its_commune():
    assert codes_postaux.count() >= 1140
    assert [c.fr for c in codes_postaux.communes("4500")] == ["Huy"]
    assert [c.nl for c in codes_postaux.communes("9000")] == ["Gent"]
    assert [c.de for c in codes_postaux.communes("4700")] == ["Eupen"]
    assert {c.fr for c in codes_postaux.communes("1050")} == {"Bruxelles", "Ixelles"}  # the street decides
    assert codes_postaux.communes("9999") == () and not codes_postaux.exists("1001")
    # The codes the project knew before (the Walloon centroids of the bench and the demo) are all there.
    assert [code for code in CENTROIDES if not codes_postaux.exists(code)] == []


@pytest.mark.parametrize(
    ("code", "name"),
    [("4500", "HUY"), ("4500", "huy"), ("4500", "Hoei"), ("5310", "Eghezee"), ("5310", "ÉGHEZÉE"), ("4780", "St-Vith")],
)
def test_names_match_whatever_their_accents_case_and_language(code, name):
    assert codes_postaux.matches(code, name)


def test_a_commune_name_gives_its_codes():
    assert codes_postaux.codes_of("eghezee") == ("5310",)
    assert codes_postaux.codes_of("GEMBLOUX") == ("5030", "5031", "5032")
    assert codes_postaux.codes_of("Tihange") == ()  # a section of Huy, not a commune


HEADERS = ["Nom", "Prénom", "N° NISS", "Adresse", "CP", "Localité"]


def _row(i, address, cp, commune):
    return [*worker_rows(1, start=i)[0][:3], address, cp, commune]


def test_the_import_checks_postal_codes_and_communes(db, wizard, agence, admin_client):
    rows = [
        _row(0, "Rue de la Station 1, 4500 HUY", "", ""),  # one cell, the capital letters of the office
        _row(1, "Rue Haute 2", "4500", "Tihange"),  # a section of Huy: not in the list, not a mismatch
        _row(2, "Rue Haute 3", "4501", "Huy"),  # no such postal code
        _row(3, "Rue Haute 4", "4500", "Namur"),  # another commune's name
        _row(4, "Rue Haute 5", "", "Eghezee"),  # no code, one possible: completed
        _row(5, "Rue Haute 6", "", "Gembloux"),  # no code, three possible: refused (the code is required)
        _row(6, "Rue Haute 7, 9999 Nulle-Part", "", ""),  # one cell, no such code
    ]
    reprise = wizard(agence, csv_file([HEADERS, *rows]))
    assert results(reprise) == ["nouveau", "nouveau", "nouveau", "nouveau", "nouveau", "refuse", "nouveau"]
    notes = {ligne["numero"]: ligne["notes"] for ligne in reprise.lignes}
    assert notes[2] == ["Adresse lue : Rue de la Station 1 · 4500 · Huy"]
    assert notes[3] == []
    assert notes[4] == ["Code postal 4501 : il n'existe pas en Belgique, vérifiez-le."]
    assert notes[5] == [
        "Code postal 4500 et commune « Namur » ne correspondent pas : le 4500 est celui de Huy, Namur a le "
        "5000, 5001, 5002, 5003, 5004, 5020, 5021, 5022, 5024, 5100, 5101. Vérifiez l'un ou l'autre."
    ]
    assert notes[6] == ["Code postal complété : 5310 (Eghezee)."]
    assert notes[7] == ["Code postal manquant : Gembloux en a plusieurs (5030, 5031, 5032), indiquez le bon."]
    assert "Code postal" in errors(reprise)[7]
    assert notes[8] == [
        "Adresse lue : Rue Haute 7 · 9999 · Nulle-Part",
        "Code postal 9999 : il n'existe pas en Belgique, vérifiez-le.",
    ]
    assert Prestataire.objects.get(nom="Nom4").code_postal == "5310"
    assert Prestataire.objects.get(nom="Nom3").commune == "Namur"  # imported as written, the line says why to look
    # Each remark is one line of the report (its "Remarques" column) and of the results page.
    report = error_report(reprise, read(reprise))[0].decode("utf-8-sig")
    assert "Code postal 4501 : il n'existe pas en Belgique, vérifiez-le." in report
    assert "Code postal complété : 5310 (Eghezee)." in report
    page = admin_client.get(reverse("reprise:detail", args=[reprise.pk])).content.decode()
    assert "Code postal 4501 : il n&#x27;existe pas en Belgique" in page


def test_a_reimport_with_the_completed_codes_changes_nothing(db, wizard, agence):
    rows = [_row(0, "Rue Haute 5", "", "Éghezée"), _row(1, "Rue Haute 6", "4500", "Namur")]
    wizard(agence, csv_file([HEADERS, *rows]))
    again = wizard(agence, csv_file([HEADERS, *rows]))
    assert results(again) == ["inchange", "inchange"]
