"""The month without retyping, on a phone-sized screen: a worker declares three slots (as planned, other hours, not
held), the client confirms one from the e-mailed link without logging in and disputes one in their space, staff
settle the dispute and close the month in one action; the ALE 4 then shows exactly the validated hours."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from ale_platform.models import User
from ale_platform.numbers import heures as fmt_heures
from prestataires.models import Prestataire
from prestations.models import Prestation
from prestations.selectors import formulaire
from prestations.services import record_prestation
from tests.pdf import pdf_text
from utilisateurs.models import Utilisateur

from .conftest import PHONE_WIDTH, log_in

pytestmark = pytest.mark.django_db(transaction=True)
T = datetime.time


def field(scope, text):
    return scope.get_by_label(re.compile("^" + re.escape(text) + r"\s*:?$"))


def three_planned_slots():
    """Three one-hour slots of Jean at Anne's, yesterday at dawn (free of the demo's slots)."""
    jean = Prestataire.objects.get(email="jean.lejeune@example.be")
    anne = Utilisateur.objects.get(agence=jean.agence, email="anne.dupont@example.be")
    activite = anne.prestations.order_by("-date").first().activite
    staff = User.objects.get(email="sophie.lambert@ale-gembloux.be")
    day = timezone.localdate() - datetime.timedelta(days=1)
    return [
        record_prestation(
            prestataire=jean,
            utilisateur=anne,
            activite=activite,
            date=day,
            debut=T(h),
            fin=T(h + 1),
            heures=1,
            statut="planifiee",
            acting_user=staff,
            override_reason="Démonstration",
        )
        for h in (5, 6, 7)
    ]


def assert_tap_targets(ui):
    """Header and menu links at least 24 px tall, the main actions 44 px (WCAG 2.5.8; 2.5.5 for the main ones)."""
    small = ui.evaluate(
        """() => [...document.querySelectorAll('.account-nav a, .account-nav button, .main-nav a, .button--main')]
        .filter(e => e.offsetParent !== null)
        .filter(e => e.getBoundingClientRect().height < (e.matches('.button--main') ? 44 : 24))
        .map(e => e.textContent.trim() + ' ' + Math.round(e.getBoundingClientRect().height) + ' px')"""
    )
    assert small == [], small


def submit(ui, button):
    button.click()
    ui.wait_for_load_state("load")
    ui.audit()


def test_a_month_from_the_workers_phone_to_the_ale_4(ui, demo, browser):
    ui.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    as_planned, other_hours, not_held = three_planned_slots()
    mail.outbox.clear()

    # The worker declares from their phone.
    log_in(ui, "jean.lejeune@example.be", demo)
    ui.audit()
    ui.visit("/mon-espace/declarer/")
    expect(ui.get_by_role("link", name="Double authentification")).to_have_count(0)
    assert_tap_targets(ui)
    submit(ui, ui.locator(f"#prestation-{as_planned.pk}").get_by_role("button", name="Fait comme prévu"))
    card = ui.locator(f"#prestation-{other_hours.pk}")
    card.get_by_text("Autres heures").click()
    field(card, "Début").fill("06:00")
    field(card, "Fin").fill("06:45")
    submit(ui, card.get_by_role("button", name="Enregistrer ces heures"))
    card = ui.locator(f"#prestation-{not_held.pk}")
    card.get_by_text("N'a pas eu lieu").click()
    field(card, "Qui était absent·e ?").select_option("utilisateur")
    field(card, "Raison").fill("Anne à l'hôpital")
    submit(ui, card.get_by_role("button", name="Enregistrer l'absence"))
    states = dict(
        Prestation.objects.filter(pk__in=[p.pk for p in (as_planned, other_hours, not_held)]).values_list(
            "pk", "statut"
        )
    )
    assert states == {as_planned.pk: "declaree", other_hours.pk: "declaree", not_held.pk: "absence"}

    # The client confirms the first from the e-mail, without logging in (a fresh browser, no session).
    link = next(
        re.search(r"(/confirmer/[^/\s]+/)", m.body).group(1)
        for m in mail.outbox
        if "05:00" in m.body or "1 h, de 05:00" in m.body
    )
    anonymous = ui.__class__(browser.new_page(viewport={"width": PHONE_WIDTH, "height": 800}), ui.base_url)
    anonymous.visit(link)
    anonymous.get_by_label("Je confirme").check()
    submit(anonymous, anonymous.get_by_role("button", name="Envoyer mes réponses"))
    expect(anonymous.get_by_text("vos réponses sont enregistrées")).to_be_visible()
    anonymous.page.close()

    # …and disputes the second in their space (cards on a phone: nothing off screen, big enough targets).
    ui.context.clear_cookies()
    log_in(ui, "anne.dupont@example.be", demo)
    ui.audit()
    ui.visit("/espace-client/")
    assert_tap_targets(ui)
    ui.visit("/espace-client/prestations/")
    assert_tap_targets(ui)
    row = ui.locator("tr", has_text="06:00–06:45")
    row.get_by_text("Contester").click()
    row.get_by_label("Qu'est-ce qui ne va pas ?").fill("Jean est parti à 6 h 30")
    submit(ui, row.get_by_role("button", name="Envoyer la contestation"))
    expect(ui.get_by_text("Votre contestation est transmise")).to_be_visible()

    # Staff settle the dispute, then close the month in one action.
    ui.context.clear_cookies()
    log_in(ui, "sophie.lambert@ale-gembloux.be", demo)
    ui.audit()
    ui.visit(f"/prestations/{other_hours.pk}/")
    expect(ui.locator("dd", has_text="Jean est parti à 6 h 30")).to_be_visible()
    field(ui, "Fin").fill("06:30")
    field(ui, "Heures prestées").fill("0,5")
    submit(ui, ui.get_by_role("button", name="Enregistrer les heures"))
    day = as_planned.date
    ui.visit(f"/cloture/?mois={day:%Y-%m}")
    submit(ui, ui.get_by_role("button", name="Valider tout le confirmé"))
    expect(ui.get_by_text(re.compile(r"\d+ prestation\(s\) validée\(s\)\."))).to_be_visible()
    assert Prestation.objects.get(pk=as_planned.pk).statut == "validee"
    assert Prestation.objects.get(pk=other_hours.pk).statut == "validee"
    assert Prestation.objects.get(pk=not_held.pk).statut == "absence"

    # The ALE 4 shows exactly the validated hours.
    jean = Prestataire.objects.get(email="jean.lejeune@example.be")
    validated = sum(
        Prestation.objects.filter(
            prestataire=jean, date__year=day.year, date__month=day.month, statut="validee"
        ).values_list("heures", flat=True),
        0,
    )
    assert formulaire(jean, day.year, day.month).heures_validees == validated
    response = ui.page.request.get(f"{ui.base_url}/formulaires/{jean.pk}/{day.year}/{day.month}/")
    text = pdf_text(response.body())
    assert re.search(r"Heures validées par l'ALE\s+" + re.escape(fmt_heures(validated)), text), text
