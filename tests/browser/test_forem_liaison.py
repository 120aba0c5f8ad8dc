"""The Forem liaison in a real browser: an adviser refers, the ALE follows and reports, the adviser reads it."""

import datetime
import re
import subprocess

import pytest
from django.core import mail
from playwright.sync_api import expect

from ale_platform.identifiers import build_niss
from ale_platform.models import Agence
from forem_liaison.models import Adressage
from tests.factories import PrestataireFactory

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

NISS = build_niss(datetime.date(1996, 3, 14), 215)


def log_out(ui):
    ui.get_by_role("button", name="Se déconnecter").click()
    ui.wait_for_url("**/accounts/login/**")
    ui.audit()


def change_state(ui, label, **extra):
    ui.get_by_label("Nouvel état").select_option(label=label)
    if "prestataire" in extra:
        ui.get_by_label("Dossier prestataire (pour l'inscription)").select_option(label=extra["prestataire"])
    ui.get_by_role("button", name="Enregistrer le changement d'état").click()
    ui.wait_for_load_state("load")
    ui.audit()
    expect(ui.get_by_text("État mis à jour.")).to_be_visible()


def test_referral_journey_from_adviser_to_feedback_and_back(ui, demo, tmp_path):
    # 1. The adviser refers a job seeker online.
    log_in(ui, "nathalie.renard@forem.be", demo)
    ui.audit()
    ui.visit("/forem/adressages/nouveau/")
    ui.get_by_label("Agence ALE").select_option(label="ALE de Gembloux")
    ui.get_by_label("Nom", exact=True).fill("Lemaire")
    ui.get_by_label("Prénom", exact=True).fill("Julie")
    ui.get_by_label("NISS", exact=True).fill("96.03.14-215.00")  # wrong check digits first
    ui.get_by_label("Reprendre un rythme").check()
    ui.get_by_label("Motif et attentes").fill("Reprendre un rythme ; aime le contact avec les personnes âgées.")
    ui.get_by_label(
        "La personne consent au partage d'informations entre l'ALE et son service de l'emploi (Forem)"
    ).check()
    ui.get_by_role("button", name="Envoyer l'adressage").click()
    ui.wait_for_load_state("load")
    ui.audit()
    expect(ui.get_by_label("Nom", exact=True)).to_have_value("Lemaire")  # the form is kept
    ui.get_by_label("NISS", exact=True).fill(NISS)
    ui.get_by_label(
        "La personne consent au partage d'informations entre l'ALE et son service de l'emploi (Forem)"
    ).check()
    ui.get_by_role("button", name="Envoyer l'adressage").click()
    ui.wait_for_load_state("load")
    ui.audit()
    expect(ui.get_by_role("heading", level=1)).to_have_text("Adressage de Julie Lemaire")
    adressage = Adressage.objects.get(niss=NISS)
    log_out(ui)

    # 2. The collaborator convokes, registers and follows the person, then publishes feedback.
    PrestataireFactory(agence=Agence.objects.get(nom="ALE de Gembloux"), niss=NISS, nom="Lemaire", prenom="Julie")
    log_in(ui, "sophie.lambert@ale-gembloux.be", demo)
    ui.audit()
    ui.visit("/adressages/")
    ui.get_by_role("link", name="Lemaire Julie").click()
    ui.wait_for_load_state("load")
    ui.audit()
    change_state(ui, "Convocation envoyée")
    change_state(ui, "Entretien fait")
    change_state(ui, "Inscrit·e à l'ALE", prestataire="Julie Lemaire")
    change_state(ui, "Actif·ve")
    ui.get_by_role("link", name="Rédiger un retour").click()
    ui.wait_for_load_state("load")
    ui.audit()
    expect(ui.get_by_label("Engagement")).to_have_count(0)  # words and facts, never a score
    ui.get_by_label("Message au conseiller ou à la conseillère").fill("Julie est ponctuelle et très appréciée.")
    ui.get_by_role("button", name="Enregistrer le brouillon").click()
    ui.wait_for_load_state("load")
    ui.audit()
    ui.get_by_role("button", name="Publier le retour").click()
    ui.wait_for_load_state("load")
    ui.audit()
    expect(ui.get_by_text("Retour publié", exact=False).first).to_be_visible()
    published = [m for m in mail.outbox if "Nouveau retour de l'ALE : adressage n°" in m.subject]
    assert published and not any("Lemaire" in m.subject + m.body for m in published)
    log_out(ui)

    # 3. The adviser reads the feedback, answers it and downloads the PDF report.
    log_in(ui, "nathalie.renard@forem.be", demo)
    ui.audit()
    ui.get_by_role("link", name="Lemaire Julie").click()
    ui.wait_for_load_state("load")
    ui.audit()
    expect(ui.get_by_text("Julie est ponctuelle et très appréciée.")).to_be_visible()
    expect(ui.get_by_text("Actif·ve").first).to_be_visible()
    month = re.compile(r"^[a-zéû]+ \d{4} : 0 h \(seuil de 45 h non atteint\)$")
    expect(ui.get_by_text(month).first).to_be_visible()
    expect(ui.get_by_text("Aucune dans la période.")).to_be_visible()
    expect(ui.get_by_text("Non disponible")).to_have_count(0)
    ui.get_by_label("Votre réponse").fill("Merci ! Je la revois la semaine prochaine.")
    ui.get_by_role("button", name="Répondre").click()
    ui.wait_for_load_state("load")
    ui.audit()
    expect(ui.get_by_text("Merci ! Je la revois la semaine prochaine.")).to_be_visible()
    with ui.expect_download() as download:
        ui.get_by_role("link", name="Télécharger le rapport (PDF)").click()
    path = tmp_path / "rapport.pdf"
    download.value.save_as(path)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    assert "Julie Lemaire" in text and "Julie est ponctuelle" in text
    log_out(ui)

    # 4. A referred worker reads, on a phone, what the Forem reads about them (the demo's Cédric Lambotte).
    ui.page.set_viewport_size({"width": 375, "height": 800})
    log_in(ui, "cedric.lambotte@example.be", demo)
    ui.audit()
    ui.get_by_role("link", name="Lire tout ce que mon service de l'emploi (Forem) lit à mon sujet").click()
    ui.wait_for_load_state("load")
    ui.audit()
    expect(ui.get_by_role("heading", level=1)).to_have_text(
        "Ce que votre service de l'emploi (Forem) lit à votre sujet"
    )
    expect(ui.get_by_text("a proposé ses matinées", exact=False)).to_be_visible()
    # Everything the adviser reads: the reasons of the state changes, who and when, and the reply thread.
    expect(ui.get_by_text("souhaite commencer par du jardinage", exact=False)).to_be_visible()
    expect(ui.get_by_text("Merci pour ce retour détaillé.")).to_be_visible()
    assert ui.page.evaluate("document.documentElement.scrollWidth") <= 375
    log_out(ui)
    ui.page.set_viewport_size({"width": 1280, "height": 800})

    # 5. An adviser of another office sees nothing of it.
    log_in(ui, "thomas.collignon@forem.be", demo)
    ui.audit()
    expect(ui.get_by_role("heading", level=1)).to_have_text("Mes adressages vers les ALE")
    expect(ui.get_by_text("Lemaire")).to_have_count(0)
    response = ui.visit(f"/adressages/{adressage.pk}/")
    assert response.status == 404
    expect(ui.page).to_have_url(re.compile(rf"/adressages/{adressage.pk}/$"))
