"""Rule: travel costs charged to the user are at least 0,30 € per km (theux.be: travel charged to the user at
least 0,30 €/km): a floor on the region's travel-cost law row
(`RegleFraisDeplacement.taux_min_utilisateur`), enforced by the service and next to the field on the settings page."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from prestations.models import RegleFraisDeplacement
from prestations.rulebook.travel import travel_law_in_force
from prestations.services import set_travel_rule
from tests.factories import CollaborateurFactory

from .factories import ready

pytestmark = pytest.mark.django_db
D = datetime.date


def test_travel_costs_charged_to_the_user_are_at_least_0_30_per_km():
    s = ready()
    law = travel_law_in_force("wallonie", D(2026, 4, 1))
    assert (law.region, law.taux_min_utilisateur) == ("wallonie", Decimal("0.30")) and "theux.be" in law.source
    with pytest.raises(ValidationError) as exc:
        set_travel_rule(
            agence=s.agence,
            en_vigueur_du=D(2026, 4, 1),
            seuil_km=Decimal("5"),
            taux_km=Decimal("0.20"),
            a_charge_de="utilisateur",
            acting_user=s.staff,
        )
    assert exc.value.message_dict["taux_km"] == [
        "Facturés à l'utilisateur, les frais de déplacement sont d'au moins 0,30 € par km."
    ]
    assert not RegleFraisDeplacement.objects.filter(agence=s.agence).exists()
    rule = set_travel_rule(
        agence=s.agence,
        en_vigueur_du=D(2026, 4, 1),
        seuil_km=Decimal("5"),
        taux_km=Decimal("0.30"),
        a_charge_de="utilisateur",
        acting_user=s.staff,
    )
    assert (rule.taux_km, rule.a_charge_de, rule.region) == (Decimal("0.30"), "utilisateur", "wallonie")
    assert rule.history.latest().history_user == s.staff


def test_the_settings_page_refuses_travel_costs_charged_to_the_user_below_the_floor(client):
    s = ready()
    client.force_login(CollaborateurFactory(agence=s.agence, agence__admin=True))
    url = reverse("agence_parametres")
    page = client.get(url)
    assert "Facturés à l&#x27;utilisateur : au moins 0,30 € par km (theux.be)." in page.text
    data = {}
    for _title, form in page.context["sections"]:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = value.isoformat() if hasattr(value, "isoformat") else value
    data |= {"frais-en_vigueur_du": "2026-04-01", "frais-taux_km": "0,25", "frais-a_charge_de": "utilisateur"}
    refused = client.post(url, data)
    assert refused.status_code == 200
    frais = dict((f.prefix, f) for _t, f in refused.context["sections"])["frais"]
    assert frais.errors["taux_km"] == [
        "Facturés à l'utilisateur, les frais de déplacement sont d'au moins 0,30 € par km."
    ]
    assert not RegleFraisDeplacement.objects.filter(agence=s.agence).exists()
