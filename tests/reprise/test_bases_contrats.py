"""Eligibility bases and ALE contracts come in after the workers and before the prestations, checked by the rules of
the worker file (its form, its services, the eligibility rules), idempotent, into the administrator's agencies."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from ale_platform.identifiers import format_niss
from ale_platform.models import Activite
from prestataires.models import ContratALE, Prestataire, SituationEligibilite
from prestations.models import Prestation
from reprise.fichiers import worked_days
from reprise.models import Reprise
from reprise.services import deposit, purge_files
from tests.factories import AgenceFactory, PrestataireFactory, UtilisateurFactory
from tests.prestations.factories import authorise

from .conftest import WORKER_HEADERS, errors, results, worker_rows, xlsx

pytestmark = pytest.mark.django_db

BASES = ["NISS", "Base d'éligibilité", "Depuis le", "Jusqu'au", "Mois d'allocations sur 36", "Preuve", "Date de preuve"]
CONTRATS = ["NISS du prestataire", "Date de début", "Date de signature", "Date de fin"]


def base_row(worker, base="ris", depuis="01/03/2015", fin="", mois="", preuve="Attestation du CPAS", le=""):
    return [format_niss(worker.niss), base, depuis, fin, mois, preuve, le or depuis]


@pytest.fixture
def worker(agence):
    return PrestataireFactory(agence=agence, eligible=False)


def test_bases_are_created_with_the_import_in_their_history(wizard, agence, admin, worker):
    reprise = wizard(
        agence,
        xlsx([BASES, base_row(worker), base_row(worker, "Allocations pendant 24 des 36 derniers mois", mois="30")]),
        entite="situations",
    )
    assert reprise.statut == "terminee", reprise.erreur
    assert results(reprise) == ["nouveau", "nouveau"]
    ris, b2436 = SituationEligibilite.objects.filter(prestataire=worker).order_by("base")[::-1]
    assert (ris.base, ris.depuis, ris.preuve) == ("ris", datetime.date(2015, 3, 1), "Attestation du CPAS")
    assert (b2436.base, b2436.mois_indemnises) == ("chomage_24_36", 30)
    history = ris.history.first()
    assert history.history_user == admin
    assert history.history_change_reason == reprise.change_reason


def test_refused_bases_say_why_next_to_the_cell(wizard, agence, worker):
    elsewhere = PrestataireFactory(agence=AgenceFactory(), eligible=False)
    reprise = wizard(
        agence,
        xlsx(
            [
                BASES,
                base_row(worker, base="Allocations familiales"),
                base_row(worker, depuis="01/03/2020", fin="01/01/2019"),
                base_row(worker, base="chomage_45_plus", depuis="01/03/2020", le="01/01/2019"),
                base_row(worker, base="chomage_24_36"),
                base_row(worker, base="forem_12_mois", depuis="01/01/2023", fin="30/06/2025"),
                base_row(elsewhere),
                base_row(worker, base="faible_employabilite", depuis="01/02/2026"),
                base_row(worker, base="faible_employabilite", depuis="01/03/2026"),
            ]
        ),
        entite="situations",
    )
    found = errors(reprise)
    assert found[2]["Base d'éligibilité"].startswith("Valeur « Allocations familiales » non reconnue.")
    assert found[3]["Jusqu'au"] == "La fin de la situation ne peut pas précéder son début."
    assert found[4]["Date de la preuve"] == "La preuve ne peut pas précéder le début de la situation."
    assert found[5]["Mois d'allocations sur 36"] == "Indiquez le nombre de mois d'allocations sur les 36 derniers."
    assert found[6]["Base d'éligibilité"] == (
        "Cette base n'ouvre l'accès à l'ALE qu'à partir du 01/01/2026 : la situation a pris fin le 30/06/2025."
    )
    assert found[7]["NISS du prestataire"].startswith("Aucun prestataire de l'agence avec ce NISS")
    assert found[9]["Base d'éligibilité"].startswith("En double dans le fichier : même valeur qu'à la ligne 8")
    assert results(reprise)[6] == "nouveau"
    assert list(SituationEligibilite.objects.values_list("prestataire", "base")) == [
        (worker.pk, "faible_employabilite")
    ]


def test_bases_import_twice_as_a_no_op_and_update_an_end_date(wizard, agence, worker):
    rows = [BASES, base_row(worker)]
    wizard(agence, xlsx(rows), entite="situations")
    again = wizard(agence, xlsx(rows), entite="situations")
    assert results(again) == ["inchange"]
    ended = wizard(agence, xlsx([BASES, base_row(worker, fin="31/12/2026")]), entite="situations")
    assert results(ended) == ["mise_a_jour"]
    assert ended.lignes[0]["changements"] == [["Jusqu'au", "", "31/12/2026"]]
    assert SituationEligibilite.objects.get(prestataire=worker).jusqu_au == datetime.date(2026, 12, 31)


def contrat_row(worker, debut="01/02/2016", signature="25/01/2016", fin=""):
    return [format_niss(worker.niss), debut, signature, fin]


def test_a_signed_contract_makes_the_eligible_worker_active(wizard, agence, admin):
    worker = PrestataireFactory(agence=agence)  # eligible: RIS since 2015
    assert worker.statut == "inscrit"
    preview = wizard(agence, xlsx([CONTRATS, contrat_row(worker)]), entite="contrats", confirm=False)
    assert results(preview) == ["nouveau"]
    assert not ContratALE.objects.exists()  # the preview writes nothing
    reprise = wizard(agence, xlsx([CONTRATS, contrat_row(worker)]), entite="contrats")
    assert reprise.statut == "terminee", reprise.erreur
    contrat = ContratALE.objects.get(prestataire=worker)
    assert (contrat.date_debut, contrat.date_signature) == (datetime.date(2016, 2, 1), datetime.date(2016, 1, 25))
    worker.refresh_from_db()
    assert worker.statut == "actif"
    assert contrat.history.first().history_change_reason == reprise.change_reason
    assert contrat.history.first().history_user == admin
    again = wizard(agence, xlsx([CONTRATS, contrat_row(worker)]), entite="contrats")
    assert results(again) == ["inchange"]
    assert ContratALE.objects.count() == 1


def test_refused_contracts_give_the_rules_reason(wizard, agence, worker):
    eligible = PrestataireFactory(agence=agence)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    reprise = wizard(
        agence,
        xlsx(
            [
                CONTRATS,
                contrat_row(worker),
                contrat_row(eligible, debut="01/02/2016", signature=tomorrow),
                contrat_row(eligible, debut="01/03/2016", signature="", fin="01/01/2016"),
            ]
        ),
        entite="contrats",
    )
    found = errors(reprise)
    assert "n'est pas éligible à l'ALE le 25/01/2016" in found[2]["Date de signature"]
    assert found[3]["Date de signature"] == "La date de signature ne peut pas être dans le futur."
    assert found[4]["Date de fin"] == "La fin du contrat ne peut pas précéder son début."
    assert not ContratALE.objects.exists()


def test_a_worker_moves_in_workers_then_bases_then_contracts_then_prestations(wizard, agence):
    jardinage = Activite.objects.get(agence=agence, nom="Jardinage")
    client = UtilisateurFactory(agence=agence)
    authorise(client, jardinage, timezone.localdate().year)
    wizard(agence, xlsx([WORKER_HEADERS, *worker_rows(1)]))
    worker = Prestataire.objects.get(agence=agence)
    day = worked_days(1)[0]
    prestation = [
        ["NISS du prestataire", "NISS ou BCE du client", "Activité", "Date", "De", "À"],
        [format_niss(worker.niss), format_niss(client.niss), "Jardinage", day.strftime("%d/%m/%Y"), "08:00", "11:00"],
    ]
    too_early = wizard(agence, xlsx(prestation), entite="prestations")
    assert "importez d'abord le fichier des bases d'éligibilité" in errors(too_early)[2]["NISS du prestataire"]
    assert "n'est pas éligible à l'ALE" in errors(too_early)[2]["NISS du prestataire"]
    wizard(agence, xlsx([BASES, base_row(worker)]), entite="situations")
    wizard(agence, xlsx([CONTRATS, contrat_row(worker)]), entite="contrats")
    done = wizard(agence, xlsx(prestation), entite="prestations")
    assert results(done) == ["nouveau"], errors(done)
    assert Prestation.objects.get().prestataire == worker


def test_an_admin_imports_bases_and_contracts_into_their_agency_only(wizard, agence):
    theirs = PrestataireFactory(agence=AgenceFactory())
    for entite, row in (("situations", [BASES, base_row(theirs)]), ("contrats", [CONTRATS, contrat_row(theirs)])):
        reprise = wizard(agence, xlsx(row), entite=entite)
        assert results(reprise) == ["refuse"]
    assert theirs.situations.count() == 1  # the factory's, untouched
    assert not ContratALE.objects.exists()


def test_uploaded_files_are_deleted_after_the_retention_period(agence, admin, settings):
    settings.REPRISE_CONSERVATION_JOURS = 30
    now = timezone.now()

    def stored(**fields):
        reprise = deposit(
            agence=agence,
            entite="prestataires",
            name="p.xlsx",
            content=xlsx([WORKER_HEADERS, *worker_rows(1)]).read(),
            acting_user=admin,
        )
        Reprise.objects.filter(pk=reprise.pk).update(lignes=[{"numero": 2, "libelle": "Nom0"}], **fields)
        return Reprise.objects.get(pk=reprise.pk)

    old = stored(statut="terminee", terminee_le=now - datetime.timedelta(days=31))
    recent = stored(statut="terminee", terminee_le=now - datetime.timedelta(days=29))
    abandoned = stored(created_at=now - datetime.timedelta(days=31))
    old_path, abandoned_path = old.fichier, abandoned.fichier
    call_command("anonymise_expired")
    for reprise in (old, recent, abandoned):
        reprise.refresh_from_db()
    assert not default_storage.exists(old_path) and not default_storage.exists(abandoned_path)
    assert (old.fichier, old.lignes, old.compteurs == {} or True) == ("", [], True)
    assert old.purgee_le is not None and abandoned.purgee_le is not None
    assert default_storage.exists(recent.fichier) and recent.lignes and recent.purgee_le is None
    assert purge_files() == 0  # once only


def test_the_samples_of_bases_contracts_and_vouchers_go_through_the_wizard(wizard, agence, admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    counts = {}
    for entite in ["prestataires", "situations", "contrats", "utilisateurs", "autorisations", "cheques"]:
        content = admin_client.get(reverse("reprise:exemple", args=[entite])).content
        reprise = wizard(agence, SimpleUploadedFile(f"exemple-{entite}.xlsx", content), entite=entite)
        counts[entite] = (reprise.statut, reprise.compteurs)
    assert counts["situations"] == ("terminee", {"nouveau": 3, "mise_a_jour": 0, "inchange": 0, "refuse": 2})
    assert counts["contrats"] == ("terminee", {"nouveau": 3, "mise_a_jour": 0, "inchange": 0, "refuse": 2})
    assert Prestataire.objects.filter(agence=agence, statut="actif").count() == 3
    # Vouchers: all or nothing, the two refused rows keep the file waiting for its corrected version.
    assert counts["cheques"] == ("a_confirmer", {"nouveau": 3, "mise_a_jour": 0, "inchange": 0, "refuse": 2})
