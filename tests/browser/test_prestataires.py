"""Journeys of the worker's file in a real browser (axe-audited): staff register a worker, see eligibility,
sign the contract, set activities and availability, find the worker by filters; the worker sees only their space."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.days import next_weekday

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

SOPHIE = "sophie.lambert@ale-gembloux.be"


def _next_monday() -> datetime.date:
    return next_weekday(timezone.localdate(), 0)


def test_staff_registers_a_worker_signs_the_contract_and_finds_them(ui, demo):
    log_in(ui, SOPHIE, demo)
    ui.audit()
    ui.visit("/prestataires/")
    ui.get_by_role("link", name="Inscrire un·e prestataire").click()
    ui.audit()
    ui.get_by_label("Nom", exact=True).fill("Lambotte")
    ui.get_by_label("Prénom").fill("Élise")
    ui.get_by_label("NISS").fill("85.07.30-034.27")
    ui.get_by_label("Date de naissance").fill("1985-07-31")  # contradicts the NISS
    ui.get_by_label("Sexe").select_option("F")
    ui.get_by_label("Rue et numéro").fill("Rue du Moulin 3")
    ui.get_by_label("Code postal").fill("5030")
    ui.get_by_label("Commune").fill("Gembloux")
    ui.get_by_label("IBAN").fill("BE62 5100 0754 7061")
    ui.get_by_role("button", name="Enregistrer").click()
    ui.audit()
    expect(ui.locator(".error-summary")).to_contain_text("La date de naissance ne correspond pas au NISS")
    expect(ui.get_by_text("La date de naissance ne correspond pas au NISS").last).to_be_visible()
    expect(ui.get_by_label("Nom", exact=True)).to_have_value("Lambotte")
    ui.get_by_label("Date de naissance").fill("1985-07-30")
    ui.get_by_role("button", name="Enregistrer").click()
    expect(ui.get_by_role("heading", level=1)).to_contain_text("Élise Lambotte")
    ui.audit()
    expect(ui.locator(".non-eligible")).to_have_text("Aucune base d'éligibilité n'est enregistrée : non éligible.")
    # The contract cannot be prepared yet, and the file says so next to the button, before any click.
    expect(ui.get_by_text("Contrat impossible pour l'instant")).to_be_visible()

    # Eligibility: a 2026 basis, explained.
    ui.get_by_role("link", name="Ajouter une base d'éligibilité").click()
    ui.audit()
    ui.get_by_label("Base d'éligibilité").select_option("forem_12_mois")
    ui.get_by_label("Depuis le").fill("2024-06-01")
    ui.get_by_label("Preuve", exact=True).fill("Attestation d'inscription du Forem")
    ui.get_by_label("Date de la preuve").fill("2026-10-15")
    ui.get_by_role("button", name="Enregistrer").click()
    ui.audit()
    expect(ui.get_by_text(re.compile(r"Éligible le .* au titre de : Inscrit·e au Forem"))).to_be_visible()
    ui.get_by_label("Éligibilité à la date du").fill("2025-12-31")
    ui.get_by_role("button", name="Vérifier").click()
    ui.audit()
    expect(ui.locator(".non-eligible")).to_contain_text("Non éligible le 31/12/2025")

    # Activities and mobility.
    ui.get_by_role("link", name="Modifier activités et mobilité").click()
    ui.audit()
    ui.get_by_label("Petit jardinage").check()
    ui.get_by_label("À vélo").check()
    ui.get_by_label("Distance maximale (km)").fill("8")
    ui.get_by_role("button", name="Enregistrer").click()
    ui.audit()
    expect(ui.get_by_text("Activités et mobilité enregistrées.")).to_be_visible()

    # Weekly availability.
    ui.get_by_role("link", name="Modifier disponibilités et absences").click()
    ui.audit()
    ui.get_by_label("Lundi matin").check()
    ui.get_by_role("button", name="Enregistrer les disponibilités").click()
    ui.audit()
    expect(ui.get_by_text("Disponibilités enregistrées.")).to_be_visible()
    ui.get_by_role("link", name="Élise Lambotte").click()
    ui.audit()

    # Contract: prepared, downloaded as PDF, signed: the worker becomes actif.
    ui.get_by_role("link", name="Établir le contrat").click()
    ui.audit()
    ui.get_by_role("button", name="Enregistrer").click()
    ui.audit()
    pdf_link = ui.get_by_role("link", name="Télécharger le contrat (PDF)")
    pdf = ui.request.get(ui.base_url + pdf_link.get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    ui.get_by_role("button", name="Enregistrer la signature").click()
    ui.audit()
    expect(ui.get_by_role("heading", level=1)).to_contain_text("Actif")

    # Found by the filters.
    ui.visit("/prestataires/")
    ui.get_by_label("Statut").select_option("actif")
    ui.get_by_label("Activité acceptée").select_option(label="Petit jardinage")
    ui.get_by_label("Mobilité").select_option("velo")
    ui.get_by_label("Disponible le").fill(_next_monday().isoformat())
    ui.get_by_role("button", name="Filtrer").click()
    ui.audit()
    expect(ui.get_by_role("link", name="Lambotte Élise")).to_be_visible()
    expect(ui.get_by_role("link", name="Lejeune Jean")).to_have_count(0)


def test_worker_logs_in_and_sees_only_their_space(ui, demo):
    log_in(ui, "jean.lejeune@example.be", demo)
    expect(ui.get_by_role("heading", level=1)).to_contain_text("Bonjour Jean")
    ui.audit()
    expect(ui.get_by_role("heading", name="Compteurs d'heures")).to_be_visible()
    expect(ui.locator("meter").first).to_be_visible()
    expect(ui.get_by_text("Martine")).to_have_count(0)
    ui.get_by_role("link", name="Modifier mes coordonnées et disponibilités").click()
    ui.audit()
    ui.get_by_label("Téléphone").fill("0471 98 76 54")
    ui.get_by_role("button", name="Enregistrer mes coordonnées").click()
    ui.audit()
    expect(ui.get_by_text("0471 98 76 54")).to_be_visible()
    response = ui.visit("/prestataires/")
    assert response.status == 403
