"""An import's queries do not grow with its rows: every row is compared with records loaded in a few queries, the
new ones are written in bulk with their history, a re-import is read-only. 5 rows or 20, the same count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ale_platform.identifiers import format_niss
from prestataires.models import Prestataire, SituationEligibilite
from reprise import services
from utilisateurs.models import Autorisation, Inscription, Utilisateur

from .conftest import WORKER_HEADERS, bce, niss, worker_rows, xlsx

pytestmark = pytest.mark.django_db

BASES = ["NISS", "Base d'éligibilité", "Depuis le", "Preuve", "Date de la preuve"]
CLIENTS = [
    "Type",
    "Nom",
    "Prénom",
    "NISS",
    "Numéro d'entreprise (BCE)",
    "Rue",
    "Code postal",
    "Commune",
    "Activités autorisées",
]
INSCRIPTIONS = ["NISS ou BCE du client", "Année", "Cotisation (€)", "Payée le", "Validée"]
AUTORISATIONS = ["NISS ou BCE du client", "Activité", "Numéro d'autorisation", "Début", "Fin"]


def client_number(i: int) -> str:
    return format_niss(niss(1000 + i)) if i % 2 else bce(i)


def files(count: int, start: int) -> dict[str, list[list]]:
    numbers = range(start, start + count)
    return {
        "prestataires": [WORKER_HEADERS, *worker_rows(count, start=start)],  # with an activity each
        "situations": [BASES, *([format_niss(niss(i)), "ris", "01/03/2015", "CPAS", "15/03/2015"] for i in numbers)],
        "utilisateurs": [
            CLIENTS,
            *(
                # The private persons' authorised activity: an authorisation each, inserted in bulk.
                ["particulier", f"Client{i}", "Jean", client_number(i), "", f"Rue {i}", "5030", "Gembloux", "garde"]
                if i % 2
                else ["asbl", f"ASBL {i}", "", "", client_number(i), f"Rue {i}", "5030", "Gembloux", ""]
                for i in numbers
            ),
        ],
        "inscriptions": [
            INSCRIPTIONS,
            *([client_number(i), str(timezone.localdate().year), "7,44", "", "oui"] for i in numbers),
        ],
        "autorisations": [
            AUTORISATIONS,
            *(
                [client_number(i), "Jardinage", f"{4_000_000_000 + i:010d}", "01/01/2026", "31/12/2027"]
                for i in numbers
            ),
        ],
    }


def imported(agence, user, entite, rows) -> tuple[dict, int, int]:
    """The counts of one file's import, and the queries of its analysis (the preview) and of its confirmed write."""
    content = xlsx(rows).read()
    reprise = services.deposit(agence=agence, entite=entite, name="f.xlsx", content=content, acting_user=user)
    with CaptureQueriesContext(connection) as analysis:
        services.analyse(reprise.pk)
    with CaptureQueriesContext(connection) as write:
        counts = services.run_import(reprise.pk)
    return counts, len(analysis), len(write)


def test_the_queries_of_an_import_and_of_a_re_import_do_not_grow_with_the_rows(agence, admin):
    queries = {}
    for count, start in ((5, 0), (20, 100)):
        for round_ in ("first", "again"):
            for entite, rows in files(count, start).items():
                counts, analysis, write = imported(agence, admin, entite, rows)
                expected = "nouveau" if round_ == "first" else "inchange"
                assert counts[expected] == count, (entite, round_, counts)
                queries[entite, round_, count] = (analysis, write)
    for entite in ("prestataires", "situations", "utilisateurs", "inscriptions", "autorisations"):
        for round_ in ("first", "again"):
            assert queries[entite, round_, 5] == queries[entite, round_, 20], (entite, round_, queries)
    assert Prestataire.objects.filter(agence=agence, activites__nom="Jardinage").count() == 25
    assert SituationEligibilite.objects.filter(prestataire__agence=agence).count() == 25
    assert Utilisateur.objects.filter(agence=agence).count() == 25
    assert Inscription.objects.filter(utilisateur__agence=agence).count() == 25
    assert Autorisation.objects.filter(utilisateur__agence=agence, activite__nom="Jardinage").count() == 25
    assert Autorisation.objects.filter(utilisateur__agence=agence, activite__nom="Garde d'enfants").count() == 12
