"""The language switcher in a real browser: before log-in, then on a client's pages, kept on the account."""

import pytest
from playwright.sync_api import expect

from ale_platform.models import User

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_log_in_page_switches_to_dutch_and_back(ui, demo):
    ui.visit("/accounts/login/")
    ui.get_by_role("button", name="Nederlands").click()
    expect(ui.locator("html")).to_have_attribute("lang", "nl")
    expect(ui.get_by_role("link", name="Een klantaccount aanmaken")).to_be_visible()
    ui.audit()
    ui.get_by_role("button", name="Français").click()
    expect(ui.locator("html")).to_have_attribute("lang", "fr")
    expect(ui.get_by_role("link", name="Créer un compte client")).to_be_visible()


def test_a_client_switches_to_german_and_the_account_keeps_it(ui, demo):
    log_in(ui, "anne.dupont@example.be", demo)
    expect(ui.get_by_role("heading", level=1)).to_contain_text("Mon espace client")
    ui.get_by_role("button", name="Deutsch").click()
    expect(ui.locator("html")).to_have_attribute("lang", "de")
    expect(ui.get_by_role("heading", level=1)).to_contain_text("Mein Kundenbereich")
    ui.audit()
    ui.get_by_role("link", name="Buchen", exact=True).click()
    expect(ui.locator("html")).to_have_attribute("lang", "de")
    ui.audit()
    assert User.objects.get(email="anne.dupont@example.be").langue == "de"
