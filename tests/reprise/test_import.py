"""The preview tells each row's fate; the confirmed import writes exactly that, once, with its audit trail."""

import datetime
from html import unescape

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse

from ale_platform.identifiers import format_niss
from prestataires.models import Prestataire
from reprise.models import CorrespondanceColonnes, Reprise
from tests.factories import AgenceFactory, PrestataireFactory, UtilisateurFactory
from utilisateurs.models import Autorisation, Inscription, Utilisateur

from .conftest import WORKER_HEADERS, bce, csv_file, errors, niss, results, worker_rows, xlsx

# The samples hold this year's past working days (none on the 2nd of January): a day with some behind it.
YEAR = 2026
pytestmark = [pytest.mark.django_db, pytest.mark.today(f"{YEAR}-06-17")]


def test_nothing_is_written_before_confirmation(wizard, agence, admin_client):
    reprise = wizard(agence, xlsx([WORKER_HEADERS, *worker_rows(3)]), confirm=False)
    assert reprise.statut == Reprise.Statut.A_CONFIRMER
    assert results(reprise) == ["nouveau"] * 3
    assert not Prestataire.objects.exists()
    page = unescape(admin_client.get(reverse("reprise:detail", args=[reprise.pk])).content.decode())
    assert "rien n'est encore enregistré" in page and "Confirmer l'import (3 nouveau(x)" in page


def test_refused_rows_carry_their_reason_in_french(wizard, agence):
    other = AgenceFactory()
    PrestataireFactory(agence=other, niss=niss(5))
    rows = worker_rows(6)
    rows[1][2] = "85.07.30-033.99"  # check digits wrong
    rows[2][7] = "BE00 1234 5678 9999"
    rows[3][4] = "123"
    rows[4][8] = "Cueillette de champignons"
    rows.append(list(rows[0]))  # same NISS as line 2
    reprise = wizard(agence, xlsx([WORKER_HEADERS, *rows]), confirm=False)
    found = errors(reprise)
    assert set(found) == {3, 4, 5, 6, 7}
    assert list(found[3]) == ["NISS"]  # not the birth date or sex it would have given
    assert "IBAN" in found[4]
    assert "Code postal" in found[5]
    assert found[6] == {"Activités acceptées": "Activité inconnue dans l'agence : « Cueillette de champignons »."}
    assert found[7] == {"NISS": "Ce NISS est déjà inscrit dans une autre agence."}
    assert reprise.lignes[6]["statut"] == "fusionne"  # the same worker twice, nothing different: one row
    assert results(reprise)[0] == "nouveau"


def test_update_shows_the_changes_and_an_identical_file_changes_nothing(wizard, agence, admin):
    existing = PrestataireFactory(agence=agence, niss=niss(0), nom="Nom0", prenom="Prénom0", commune="Sauvenière")
    upload = xlsx([WORKER_HEADERS, *worker_rows(2)])
    first = wizard(agence, upload)
    assert results(first) == ["mise_a_jour", "nouveau"]
    assert ["Commune", "Sauvenière", "Gembloux"] in first.lignes[0]["changements"]
    existing.refresh_from_db()
    assert existing.commune == "Gembloux"
    history = existing.history.first()
    assert history.history_user == admin
    assert history.history_change_reason == f"Reprise de données n° {first.pk} : fichier.xlsx"
    new = Prestataire.objects.get(niss=niss(1))
    assert new.history.get().history_change_reason == first.change_reason
    assert [a.nom for a in new.activites.all()] == ["Jardinage"]
    assert new.date_naissance == datetime.date(1975, 4, 2) and new.sexe  # deduced from the NISS

    counts = Prestataire.history.count()
    again = wizard(agence, xlsx([WORKER_HEADERS, *worker_rows(2)]))
    assert results(again) == ["inchange", "inchange"]
    assert again.compteurs == {"nouveau": 0, "mise_a_jour": 0, "inchange": 2, "refuse": 0}
    assert Prestataire.history.count() == counts
    assert Prestataire.objects.count() == 2


