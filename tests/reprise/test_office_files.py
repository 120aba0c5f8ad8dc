"""Files as offices keep them (title rows, merged cells, TOTAL rows, formulas) and the attacks on the wizard:
each one answered with a French message, never a 500."""

import datetime
import io
import re
import zipfile
from html import unescape

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ale_platform.models import TypeUtilisateur
from prestataires.models import Prestataire
from reprise.models import Reprise
from tests.factories import ActiviteFactory

from .conftest import WORKER_HEADERS, csv_file, errors, results, worker_rows, xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-06-17")]


def _post(client, agence, upload, entite="prestataires"):
    return client.post(reverse("reprise:index"), {"agence": agence.pk, "entite": entite, "fichier": upload})


def _workbook_bytes(build) -> bytes:
    workbook = openpyxl.Workbook()
    build(workbook.active)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _with_sheet_xml(content: bytes, change) -> bytes:
    """The workbook with its first sheet's XML rewritten (what Excel saves and openpyxl cannot write)."""
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.namelist():
            data = source.read(item)
            if item == "xl/worksheets/sheet1.xml":
                data = change(data.decode()).encode()
            out.writestr(item, data)
    return target.getvalue()


def test_an_office_workbook_goes_in_as_it_is(wizard, agence):
    """A merged title row, a blank row, a TOTAL formula row and a formula cell read by the value Excel saved."""

    def build(sheet):
        sheet.append(["Liste des prestataires ALE — 2025"])
        sheet.merge_cells("A1:I1")
        sheet.append([])
        sheet.append(WORKER_HEADERS)
        for row in worker_rows(3):
            sheet.append(row)
        sheet.append([])
        sheet.append(["TOTAL", "=COUNTA(A4:A6)"])
        sheet["A5"] = '=CONCATENATE("Du";"pont")'

    def cached_values(xml):
        xml = re.sub(
            r'<c r="A5"[^>]*>.*?</c>', '<c r="A5" t="str"><f>CONCATENATE("Du";"pont")</f><v>Dupont</v></c>', xml
        )
        return xml

    content = _with_sheet_xml(_workbook_bytes(build), cached_values)
    reprise = wizard(agence, SimpleUploadedFile("bureau.xlsx", content))
    assert reprise.statut == Reprise.Statut.TERMINEE
    assert [(ligne["numero"], ligne["statut"]) for ligne in reprise.lignes] == [
        (1, "ignoree"),
        (4, "nouveau"),
        (5, "nouveau"),
        (6, "nouveau"),
        (8, "ignoree"),
    ], reprise.lignes
    assert "total" in reprise.lignes[-1]["libelle"]
    assert Prestataire.objects.filter(nom="Dupont").count() == 1


def test_the_preview_tells_the_rows_set_aside(wizard, agence, admin_client):
    rows = [["Export du 02/01/2026"], WORKER_HEADERS, *worker_rows(2), ["Sous-total", "2"]]
    reprise = wizard(agence, xlsx(rows), confirm=False)
    page = unescape(admin_client.get(reverse("reprise:detail", args=[reprise.pk])).content.decode())
    assert "Ignorée" in page and "Titre au-dessus de la ligne d'en-têtes" in page and "sous-total" in page


def test_office_headers_are_recognised(admin_client, agence):
    headers = ["Nom", "Prénom", "N° national", "Né(e) le", "Adresse", "CP", "Localité", "Inscrit depuis"]
    row = worker_rows(1)[0]
    assert (
        _post(admin_client, agence, xlsx([headers, [*row[:3], "02/04/1975", *row[3:6], "01/01/2020"]])).status_code
        == 302
    )
    mapping = Reprise.objects.get().correspondance
    assert set(mapping.values()) >= {"niss", "date_naissance", "date_inscription"}


def test_client_office_headers_are_recognised(admin_client, agence):
    headers = ["Nom / Raison sociale", "N° BCE", "N° registre national", "Adresse", "CP", "Commune"]
    assert (
        _post(
            admin_client, agence, xlsx([headers, ["X", "0123.456.749", "", "R", "5030", "G"]]), "utilisateurs"
        ).status_code
        == 302
    )
    assert set(Reprise.objects.get().correspondance.values()) >= {"nom", "bce", "niss"}


# --- the attacks ---------------------------------------------------------------------------------------


def test_report_headers_are_neutralised(wizard, agence, admin_client):
    reprise = wizard(agence, csv_file([[*WORKER_HEADERS, "=HYPERLINK(1)", "@SUM(1)", "-2+3"], *worker_rows(1)]))
    response = admin_client.get(reverse("reprise:rapport", args=[reprise.pk]))
    header = response.content.decode("utf-8-sig").splitlines()[0].split(";")
    assert "'=HYPERLINK(1)" in header and "'@SUM(1)" in header and "'-2+3" in header


