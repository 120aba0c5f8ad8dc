"""The office's daily journey in a real browser, audited with axe: record hours, hit a cap, vouchers, ALE 4 forms;
and a client confirming hours online."""

import datetime
import math
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ale_platform.models import Agence
from prestataires.models import Prestataire
from prestations.rulebook import hour_meters
from prestations.services import fmt_h

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def field(ui, text):
    """A form field by its label (Django adds the French label suffix " :")."""
    return ui.get_by_label(re.compile("^" + re.escape(text) + r"\s*:?$"))


def fill_prestation(ui, day, debut, fin, heures):
    field(ui, "Prestataire").select_option(label="Jean Lejeune")
    field(ui, "Utilisateur·rice").select_option(label="Anne Dupont")
    field(ui, "Activité").select_option(label="Aide administrative")
    field(ui, "Date").fill(day.isoformat())
    field(ui, "Début").fill(debut)
    field(ui, "Fin").fill(fin)
    field(ui, "Heures prestées").fill(heures)
    field(ui, "Motif de dérogation (facultatif)").fill("Permanence exceptionnelle")  # only used on a holiday
    ui.get_by_role("button", name="Enregistrer").click()
    ui.wait_for_load_state("load")
    ui.audit()


def test_staff_records_hours_hits_a_cap_attaches_vouchers_and_prints_forms(ui, demo):
    # Hours really worked are recorded once the slot is over: yesterday's evening.
    day = timezone.localdate() - datetime.timedelta(days=1)
    jean = Prestataire.objects.select_related("agence").get(email="jean.lejeune@example.be")
    general = hour_meters([jean], on=day)[jean.pk].month_general
    # The agency's general cap (whole hours) leaves room for 3 more hours this month, and less than 4 (Jean's month
    # may hold half hours, e.g. five Thursdays of 2.5 h): 3 h fit, 2 h more pass it by `excess`.
    limit = math.ceil(general + 3)
    Agence.objects.filter(pk=jean.agence_id).update(plafond_mensuel=limit)
    cap, excess = fmt_h(limit), fmt_h(general + 5 - limit)

    log_in(ui, "sophie.lambert@ale-gembloux.be", demo)
    ui.audit()
    ui.visit("/prestations/nouvelle/")
    fill_prestation(ui, day, "17:00", "20:00", "3")
    expect(ui.get_by_text("Prestation enregistrée.")).to_be_visible()
    expect(ui.get_by_role("heading", level=1)).to_contain_text("Prestation P")
    detail_url = ui.page.url

    # A second recording would pass the monthly cap: refused, with the rule and the excess next to the field.
    ui.visit("/prestations/nouvelle/")
    fill_prestation(ui, day, "20:00", "22:00", "2")
    # …and summarised at the top of the form, the summary linking to the field.
    summary = ui.locator(".error-summary")
    expect(summary).to_have_attribute("role", "alert")
    rule = f"Plafond mensuel de {cap} h dépassé de {excess} h"
    summary.get_by_role("link", name=re.compile(f"Heures prestées : {rule}")).click()
    expect(field(ui, "Heures prestées")).to_be_focused()
    expect(ui.locator("#id_heures_error")).to_contain_text(rule)
    expect(field(ui, "Heures prestées")).to_have_value("2")

    ui.visit(detail_url.replace(ui.base_url, ""))
    ui.get_by_role("button", name="Valider les heures").click()
    ui.wait_for_load_state("load")
    ui.audit()
    expect(ui.get_by_text("Prestation validée.")).to_be_visible()
    field(ui, "Numéros des chèques papier").fill("8800000001\n8800000002\n8800000003")
    ui.get_by_role("button", name="Attacher les chèques").click()
    ui.wait_for_load_state("load")
    ui.audit()
    expect(ui.get_by_text("3 sur 3 chèques dus")).to_be_visible()

    ui.visit(f"/formulaires/?mois={day:%Y-%m}")
    link = ui.get_by_role("link", name="Formulaire ALE 4 de Jean Lejeune")
    response = ui.page.request.get(ui.base_url + link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    ui.get_by_role("button", name="Générer tous les formulaires (ZIP)").click()
    ui.wait_for_url(re.compile(r"/formulaires/generations/\d+/$"))
    ui.audit()
    expect(ui.get_by_role("link", name="Télécharger le ZIP")).to_be_visible()


def test_client_confirms_hours_online(ui, demo):
    log_in(ui, "anne.dupont@example.be", demo)
    ui.audit()
    ui.visit("/espace-client/prestations/")
    expect(ui.get_by_role("heading", level=1)).to_have_text("Mes prestations")
    ui.get_by_role("button", name=re.compile("^Confirmer les heures du")).first.click()
    ui.wait_for_load_state("load")
    ui.audit()
    expect(ui.get_by_text(re.compile(r"Merci : vous avez confirmé [\d,]+ h le"))).to_be_visible()
