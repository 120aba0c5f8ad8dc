"""Staff match an open request, assign a worker and plan the recurring series, in a real browser with axe."""

import pytest
from playwright.sync_api import expect

from prestations.demo import OPEN_DEMANDE_KEY
from prestations.models import Prestation
from utilisateurs.models import Demande

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_match_assign_and_plan_a_recurring_series(ui, demo):
    demande = Demande.objects.get(cle_idempotence=OPEN_DEMANDE_KEY)
    log_in(ui, "sophie.lambert@ale-gembloux.be", demo)
    ui.audit()
    ui.visit(f"/demandes/{demande.pk}/prestataires/")
    expect(ui.get_by_role("heading", level=1)).to_have_text("Trouver un·e prestataire")
    jean = ui.get_by_label("Choisir Jean Lejeune")
    expect(jean).to_be_visible()
    jean.check()
    ui.get_by_role("button", name="Attribuer les prestataires choisi·es").click()
    ui.wait_for_load_state("load")
    ui.audit()
    expect(ui.get_by_text("Attribué·e").first).to_be_visible()
    demande.refresh_from_db()
    assert demande.statut == "attribuee"

    ui.get_by_role("button", name="Planifier la série").click()
    ui.wait_for_load_state("load")
    ui.audit()
    planned = Prestation.objects.filter(demande=demande, statut="planifiee")
    assert planned.count() >= 1
    assert {p.prestataire.prenom for p in planned} == {"Jean"}
    # The run returns to the request, which links to each planned prestation.
    assert ui.url.endswith(f"/utilisateurs/demandes/{demande.pk}/")
    first = planned.order_by("date").first()
    ui.get_by_role("link", name=first.date.strftime("%d/%m/%Y"), exact=False).first.click()
    ui.wait_for_load_state("load")
    ui.audit()
    assert ui.url.endswith(f"/prestations/{first.pk}/")
