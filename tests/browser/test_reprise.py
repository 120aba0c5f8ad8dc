"""An agency admin walks the import wizard with the sample clients file, audited with axe at every step."""

import re

import pytest
from playwright.sync_api import expect

from utilisateurs.models import Utilisateur

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def field(ui, text):
    return ui.get_by_label(re.compile("^" + re.escape(text) + r"\s*:?$"))


def test_admin_imports_the_sample_clients_file(ui, demo, tmp_path):
    before = Utilisateur.objects.count()
    log_in(ui, "sophie.lambert@ale-gembloux.be", demo)
    ui.audit()
    ui.get_by_role("link", name="Reprise de données").click()
    ui.wait_for_load_state("load")
    ui.audit()
    expect(ui.get_by_role("heading", level=1)).to_have_text("Reprise de données : importer vos fichiers")

    sample = ui.get_by_role("listitem").filter(has_text="Utilisateurs (clients)").get_by_role("link", name="exemple")
    with ui.expect_download() as download:
        sample.click()
    path = tmp_path / "exemple-utilisateurs.xlsx"
    download.value.save_as(path)

    field(ui, "Le fichier contient").select_option(label="Utilisateurs (clients)")
    field(ui, "Fichier").set_input_files(path)
    ui.get_by_role("button", name="Lire le fichier").click()
    ui.wait_for_load_state("load")
    ui.audit()
    # Dutch headers recognised: "Postcode" feeds the postal code.
    expect(field(ui, "Postcode")).to_have_value("code_postal")
    ui.get_by_role("button", name="Analyser le fichier").click()
    ui.wait_for_load_state("load")
    ui.audit()

    expect(ui.get_by_role("heading", name="Aperçu : rien n'est encore enregistré")).to_be_visible()
    expect(ui.get_by_text("Code postal", exact=False).first).to_be_visible()
    assert Utilisateur.objects.count() == before
    ui.get_by_role("link", name=re.compile(r"^Refusé \(1\)")).click()
    ui.wait_for_load_state("load")
    ui.audit()
    expect(ui.get_by_role("cell", name="Julie Masson")).to_be_visible()

    ui.get_by_role("button", name=re.compile("^Confirmer l'import")).click()
    ui.wait_for_load_state("load")
    ui.audit()
    expect(ui.get_by_role("heading", name="Résultat de l'import")).to_be_visible()
    assert Utilisateur.objects.count() == before + 4


def test_staff_import_vouchers_from_the_register_through_the_wizard(ui, demo, tmp_path):
    from prestations.models import ChequeALE
    from utilisateurs.models import Autorisation

    autorisation = Autorisation.objects.filter(utilisateur__agence__nom__icontains="Gembloux").first()
    path = tmp_path / "cheques.csv"
    path.write_text(
        "numero;autorisation;nominatif;valeur;statut;prestation\n"
        f"8800000001;{autorisation.numero};oui;;;\n8800000002;{autorisation.numero};oui;;;\n",
        encoding="utf-8",
    )
    log_in(ui, "sophie.lambert@ale-gembloux.be", demo)
    ui.audit()
    ui.visit("/cheques/")
    ui.get_by_role("link", name="Importer des chèques (CSV ou Excel)").click()
    ui.wait_for_load_state("load")
    ui.audit()
    expect(field(ui, "Le fichier contient")).to_have_value("cheques")
    field(ui, "Fichier").set_input_files(path)
    ui.get_by_role("button", name="Lire le fichier").click()
    ui.wait_for_load_state("load")
    ui.audit()
    expect(field(ui, "numero")).to_have_value("numero")
    ui.get_by_role("button", name="Analyser le fichier").click()
    ui.wait_for_load_state("load")
    ui.audit()
    expect(ui.get_by_role("heading", name="Aperçu : rien n'est encore enregistré")).to_be_visible()
    assert not ChequeALE.objects.filter(numero__startswith="88000000").exists()
    ui.get_by_role("button", name=re.compile("^Confirmer l'import")).click()
    ui.wait_for_load_state("load")
    ui.audit()
    expect(ui.get_by_role("heading", name="Résultat de l'import")).to_be_visible()
    assert ChequeALE.objects.filter(numero__startswith="88000000").count() == 2


def test_an_office_workers_file_goes_in_as_it_is(ui, demo, tmp_path):
    """A title row, the address in one cell, the office's headers and words, a TOTAL row: only the wizard's steps.
    With DOCS_SCREENSHOTS set, the steps are saved for docs/demarrer-avec-vos-fichiers.md."""
    import datetime
    import os
    from pathlib import Path

    import openpyxl

    from ale_platform.identifiers import build_niss, format_niss
    from ale_platform.models import Activite
    from prestataires.models import Prestataire

    activite = Activite.objects.filter(agence__nom__icontains="Gembloux", active=True).order_by("nom").first()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["ALE de Gembloux — liste des prestataires"])
    sheet.merge_cells("A1:F1")
    sheet.append([])
    sheet.append(["Nom", "Prénom", "N° national", "Adresse", "Activités", "Statut"])
    people = [
        ("Vandamme", "Léa", datetime.date(1979, 2, 11), "Rue de la Station 12 bte 3, 5030 Gembloux", "RIS"),
        ("Gilson", "Marc", datetime.date(1966, 9, 30), "12 rue des Champs - 5031 GRAND-LEEZ", ""),
        ("Hennaut", "Sarah", datetime.date(1988, 5, 4), "Chaussée de Namur, 40 5030 Gembloux", ""),
    ]
    for i, (nom, prenom, born, adresse, statut) in enumerate(people):
        niss = build_niss(born, 701 + 2 * i)
        sheet.append([nom, prenom, format_niss(niss) if i % 2 else niss, adresse, activite.nom.lower(), statut])
    sheet.append(["TOTAL", "=COUNTA(A4:A6)"])
    path = tmp_path / "prestataires-bureau.xlsx"
    workbook.save(path)
    shots = Path(os.environ["DOCS_SCREENSHOTS"]) if os.environ.get("DOCS_SCREENSHOTS") else None

    def shot(name):
        if shots:
            ui.screenshot(path=str(shots / f"reprise-{name}.png"), full_page=True)

    before = Prestataire.objects.count()
    log_in(ui, "sophie.lambert@ale-gembloux.be", demo)
    ui.audit()
    ui.visit("/reprise/")
    ui.audit()
    field(ui, "Le fichier contient").select_option(value="prestataires")
    field(ui, "Fichier").set_input_files(path)
    shot("1-depot")
    ui.get_by_role("button", name="Lire le fichier").click()
    ui.wait_for_load_state("load")
    ui.audit()
    expect(field(ui, "N° national")).to_have_value("niss")
    expect(field(ui, "Adresse")).to_have_value("rue")
    shot("2-colonnes")
    ui.get_by_role("button", name="Analyser le fichier").click()
    ui.wait_for_load_state("load")
    ui.audit()
    expect(ui.get_by_role("heading", name="Aperçu : rien n'est encore enregistré")).to_be_visible()
    expect(ui.get_by_text("Adresse lue : Rue des Champs 12 · 5031 · Grand-Leez")).to_be_visible()
    expect(ui.get_by_text("Ligne de total ou de sous-total")).to_be_visible()
    shot("3-apercu")
    ui.get_by_role("button", name=re.compile("^Confirmer l'import")).click()
    ui.wait_for_load_state("load")
    ui.audit()
    expect(ui.get_by_role("heading", name="Résultat de l'import")).to_be_visible()
    shot("4-resultat")
    assert Prestataire.objects.count() == before + 3
