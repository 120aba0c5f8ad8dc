"""The UI shell in a real browser: log-in (with MFA for staff), each role's home page, phone layout."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

HOMES = [
    ("sophie.lambert@ale-gembloux.be", "/tableau-de-bord/", "Tableau de bord — ALE de Gembloux"),
    ("marc.dubois@ale-eghezee.be", "/tableau-de-bord/", "Tableau de bord — ALE d'Éghezée"),
    ("nathalie.renard@forem.be", "/forem/", "Mes adressages vers les ALE"),
    ("anne.dupont@example.be", "/espace-client/", "Mon espace client"),
    ("jean.lejeune@example.be", "/mon-espace/", "Bonjour Jean"),
    ("admin@ale-platform.be", "/tableau-de-bord/", "Tableau de bord"),
]


@pytest.mark.parametrize(("email", "home", "heading"), HOMES)
def test_each_demo_account_logs_in_and_lands_on_its_home(ui, demo, email, home, heading):
    log_in(ui, email, demo)
    expect(ui.page).to_have_url(re.compile(re.escape(home) + "$"))
    expect(ui.get_by_role("heading", level=1)).to_contain_text(heading)
    ui.audit()
    ui.get_by_role("button", name="Se déconnecter").click()
    ui.wait_for_url("**/accounts/login/**")
    ui.audit()


def test_wrong_password_shows_a_french_error_and_keeps_the_e_mail(ui, demo):
    ui.visit("/accounts/login/")
    ui.get_by_label("Courriel").fill("anne.dupont@example.be")
    ui.get_by_label("Mot de passe").fill("pas-le-bon")
    ui.get_by_role("button", name="Connexion").click()
    expect(ui.get_by_text("L’adresse e-mail ou le mot de passe sont incorrects.")).to_be_visible()
    expect(ui.get_by_label("Courriel")).to_have_value("anne.dupont@example.be")
    ui.audit()


def test_signup_page_and_not_found_page_are_accessible(ui, demo):
    ui.visit("/accounts/signup/")
    expect(ui.get_by_role("heading", level=1)).to_contain_text("Création de compte")
    response = ui.visit("/cette-page-n-existe-pas/")
    assert response.status == 404
    expect(ui.get_by_role("heading", level=1)).to_have_text("Page introuvable")


def test_collaborator_switches_agency_on_a_phone(ui, demo):
    ui.set_viewport_size({"width": 375, "height": 740})
    log_in(ui, "sophie.lambert@ale-gembloux.be", demo)
    ui.audit()
    # No horizontal scrolling on a phone.
    assert ui.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    ui.get_by_label("Agence").select_option(label="ALE d'Éghezée")
    ui.get_by_role("button", name="Changer").click()
    expect(ui.get_by_role("heading", level=1)).to_contain_text("ALE d'Éghezée")
    expect(ui.get_by_text("Vous travaillez maintenant pour ALE d'Éghezée.")).to_be_visible()
    ui.audit()


def test_skip_link_moves_focus_to_the_content(ui, demo):
    ui.visit("/accounts/login/")
    ui.keyboard.press("Tab")
    expect(ui.get_by_role("link", name="Aller au contenu")).to_be_focused()
    ui.keyboard.press("Enter")
    assert ui.evaluate("() => document.activeElement.id") == "contenu"


def test_staff_reports_and_charts_fit_a_phone(ui, demo):
    """The yearly report was the one page wider than 375 px; the dashboard's charts scale into their box, with
    months as Belgians abbreviate them."""
    ui.set_viewport_size({"width": 375, "height": 740})
    log_in(ui, "sophie.lambert@ale-gembloux.be", demo)
    ui.audit()
    overflow = ui.evaluate(
        """() => [...document.querySelectorAll('.chart')].filter(
             f => f.querySelector('.chart__svg').getBoundingClientRect().right > f.getBoundingClientRect().right + 0.5
           ).length"""
    )
    assert overflow == 0
    axis = ui.locator(".chart__svg").first.text_content()
    assert "Jui" not in axis and "Jul" not in axis
    ui.visit("/rapports/annuel/")
    expect(ui.get_by_role("heading", level=1)).to_contain_text("Rapport d'activité")


def test_worker_copies_or_scans_the_calendar_address(ui, demo):
    ui.set_viewport_size({"width": 375, "height": 740})
    ui.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(ui, "jean.lejeune@example.be", demo)
    ui.audit()
    ui.visit("/mon-espace/prestations/")
    expect(ui.get_by_role("img", name="Code QR de l’adresse de votre calendrier")).to_be_visible()
    ui.get_by_role("button", name="Copier l'adresse").click()
    expect(ui.get_by_role("status").filter(has_text="Adresse copiée.")).to_be_visible()
    copied = ui.evaluate("() => navigator.clipboard.readText()")
    assert copied.endswith("/calendrier-jean/") or "calendrier-jean" in copied
    ui.audit()
