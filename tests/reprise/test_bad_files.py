"""Every kind of unreadable file ends in a clear French error on the form, never a 500, and nothing is stored."""

import io
from html import unescape

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reprise.models import Reprise

from .conftest import WORKER_HEADERS, csv_file, worker_rows, xlsx

pytestmark = pytest.mark.django_db


def _post(client, agence, upload, entite="prestataires"):
    return client.post(reverse("reprise:index"), {"agence": agence.pk, "entite": entite, "fichier": upload})


def _refused(response, expected: str):
    assert response.status_code == 400
    assert expected in unescape(response.content.decode())
    assert not Reprise.objects.exists()


def _sheet(build) -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    build(workbook.active)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("fichier.xlsx", buffer.getvalue())


def test_wrong_encoding(admin_client, agence):
    text = ";".join(WORKER_HEADERS) + "\n" + ";".join(worker_rows(1)[0])
    upload = SimpleUploadedFile("fichier.csv", text.encode("utf-16-le"))
    _refused(_post(admin_client, agence, upload), "Encodage du fichier non reconnu")


def test_a_binary_file_named_csv(admin_client, agence):
    upload = SimpleUploadedFile("fichier.csv", b"%PDF-1.7\x00\x01\x02\xff\xfe binary")
    _refused(_post(admin_client, agence, upload), "Encodage du fichier non reconnu")


def test_a_windows_csv_is_read(admin_client, agence):
    """Excel on Windows saves CSV in cp1252: accents survive."""
    upload = csv_file([WORKER_HEADERS, *worker_rows(1)], encoding="cp1252")
    response = _post(admin_client, agence, upload)
    assert response.status_code == 302
    assert "prenom" in Reprise.objects.get().correspondance.values()


@pytest.mark.parametrize("content", [b"", b"   \n\n", b";;;\n;;;\n"])
def test_empty_file(admin_client, agence, content):
    response = _post(admin_client, agence, SimpleUploadedFile("vide.csv", content))
    assert response.status_code == 400
    assert "vide" in response.content.decode()
    assert not Reprise.objects.exists()


def test_headers_only(admin_client, agence):
    _refused(_post(admin_client, agence, csv_file([WORKER_HEADERS])), "que la ligne d'en-têtes")


def test_formula_cells_are_not_evaluated(admin_client, agence):
    """A formula is never run by the platform: the value Excel saved with it is read (test_office_files), and a
    formula saved without one (written by a program) is an empty cell."""

    def build(sheet):
        sheet.append(WORKER_HEADERS)
        sheet.append(worker_rows(1)[0])
        sheet["A2"] = '=CONCATENATE("Du";"pont")'

    assert _post(admin_client, agence, _sheet(build)).status_code == 302
    from reprise.services import read

    assert read(Reprise.objects.get())[0][0] == ""


def test_cells_starting_like_a_formula_in_a_csv_are_values(agence, admin_client, wizard):
    """A CSV cell starting with "=", "+", "-" or "@" is the text it is (nothing runs it): the file is read, its rows
    imported, and the report the platform writes back neutralises those cells (a leading ')."""
    from prestataires.models import Prestataire
    from reprise.fichiers import error_report
    from reprise.services import read

    rows = worker_rows(3)
    rows[0][8] = "=jardinage"
    rows[1][6] = "-"
    rows[2][3] = "@ la ferme, Rue 2"
    rows[2][0] = "=1+1"
    reprise = wizard(agence, csv_file([WORKER_HEADERS, *rows]))
    table = read(reprise)
    assert [table[0][8], table[1][6], table[2][0]] == ["=jardinage", "-", "=1+1"]
    assert Prestataire.objects.filter(agence=agence).count() == 3
    assert Prestataire.objects.get(niss=rows[0][2].replace(".", "").replace("-", "")).activites.get().nom == "Jardinage"
    assert Prestataire.objects.filter(nom="=1+1").exists()
    report = error_report(reprise, table)[0].decode("utf-8-sig")
    assert "'=jardinage" in report and ";'-;" in report and "'=1+1" in report


def test_a_merged_title_above_the_headers_is_set_aside(admin_client, agence):
    def build(sheet):
        sheet.append(["Liste des prestataires 2025"])
        sheet.merge_cells("A1:I1")
        sheet.append(WORKER_HEADERS)
        sheet.append(worker_rows(1)[0])

    assert _post(admin_client, agence, _sheet(build)).status_code == 302
    from reprise.services import read

    table = read(Reprise.objects.get())
    assert table.lines == [3] and table.skipped[0][0] == 1


def test_over_ten_megabytes(admin_client, agence):
    upload = SimpleUploadedFile("gros.csv", b"a;b\n" + b"x;y\n" * (10 * 1024 * 1024 // 4 + 1))
    _refused(_post(admin_client, agence, upload), "dépasse 10 Mo")


def test_over_fifty_thousand_rows(admin_client, agence):
    upload = SimpleUploadedFile("long.csv", b"Nom;Prenom\n" + b"a;b\n" * 50_001)
    _refused(_post(admin_client, agence, upload), "au plus 50000 par fichier")


def test_wrong_columns(admin_client, agence):
    upload = csv_file([["Produit", "Prix", "Stock"], ["Pommes", "2", "10"]])
    _refused(_post(admin_client, agence, upload), "Aucune colonne de ce fichier n'est reconnue")


def test_not_a_spreadsheet(admin_client, agence):
    _refused(_post(admin_client, agence, SimpleUploadedFile("photo.pdf", b"%PDF")), "Format non reconnu")


def test_corrupt_xlsx(admin_client, agence):
    upload = SimpleUploadedFile("abime.xlsx", b"PK\x03\x04 not really a zip")
    _refused(_post(admin_client, agence, upload), "pas un classeur Excel lisible")


def test_a_number_cell_keeps_the_niss_leading_zero(admin_client, agence, run_tasks):
    """A NISS of someone born in 2005 typed as a number loses its leading zero: it is restored."""
    import datetime

    from ale_platform.identifiers import build_niss

    niss = build_niss(datetime.date(2005, 1, 1), 11)
    rows = [WORKER_HEADERS, ["Nom", "Prénom", int(niss), "Rue 1", 5030, "Gembloux", "", "", "Jardinage"]]
    assert _post(admin_client, agence, xlsx(rows)).status_code == 302
    reprise = Reprise.objects.get()
    data = {f"col_{i}": v for i, v in reprise.correspondance.items()}
    run_tasks(admin_client.post, reverse("reprise:correspondance", args=[reprise.pk]), data)
    reprise.refresh_from_db()
    assert [ligne["statut"] for ligne in reprise.lignes] == ["nouveau"], reprise.lignes


def test_a_zip_that_is_not_a_workbook(admin_client, agence):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "pas un classeur")
    upload = SimpleUploadedFile("archive.xlsx", buffer.getvalue())
    _refused(_post(admin_client, agence, upload), "pas un classeur Excel lisible")