def test_an_empty_cell_never_erases_a_known_value(wizard, agence):
    PrestataireFactory(agence=agence, niss=niss(0), nom="Nom0", prenom="Prénom0", telephone="081 11 11 11")
    rows = worker_rows(1)
    rows[0][6] = ""
    reprise = wizard(agence, xlsx([WORKER_HEADERS, *rows]))
    assert Prestataire.objects.get().telephone == "081 11 11 11"
    assert results(reprise) == ["mise_a_jour"]
    assert "Téléphone" not in [change[0] for change in reprise.lignes[0]["changements"]]


def test_the_whole_file_is_one_transaction(wizard, agence, monkeypatch):
    from simple_history.manager import HistoryManager

    def failing_history(*args, **kwargs):
        raise RuntimeError("disk full")  # after the workers' rows are inserted, before their history

    monkeypatch.setattr(HistoryManager, "bulk_history_create", failing_history)
    wizard(agence, xlsx([WORKER_HEADERS, *worker_rows(4)]))  # the task fails; the backend records it
    assert not Prestataire.objects.exists()
    reprise = Reprise.objects.get()
    assert reprise.statut == Reprise.Statut.ECHEC
    assert "échoué" in mail.outbox[-1].body


def test_completion_mail_gives_the_counts(wizard, agence, admin):
    rows = worker_rows(3)
    rows[2][2] = "12345"
    reprise = wizard(agence, xlsx([WORKER_HEADERS, *rows]))
    message = mail.outbox[-1]
    assert message.to == [admin.email]
    assert "Import terminé, 1 ligne refusée : fichier.xlsx" in message.subject
    assert "2 nouveau(x)" in message.body and "1 refusé(s)" in message.body
    assert f"/reprise/{reprise.pk}/" in message.body


