"""Travel costs (AR 5.6.2002: beyond 5 km the ALE pays at least €0.15/km, unless it charges the user): the law's
minimum as data, the agency's own dated rule within it, the prestation's distance, the ALE 4 and the statement."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from prestations.frais import Regles, frais
from prestations.models import Prestation, RegleFraisDeplacement
from prestations.pdf import formulaire_pdf
from prestations.rulebook.travel import agency_rule_problems
from prestations.selectors import client_yearly_statement as yearly_statement
from tests.factories import CollaborateurFactory
from tests.pdf import pdf_text
from tests.prestations.factories import ready

pytestmark = pytest.mark.django_db

D = datetime.date


MONDAY = D(2026, 3, 2)


def prestation(s, day=MONDAY, km=None, statut="effectuee"):
    return Prestation.objects.create(
        agence=s.agence,
        prestataire=s.prestataire,
        utilisateur=s.utilisateur,
        activite=s.generale,
        date=day,
        debut=datetime.time(9),
        fin=datetime.time(12),
        heures=3,
        statut=statut,
        distance_km=km,
    )


def test_the_law_pays_the_return_trip_beyond_5_km_at_015_per_km_by_the_ale():
    s = ready()
    regles = Regles(s.agence)
    assert frais(prestation(s, km=Decimal("4.0")), regles) is None
    assert frais(prestation(s, km=None), regles) is None
    f = frais(prestation(s, km=Decimal("6.0")), regles)
    assert (f.km, f.taux, f.montant, f.payeur) == (Decimal("12.0"), Decimal("0.15"), Decimal("1.80"), "ale")


def test_an_agency_rule_charging_the_user_applies_from_its_date_only():
    s = ready()
    RegleFraisDeplacement.objects.create(
        agence=s.agence,
        en_vigueur_du=D(2026, 3, 10),
        seuil_km=Decimal("5"),
        taux_km=Decimal("0.30"),
        a_charge_de="utilisateur",
    )
    regles = Regles(s.agence)
    before = frais(prestation(s, day=D(2026, 3, 9), km=Decimal("7.5")), regles)
    after = frais(prestation(s, day=D(2026, 3, 10), km=Decimal("7.5")), regles)
    assert (before.montant, before.payeur) == (Decimal("2.25"), "ale")
    assert (after.montant, after.payeur) == (Decimal("4.50"), "utilisateur")


def test_an_agency_rule_cannot_be_less_generous_than_the_law():
    s = ready()
    rule = RegleFraisDeplacement(
        agence=s.agence, en_vigueur_du=D(2026, 1, 1), seuil_km=Decimal("8"), taux_km=Decimal("0.10"), a_charge_de="ale"
    )
    problems = agency_rule_problems(rule)
    assert "dès 5" in problems["seuil_km"] and "0,15" in problems["taux_km"].replace(".", ",")
    charged = RegleFraisDeplacement(
        agence=s.agence,
        en_vigueur_du=D(2026, 1, 1),
        seuil_km=Decimal("3"),
        taux_km=Decimal("0.10"),
        a_charge_de="utilisateur",
    )
    # Charged to the user: not below the law's floor per km (theux.be: 0,30 €), whatever the threshold.
    assert "au moins 0,30 € par km" in agency_rule_problems(charged)["taux_km"]
    charged.taux_km = Decimal("0.30")
    assert agency_rule_problems(charged) == {}


def test_agency_admin_sets_a_dated_rule_on_the_settings_page(client):
    s = ready()
    admin = CollaborateurFactory(agence=s.agence, agence__admin=True)
    client.force_login(admin)
    url = reverse("agence_parametres")
    page = client.get(url)
    data = {}
    for _title, form in page.context["sections"]:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = value.isoformat() if hasattr(value, "isoformat") else value
    data |= {"frais-en_vigueur_du": "2026-04-01", "frais-taux_km": "0,10", "frais-a_charge_de": "ale"}
    refused = client.post(url, data)
    assert refused.status_code == 200 and "0.15" in refused.content.decode().replace(",", ".")
    assert not RegleFraisDeplacement.objects.filter(agence=s.agence).exists()
    data |= {"frais-taux_km": "0,30", "frais-a_charge_de": "utilisateur"}
    assert client.post(url, data).status_code == 302
    rule = RegleFraisDeplacement.objects.get(agence=s.agence)
    assert (rule.en_vigueur_du, rule.taux_km, rule.a_charge_de) == (D(2026, 4, 1), Decimal("0.30"), "utilisateur")


def test_staff_type_the_distance_prefilled_from_the_coordinates(client):
    s = ready()
    p = prestation(s)
    type(s.prestataire).objects.filter(pk=s.prestataire.pk).update(
        latitude=Decimal("50.5614"), longitude=Decimal("4.6966"), geocodage="trouvee", mobilite="voiture"
    )
    type(s.utilisateur).objects.filter(pk=s.utilisateur.pk).update(
        latitude=Decimal("50.6200"), longitude=Decimal("4.6966"), geocodage="trouvee"
    )
    client.force_login(s.staff)
    page = client.get(reverse("prestations:detail", args=[p.pk]))
    assert page.context["distance_suggeree"] == Decimal("8.4")  # 6,48 km straight × 1,3
    assert page.context["distance_form"].initial["distance_km"] == Decimal("8.4")
    bad = client.post(reverse("prestations:distance", args=[p.pk]), {"distance-distance_km": "-3"})
    assert bad.status_code == 400
    client.post(reverse("prestations:distance", args=[p.pk]), {"distance-distance_km": "8,5"})
    p.refresh_from_db()
    assert p.distance_km == Decimal("8.5")
    assert "Distance encodée" in [h.history_change_reason for h in p.history.all()]


def test_the_ale4_and_the_yearly_statement_show_the_travel_costs():
    s = ready()
    prestation(s, km=Decimal("6.0"))
    prestation(s, day=D(2026, 3, 3), km=Decimal("2.0"))
    text = pdf_text(formulaire_pdf(s.prestataire, 2026, 3))
    assert "Frais de déplacement" in text and "1,80" in text.replace(".", ",")
    statement = yearly_statement(s.utilisateur, 2026)
    assert statement["frais_totaux"].montant == Decimal("1.80") and statement["frais_ale"] == Decimal("1.80")
    assert statement["frais_utilisateur"] is None