def test_samples_and_templates_write_no_formula_and_the_sample_goes_back_in(admin_client, agence):
    ActiviteFactory(
        agence=agence, nom='=HYPERLINK("http://x.example","clic")', types_utilisateurs=list(TypeUtilisateur.values)
    )
    agence.activites.exclude(nom__startswith="=").update(active=False)
    for url in (reverse("reprise:exemple", args=["prestataires"]), reverse("reprise:modele", args=["prestataires"])):
        content = admin_client.get(url).content
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
        assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
        assert any(str(cell.value).startswith("'=HYPERLINK") for cell in cells)
    sample = admin_client.get(reverse("reprise:exemple", args=["prestataires"])).content
    assert _post(admin_client, agence, SimpleUploadedFile("exemple.xlsx", sample)).status_code == 302


def test_a_small_workbook_of_600000_rows_is_refused_before_loading(admin_client, agence):
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>x</t></is></c></row>' for n in range(2, 600_001))

    def huge(xml):
        return xml.replace("</row></sheetData>", "</row>" + rows + "</sheetData>")

    content = _with_sheet_xml(_workbook_bytes(lambda sheet: sheet.append(WORKER_HEADERS)), huge)
    assert len(content) < 10 * 1024 * 1024  # under the size limit: the row count refuses it
    response = _post(admin_client, agence, SimpleUploadedFile("enorme.xlsx", content))
    assert response.status_code == 400
    page = unescape(response.content.decode())
    assert "au plus 50000 par fichier" in page, page[page.find("errorlist") - 200 : page.find("errorlist") + 400]


def test_utf16_bom_with_an_odd_byte_count(admin_client, agence):
    content = "\ufeffNom;Prénom\nA;B\n".encode("utf-16-le") + b"\x00"
    response = _post(admin_client, agence, SimpleUploadedFile("bizarre.csv", b"\xff\xfe" + content[2:]))
    assert response.status_code == 400
    assert "Encodage du fichier non reconnu" in unescape(response.content.decode())


def test_a_long_file_name_keeps_its_extension(admin_client, agence):
    name = "a" * 300 + ".xlsx"
    assert _post(admin_client, agence, xlsx([WORKER_HEADERS, *worker_rows(1)], name=name)).status_code == 302
    reprise = Reprise.objects.get()
    assert reprise.nom_fichier.endswith(".xlsx") and len(reprise.nom_fichier) <= 200
    assert reprise.fichier.endswith(".xlsx")
    assert admin_client.get(reverse("reprise:correspondance", args=[reprise.pk])).status_code == 200


def test_refused_rows_still_have_their_line(wizard, agence):
    rows = worker_rows(2)
    rows[1][4] = "99"
    reprise = wizard(agence, xlsx([["Titre"], [], WORKER_HEADERS, [], *rows]), confirm=False)
    assert results(reprise) == ["ignoree", "nouveau", "refuse"]
    assert list(errors(reprise)) == [6]


# --- addresses in one cell, the office's words ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rue", "cp", "commune"),
    [
        ("Rue de la Station 12, 4500 Huy", "Rue de la Station 12", "4500", "Huy"),
        ("Rue X 12 bte 3, 4500 Huy", "Rue X 12 bte 3", "4500", "Huy"),
        ("12 rue X - 4500 HUY", "Rue X 12", "4500", "Huy"),
        ("Rue X, 12 4500 Huy", "Rue X 12", "4500", "Huy"),
        ("Chaussée de Namur 81 B-5030 Gembloux", "Chaussée de Namur 81", "5030", "Gembloux"),
        ("Rue Haute 7 5031 GRAND-LEEZ", "Rue Haute 7", "5031", "Grand-Leez"),
    ],
)
def test_belgian_addresses_are_split(text, rue, cp, commune):
    from reprise.adresses import split_address

    found = split_address(text)
    assert (found.rue, found.code_postal, found.commune) == (rue, cp, commune)


def test_an_address_in_one_cell_goes_in_and_an_unsplittable_one_is_one_report_line(wizard, agence, admin_client):
    headers = ["Nom", "Prénom", "NISS", "Adresse"]
    rows = [[*row[:3], f"Rue de la Station {i}, 4500 Huy"] for i, row in enumerate(worker_rows(3))]
    rows[2][3] = "Rue sans code"
    reprise = wizard(agence, xlsx([headers, *rows]))
    assert results(reprise) == ["nouveau", "nouveau", "refuse"]
    assert "code postal et commune introuvables" in errors(reprise)[4]["Rue et numéro"]
    worker = Prestataire.objects.get(nom="Nom0")
    assert (worker.rue, worker.code_postal, worker.commune) == ("Rue de la Station 0", "4500", "Huy")
    assert reprise.lignes[0]["notes"] == ["Adresse lue : Rue de la Station 0 · 4500 · Huy"]
    page = unescape(admin_client.get(reverse("reprise:detail", args=[reprise.pk])).content.decode())
    assert "Adresse lue : Rue de la Station 1 · 4500 · Huy" in page


def test_the_office_words_find_the_catalogue(wizard, agence):
    ActiviteFactory(agence=agence, nom="Petit jardinage", types_utilisateurs=list(TypeUtilisateur.values))
    agence.activites.filter(nom="Jardinage").update(nom="Aide administrative")
    reprise = wizard(agence, xlsx([WORKER_HEADERS, *worker_rows(1, activite="jardinage")]))
    assert results(reprise) == ["nouveau"], errors(reprise)
    assert [a.nom for a in Prestataire.objects.get().activites.all()] == ["Petit jardinage"]
    assert "« jardinage » lu comme « Petit jardinage »" in reprise.lignes[0]["notes"]