def test_error_report_is_the_file_with_a_result_and_error_column(wizard, agence, admin_client):
    rows = worker_rows(2)
    rows[1][4] = "99"
    reprise = wizard(agence, csv_file([WORKER_HEADERS, *rows]))
    response = admin_client.get(reverse("reprise:rapport", args=[reprise.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="fichier-rapport.csv"'
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Ligne du fichier;Nom;") and lines[0].endswith("Résultat;Erreurs;Remarques")
    assert lines[1].startswith("2;Nom0;Prénom0;") and ";Nouveau;" in lines[1] + ";"
    assert "Refusé" in lines[2] and "CP :" in lines[2]  # the office's own header


def test_the_corrected_report_goes_back_in_and_imports_the_fixed_rows(wizard, agence, admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    rows = worker_rows(3)
    rows[1][4] = "99"
    reprise = wizard(agence, csv_file([["Liste de 2025"], [], WORKER_HEADERS, *rows]))
    assert results(reprise) == ["ignoree", "nouveau", "refuse", "nouveau"]
    report = admin_client.get(reverse("reprise:rapport", args=[reprise.pk])).content.decode("utf-8-sig")
    lines = report.splitlines()
    assert lines[2].startswith("5;") and "Refusé" in lines[2]
    fixed = report.replace(";99;", ";5030;")
    again = wizard(agence, SimpleUploadedFile("rapport.csv", fixed.encode("utf-8-sig")))
    assert results(again) == ["inchange", "nouveau", "inchange"], errors(again)
    assert Prestataire.objects.count() == 3


def test_xlsx_error_report(wizard, agence, admin_client):
    rows = worker_rows(1)
    rows[0][2] = "1"
    reprise = wizard(agence, xlsx([WORKER_HEADERS, *rows]))
    response = admin_client.get(reverse("reprise:rapport", args=[reprise.pk]))
    import io

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][-3:] == ("Résultat", "Erreurs", "Remarques")
    assert values[0][0] == "Ligne du fichier" and values[1][0] == 2
    assert values[1][-3] == "Refusé" and values[1][-2].startswith("N° NISS :")


def test_the_mapping_is_adjustable_and_remembered_per_agency(wizard, agence, admin_client):
    headers = ["Famille", "Prénom", "Identifiant national", "Adresse", "CP", "Localité"]
    rows = [headers, ["Dupont", "Marie", format_niss(niss(1)), "Rue 1", "5030", "Gembloux"]]
    mapping = {"0": "nom", "1": "prenom", "2": "niss", "3": "rue", "4": "code_postal", "5": "commune"}
    reprise = wizard(agence, xlsx(rows), mapping=mapping)
    assert results(reprise) == ["nouveau"]
    assert CorrespondanceColonnes.objects.get(agence=agence).colonnes["famille"] == "nom"
    admin_client.post(reverse("reprise:index"), {"agence": agence.pk, "entite": "prestataires", "fichier": xlsx(rows)})
    assert Reprise.objects.order_by("-pk").first().correspondance == mapping


def test_a_required_field_without_column_is_refused_on_the_mapping(wizard, agence, admin_client):
    admin_client.post(
        reverse("reprise:index"),
        {"agence": agence.pk, "entite": "prestataires", "fichier": xlsx([WORKER_HEADERS, *worker_rows(1)])},
    )
    reprise = Reprise.objects.get()
    data = {f"col_{i}": v for i, v in reprise.correspondance.items() if v != "niss"}
    data["col_1"] = "nom"
    response = admin_client.post(reverse("reprise:correspondance", args=[reprise.pk]), data)
    assert response.status_code == 400
    page = unescape(response.content.decode())
    assert "champ obligatoire (*) : Prénom, NISS." in page and "déjà rempli par la colonne « Nom »" in page


CLIENT_HEADERS = ["Type", "Naam", "Voornaam", "INSZ", "Ondernemingsnummer", "Straat", "Postcode", "Gemeente"]


def test_clients_matched_by_niss_or_bce_from_dutch_headers(wizard, agence):
    UtilisateurFactory(agence=agence, type="asbl", bce=bce(1), nom="Les Amis")
    rows = [
        CLIENT_HEADERS,
        ["", "Lambert", "Jean", format_niss(niss(1)), "", "Rue 1", "5030", "Gembloux"],
        ["vzw", "Les Amis du Parc", "", "", bce(1), "Rue 2", "5030", "Gembloux"],
        ["gemeente", "Commune", "", "", "0123.456.789", "Rue 3", "5030", "Gembloux"],
        ["", "Sans type", "", "", bce(2), "Rue 4", "5030", "Gembloux"],
    ]
    reprise = wizard(agence, xlsx(rows), entite="utilisateurs")
    assert results(reprise) == ["nouveau", "mise_a_jour", "refuse", "refuse"], [
        (x["numero"], x["erreurs"]) for x in reprise.lignes
    ]
    assert "BCE" in " ".join(errors(reprise)[4]) and "Type" in errors(reprise)[5]
    assert Utilisateur.objects.get(niss=niss(1)).type == "particulier"
    assert Utilisateur.objects.get(bce=bce(1)).nom == "Les Amis du Parc"


def test_registrations_and_authorisations(wizard, agence):
    client = UtilisateurFactory(agence=agence, niss=niss(1))
    school = UtilisateurFactory(agence=agence, type="enseignement", niss="", bce=bce(3))
    inscriptions = [
        ["NISS ou BCE", "Année", "Cotisation", "Payée le", "Validée"],
        [format_niss(niss(1)), YEAR, "7,44", f"15/01/{YEAR}", "oui"],
        [bce(3), YEAR, "0", "", "non"],
        [format_niss(niss(9)), YEAR, "7,44", "", "oui"],
        [bce(3), YEAR - 5, "7,44", "", "oui"],
    ]
    reprise = wizard(agence, xlsx(inscriptions), entite="inscriptions")
    assert results(reprise) == ["nouveau", "nouveau", "refuse", "refuse"]
    assert "importez d'abord le fichier des utilisateurs" in errors(reprise)[4]["NISS ou BCE du client"]
    assert Inscription.objects.get(utilisateur=client).validee
    assert not Inscription.objects.get(utilisateur=school).validee
    assert results(wizard(agence, xlsx(inscriptions), entite="inscriptions"))[:2] == ["inchange", "inchange"]

    other_client = UtilisateurFactory(agence=AgenceFactory())
    Autorisation.objects.create(
        utilisateur=other_client,
        activite=other_client.agence.activites.create(nom="X"),
        numero="5555555555",
        debut=datetime.date(YEAR, 1, 1),
        fin=datetime.date(YEAR, 12, 31),
    )
    autorisations = [
        ["Client", "Activité", "N° autorisation", "Du", "Au"],
        [format_niss(niss(1)), "Garde d'enfants", "1234567890", f"01/01/{YEAR}", f"31/12/{YEAR}"],
        [format_niss(niss(1)), "Jardinage", "1234567891", f"31/12/{YEAR}", f"01/01/{YEAR}"],
        [bce(3), "Garde d'enfants", "1234567892", f"01/01/{YEAR}", f"31/12/{YEAR}"],
        [format_niss(niss(1)), "Jardinage", "5555555555", f"01/01/{YEAR}", f"31/12/{YEAR}"],
        [format_niss(niss(1)), "Jardinage", "123", f"01/01/{YEAR}", f"31/12/{YEAR}"],
        [format_niss(niss(1)), "Jardinage", "1234567890", f"01/01/{YEAR}", f"31/12/{YEAR}"],
    ]
    reprise = wizard(agence, xlsx(autorisations), entite="autorisations")
    assert results(reprise) == ["nouveau", "refuse", "refuse", "refuse", "refuse", "refuse"]
    found = errors(reprise)
    assert found[3] == {"Fin": "La fin doit suivre le début."}
    assert "aux clients de type « Établissement d'enseignement »" in found[4]["Activité"]
    assert found[5] == {"Numéro d'autorisation": "Ce numéro d'autorisation appartient à un client d'une autre agence."}
    assert "10 chiffres" in found[6]["Numéro d'autorisation"]
    assert "En double" in found[7]["Numéro d'autorisation"]
    autorisation = Autorisation.objects.get(numero="1234567890")
    assert autorisation.utilisateur == client
    assert autorisation.history.get().history_change_reason == reprise.change_reason

    changed = [
        autorisations[0],
        [format_niss(niss(1)), "Garde d'enfants", "1234567890", f"01/01/{YEAR}", f"30/06/{YEAR}"],
    ]
    again = wizard(agence, xlsx(changed), entite="autorisations")
    assert again.lignes[0]["changements"] == [["Fin", f"31/12/{YEAR}", f"30/06/{YEAR}"]]
    autorisation.refresh_from_db()
    assert autorisation.fin == datetime.date(YEAR, 6, 30)


@pytest.mark.parametrize(
    "entite",
    ["prestataires", "situations", "contrats", "utilisateurs", "inscriptions", "autorisations", "sites", "contacts"]
    + ["cheques"],
)
def test_templates_list_columns_example_and_allowed_values(admin_client, entite):
    import io

    response = admin_client.get(reverse("reprise:modele", args=[entite]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    data, allowed = book.worksheets
    headers = [c.value for c in data[1]]
    assert len(list(data.iter_rows())) == 2
    assert [row[0] for row in allowed.iter_rows(min_row=2, values_only=True)][: len(headers)] == headers
    assert allowed["A1"].value == "Colonne" and allowed["C1"].value == "Valeurs permises"


def test_the_samples_go_through_the_wizard_with_some_rows_refused(wizard, agence, admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    counts = {}
    for entite in ["prestataires", "utilisateurs", "inscriptions", "autorisations", "sites", "contacts"]:
        content = admin_client.get(reverse("reprise:exemple", args=[entite])).content
        reprise = wizard(agence, SimpleUploadedFile(f"exemple-{entite}.xlsx", content), entite=entite)
        counts[entite] = reprise.compteurs
    assert counts["prestataires"] == {"nouveau": 4, "mise_a_jour": 0, "inchange": 0, "refuse": 2, "fusionne": 1}
    assert counts["utilisateurs"] == {"nouveau": 4, "mise_a_jour": 0, "inchange": 0, "refuse": 1}
    assert counts["inscriptions"] == {"nouveau": 3, "mise_a_jour": 0, "inchange": 0, "refuse": 1}
    assert counts["autorisations"] == {"nouveau": 3, "mise_a_jour": 0, "inchange": 0, "refuse": 1}
    assert counts["sites"] == {"nouveau": 2, "mise_a_jour": 0, "inchange": 0, "refuse": 1}
    assert counts["contacts"] == {"nouveau": 2, "mise_a_jour": 0, "inchange": 0, "refuse": 1}


def test_sites_and_contacts_of_a_legal_person(wizard, agence):
    commune = UtilisateurFactory(agence=agence, type="autorite_locale", niss="", bce=bce(4))
    commune.sites.create(nom="Hôtel de ville", rue="Place 1", code_postal="5030", commune="Gembloux")
    sites = [
        ["BCE", "Nom du site", "Adresse", "Code postal", "Localité"],
        [bce(4), "Hôtel de Ville", "Place 1", "5030", "Gembloux"],
        [bce(4), "École", "Rue 2", "5030", "Gembloux"],
        [bce(4), "École", "Rue 3", "5030", "Gembloux"],
    ]
    reprise = wizard(agence, xlsx(sites), entite="sites")
    assert results(reprise) == ["mise_a_jour", "nouveau", "refuse"]  # matched whatever the case and accents
    assert reprise.lignes[0]["changements"] == [["Nom du site", "Hôtel de ville", "Hôtel de Ville"]]
    assert set(commune.sites.values_list("nom", flat=True)) == {"École", "Hôtel de Ville"}
    contacts = [
        ["BCE", "Nom", "Prénom", "Fonction", "Téléphone", "E-mail"],
        [bce(4), "Martin", "Claire", "Échevine", "081 62 63 01", ""],
        [bce(4), "Sans", "Moyen", "", "", ""],
    ]
    reprise = wizard(agence, xlsx(contacts), entite="contacts")
    assert results(reprise) == ["nouveau", "refuse"]
    assert errors(reprise)[3] == {"Ligne": "Indiquez au moins un téléphone ou une adresse e-mail."}
    assert commune.contacts.get().history.get().history_change_reason == reprise.change_reason


def test_the_error_report_neutralises_formulas_and_reads_back(wizard, agence, admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    rows = worker_rows(1)
    rows[0][6] = "+32 470 12 34 56"
    reprise = wizard(agence, csv_file([WORKER_HEADERS, *rows]), confirm=False)
    report = admin_client.get(reverse("reprise:rapport", args=[reprise.pk])).content
    assert ";'+32 470 12 34 56;" in report.decode("utf-8-sig")
    again = wizard(agence, SimpleUploadedFile("rapport.csv", report))
    assert Prestataire.objects.get().telephone == "+32 470 12 34 56"
    assert results(again) == ["nouveau"]


@pytest.mark.today("2027-01-04")
def test_templates_give_this_years_examples_even_if_the_server_started_last_year(admin_client):
    import io

    for entite, columns in (("inscriptions", ("Année", "Payée le")), ("autorisations", ("Début", "Fin"))):
        response = admin_client.get(reverse("reprise:modele", args=[entite]))
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
        example = dict(zip([c.value for c in sheet[1]], [c.value for c in sheet[2]], strict=True))
        for column in columns:
            assert "2027" in example[column] and "2026" not in example[column]


def test_imported_addresses_are_located_in_the_background_a_task_per_batch(wizard, agence, monkeypatch):
    """A bulk insert sends no save signal: the import queues the new rows' lookups itself, in batches."""
    from decimal import Decimal

    from ale_platform.geo import services as geo
    from ale_platform.geo import tasks
    from ale_platform.geo.addresses import normalise
    from ale_platform.geo.models import AdresseConnue, StatutGeocodage

    AdresseConnue.objects.create(
        adresse=normalise("Rue 1", "5030 Gembloux"),
        latitude=Decimal("50.561"),
        longitude=Decimal("4.697"),
        source=AdresseConnue.Source.SEMEE,
    )
    enqueued = []

    class Spy:
        def enqueue(self, *args):
            enqueued.append(args)
            return real.enqueue(*args)

    real = tasks.localiser_lot
    monkeypatch.setattr(tasks, "localiser_lot", Spy())
    monkeypatch.setattr(geo, "LOOKUPS_PER_TASK", 2)
    wizard(agence, xlsx([WORKER_HEADERS, *worker_rows(3)]))
    located = {p.nom: p for p in Prestataire.objects.filter(agence=agence)}
    assert located["Nom1"].geocodage == StatutGeocodage.TROUVEE and located["Nom1"].point == (50.561, 4.697)
    assert located["Nom0"].geocodage == StatutGeocodage.INTROUVABLE  # "Rue 0" is known to no geocoder here
    assert "placez-la à la main" in located["Nom0"].geocodage_note
    assert located["Nom2"].geocodage == StatutGeocodage.INTROUVABLE
    assert [len(pks) for _label, pks in enqueued] == [2, 1]  # three rows, tasks of two
