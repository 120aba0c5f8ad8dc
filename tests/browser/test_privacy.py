"""The agency admin exports a worker's data and finds the export in the access journal (axe-audited)."""

import zipfile

import pytest
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

SOPHIE = "sophie.lambert@ale-gembloux.be"


def test_admin_exports_a_worker_and_sees_it_in_the_journal(ui, demo, tmp_path):
    log_in(ui, SOPHIE, demo)
    ui.audit()
    ui.visit("/prestataires/?q=Lejeune")
    ui.get_by_role("link", name="Lejeune Jean").first.click()
    ui.audit()
    with ui.page.expect_download() as info:
        ui.get_by_role("button", name="Exporter toutes ses données (RGPD, ZIP)").click()
    path = tmp_path / "export.zip"
    info.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        assert "prestataire.json" in archive.namelist() and "preuve_inscription.pdf" in archive.namelist()
    ui.visit("/rgpd/journal/")
    expect(ui.get_by_role("heading", level=1)).to_have_text("Journal des accès aux données personnelles")
    expect(ui.get_by_role("cell", name="Jean Lejeune")).to_be_visible()
    ui.get_by_label("Personne (nom)").fill("personne-inconnue")
    ui.get_by_role("button", name="Filtrer").click()
    ui.audit()
    expect(ui.get_by_text("Aucun export ne correspond.")).to_be_visible()