def test_client_type_pp_is_a_private_person(wizard, agence):
    from .conftest import niss

    headers = ["Type", "Nom", "Prénom", "NISS", "Adresse"]
    reprise = wizard(
        agence, xlsx([headers, ["PP", "Lambert", "Jean", niss(3), "Rue 1, 5030 Gembloux"]]), "utilisateurs"
    )
    assert results(reprise) == ["nouveau"], errors(reprise)


# --- nothing dropped --------------------------------------------------------------------------------------


def test_the_worker_status_becomes_an_eligibility_basis_where_it_says_enough(wizard, agence):
    from prestataires.models import SituationEligibilite

    headers = [*WORKER_HEADERS, "Statut", "Statut depuis le"]
    rows = [
        [*row, statut, depuis]
        for row, (statut, depuis) in zip(
            worker_rows(3), [("RIS", "01/03/2024"), ("chômeur complet", "01/01/2020"), ("CPAS", "")], strict=True
        )
    ]
    reprise = wizard(agence, xlsx([headers, *rows]))
    assert results(reprise) == ["nouveau", "nouveau", "nouveau"], errors(reprise)
    situation = SituationEligibilite.objects.get()
    assert (situation.prestataire.nom, situation.base, str(situation.depuis)) == ("Nom0", "ris", "2024-03-01")
    assert situation.history.get().history_change_reason == reprise.change_reason
    assert "il ne dit pas la base" in reprise.lignes[1]["notes"][0]
    assert "sans date de début" in reprise.lignes[2]["notes"][0]
    again = wizard(agence, xlsx([headers, *rows]))
    assert results(again) == ["inchange"] * 3
    assert SituationEligibilite.objects.count() == 1


def test_a_paid_registration_becomes_the_years_registration_and_authorised_activities_authorisations(wizard, agence):
    from utilisateurs.models import Autorisation, Inscription

    from .conftest import niss

    headers = ["Type", "Nom", "Prénom", "NISS", "Adresse", "Inscription payée", "Activités autorisées"]
    rows = [
        ["PP", "Lambert", "Jean", niss(3), "Rue 1, 5030 Gembloux", "oui", "Jardinage"],
        ["PP", "Martin", "Anne", niss(4), "Rue 2, 5030 Gembloux", "15/01/2026", ""],
        ["PP", "Dubois", "Luc", niss(5), "Rue 3, 5030 Gembloux", "non", ""],
    ]
    reprise = wizard(agence, xlsx([headers, *rows]), "utilisateurs")
    assert results(reprise) == ["nouveau"] * 3, errors(reprise)
    registrations = {
        i.utilisateur.nom: (i.annee, i.payee_le) for i in Inscription.objects.select_related("utilisateur")
    }
    assert registrations == {"Lambert": (2026, None), "Martin": (2026, datetime.date(2026, 1, 15))}
    assert [(a.utilisateur.nom, a.activite.nom) for a in Autorisation.objects.all()] == [("Lambert", "Jardinage")]
    again = wizard(agence, xlsx([headers, *rows]), "utilisateurs")
    assert results(again) == ["inchange"] * 3
    assert (Inscription.objects.count(), Autorisation.objects.count()) == (2, 1)


# --- the value step ---------------------------------------------------------------------------------------


def test_the_office_words_are_mapped_once_and_remembered_for_the_agency(wizard, agence, admin_client, run_tasks):
    reprise = wizard(agence, xlsx([WORKER_HEADERS, *worker_rows(2, activite="tonte")]), confirm=False)
    assert results(reprise) == ["refuse", "refuse"]
    assert reprise.valeurs_inconnues == {"activites": ["tonte"]}
    page = unescape(admin_client.get(reverse("reprise:detail", args=[reprise.pk])).content.decode())
    assert "Les mots de votre fichier" in page and "« tonte » (colonne Activités acceptées)" in page

    response = run_tasks(admin_client.post, reverse("reprise:valeurs", args=[reprise.pk]), {"v_0": "Jardinage"})
    assert response.status_code == 302
    reprise.refresh_from_db()
    assert results(reprise) == ["nouveau", "nouveau"] and reprise.valeurs_inconnues == {}

    # The agency's next file: the word is known.
    nxt = wizard(agence, xlsx([WORKER_HEADERS, *worker_rows(1, activite="Tonte", start=5)]), confirm=False)
    assert results(nxt) == ["nouveau"], errors(nxt)


def test_a_yes_no_word_is_offered_with_a_suggestion(wizard, agence, admin_client):
    from reprise.forms import ValeursForm

    headers = ["Client", "Année", "Validée"]
    reprise = wizard(agence, xlsx([headers, ["0123456749", "2026", "ouais"]]), entite="inscriptions", confirm=False)
    assert reprise.valeurs_inconnues == {"validee": ["ouais"]}
    form = ValeursForm(reprise=reprise)
    assert form.fields["v_0"].initial == "oui"
