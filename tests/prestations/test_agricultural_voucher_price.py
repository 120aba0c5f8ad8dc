"""Rule: a voucher paying agricultural or horticultural work costs at least 6,20 € (theux.be: voucher 5,95 €, 6,20 €
for horticulture and agriculture): dated data on the law row (`RegleLegale.prix_minimum_cheque_agricole`), read
where a voucher's price is read for such a prestation, shown on the settings page, which cannot go below it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from prestations.models import ChequeALE, RegleLegale
from prestations.rulebook import law_in_force, minimum_voucher_price, voucher_price
from prestations.services import attach_vouchers, record_cheque
from tests.factories import CollaborateurFactory

from .factories import ready
from .test_rulebook import messages, rec

pytestmark = pytest.mark.django_db
D = datetime.date


def test_the_voucher_of_agricultural_or_horticultural_work_costs_at_least_6_20():
    s = ready()
    row = RegleLegale.objects.filter(region="wallonie").latest("en_vigueur_du")
    assert row.prix_minimum_cheque_agricole == Decimal("6.20") and "theux.be" in row.source
    assert law_in_force("wallonie", D(2026, 11, 20)).prix_minimum(agricole=True) == Decimal("6.20")
    assert minimum_voucher_price("wallonie", D(2026, 11, 20)) == Decimal("5.95")  # other work: unchanged
    assert voucher_price(s.agence, agricole=True) == Decimal("6.20")  # the agency's default for that work

    farm_work = rec(s, 2, D(2026, 11, 20), activite=s.agricole, utilisateur=s.ferme)
    with pytest.raises(ValidationError) as exc:
        record_cheque(
            agence=s.agence,
            numero="4000000001",
            utilisateur=s.ferme,
            acting_user=s.staff,
            prestation=farm_work,
            valeur="5.95",
        )
    assert "minimum légal de 6,20 € pour une activité agricole ou horticole" in messages(exc)
    # Attached without a typed value: the agency's price for agricultural work, never the general one.
    attach_vouchers(prestation=farm_work, acting_user=s.staff, numeros=["4000000002", "4000000003"])
    assert set(ChequeALE.objects.filter(prestation=farm_work).values_list("valeur", flat=True)) == {Decimal("6.20")}
    electronic = rec(s, 1, D(2026, 11, 23), activite=s.agricole, utilisateur=s.ferme)
    (cheque,) = attach_vouchers(prestation=electronic, acting_user=s.staff, electronique=True)
    assert cheque.valeur == Decimal("6.20")
    # General work keeps the general price.
    other = rec(s, 1, D(2026, 11, 24))
    (general,) = attach_vouchers(prestation=other, acting_user=s.staff, numeros=["4000000004"])
    assert general.valeur == s.agence.prix_cheque == Decimal("5.95")
    # A voucher already in the register at the general price does not pay farm work.
    record_cheque(agence=s.agence, numero="4000000005", utilisateur=s.ferme, acting_user=s.staff, valeur="5.95")
    farm_again = rec(s, 1, D(2026, 11, 25), activite=s.agricole, utilisateur=s.ferme)
    with pytest.raises(ValidationError) as exc:
        attach_vouchers(prestation=farm_again, acting_user=s.staff, numeros=["4000000005"])
    assert "6,20" in messages(exc)


def test_the_agency_settings_cannot_set_the_agricultural_voucher_price_below_the_law(client):
    s = ready()
    admin = CollaborateurFactory(agence=s.agence, agence__admin=True)
    client.force_login(admin)
    url = reverse("agence_parametres")
    page = client.get(url)
    assert "Au moins 6,20 € (minimum légal)." in page.text and "Au moins 5,95 € (minimum légal)." in page.text
    data = {}
    for _title, form in page.context["sections"]:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = value.isoformat() if hasattr(value, "isoformat") else value
    refused = client.post(url, data | {"agence-prix_cheque_agricole": "6,00"})
    assert refused.status_code == 200
    form = dict((f.prefix, f) for _t, f in refused.context["sections"])["agence"]
    assert form.errors["prix_cheque_agricole"] == [
        "Le prix minimum légal du chèque en agriculture et horticulture est de 6,20 €."
    ]
    s.agence.refresh_from_db()
    assert s.agence.prix_cheque_agricole == Decimal("6.20")
    assert client.post(url, data | {"agence-prix_cheque_agricole": "6,50"}).status_code == 302
    s.agence.refresh_from_db()
    assert s.agence.prix_cheque_agricole == Decimal("6.50")


def test_the_admin_cannot_set_the_agricultural_voucher_price_below_the_law_either(client):
    s = ready()
    client.force_login(CollaborateurFactory(agence=s.agence, agence__admin=True))
    url = reverse("admin:ale_platform_agence_change", args=[s.agence.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data |= {"communes_desservies": "[]", "memberships-TOTAL_FORMS": 0, "memberships-INITIAL_FORMS": 0}
    refused = client.post(url, data | {"prix_cheque_agricole": "6.00"})
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["prix_cheque_agricole"] == [
        "Le prix minimum légal du chèque en agriculture et horticulture est de 6,20 €."
    ]
    assert client.post(url, data | {"prix_cheque_agricole": "6.40"}).status_code == 302
    s.agence.refresh_from_db()
    assert s.agence.prix_cheque_agricole == Decimal("6.40")
