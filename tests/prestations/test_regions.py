"""Rule: the three regions' laws are data, each value with its source (ale-rules.md, "Brussels and the
German-speaking Community"); where a value is not sourced the region's row leaves it empty and the platform refuses
the use that needs it, naming the region and the rule; it never borrows another region's law."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from prestataires import eligibility
from prestations.models import RegleLegale
from prestations.rulebook import law_in_force, pay_rate
from prestations.rulebook.law import MissingRule, NoLaw, law_from
from prestations.services.vouchers import value_problem
from tests.factories import AgenceFactory

from .factories import ready
from .test_rulebook import messages, rec

pytestmark = pytest.mark.django_db
D = datetime.date
NO_LAW = "Aucune règle légale enregistrée pour cette région à cette date"
NOT_SOURCED = "Règle non sourcée pour la région"


def test_a_region_without_law_rows_has_no_law_and_never_wallonias():
    """Flanders abolished the PWA (plateformedesalewallonnes.be): no law at all, never Wallonia's."""
    with pytest.raises(NoLaw) as exc:
        law_from([], "flandre", D(2026, 3, 1))
    assert NO_LAW in messages(exc)
    assert law_in_force("wallonie", D(2026, 3, 1)).plafond_mensuel == 45


def test_brussels_law_row_holds_what_alepwabru_be_sources():
    """Rule: Brussels (Actiris since 1.1.2018): 45 or 70 h a month depending on the activity, the voucher €7.45
    fixed since 1.7.2023, the yearly registration €7.45, a prior interview before each new assignment
    (alepwabru.be). The rest is not sourced: NULL in the row."""
    row = RegleLegale.objects.get(region="bruxelles")
    assert (row.plafond_mensuel, row.plafond_mensuel_majore, row.en_vigueur_du) == (45, 70, D(2023, 7, 1))
    assert row.prix_minimum_cheque == Decimal("7.45") and row.prix_cheque_fixe
    assert row.cotisation_annuelle == Decimal("7.45") and row.entretien_prealable
    assert row.indemnite_par_cheque is None and row.plafond_annuel is None and row.plafond_mensuel_agricole is None
    assert "alepwabru.be" in row.source


def test_german_speaking_law_row_holds_what_the_sources_give():
    """Rule: the German-speaking Community pays the worker €6.00 an hour and charges the client €7.00
    (plateformedesalewallonnes.be, 28.2.2024); no cap is sourced (ale-rules.md)."""
    law = law_in_force("germanophone", D(2026, 3, 1))
    assert law.indemnite_par_cheque == Decimal("6.00")
    assert law.prix_minimum_cheque == Decimal("7.00") and law.prix_cheque_fixe
    assert law.missing() == [
        "plafond_mensuel",
        "plafond_mensuel_majore",
        "types_utilisateurs_majores",
        "plafond_mensuel_agricole",
        "plafond_hors_agricole",
        "plafond_annuel",
        "types_utilisateurs_agricoles",
    ]
    assert law.entretien_prealable is False


def test_brussels_pay_per_voucher_is_refused_not_borrowed_from_wallonia():
    """Rule: the Brussels worker's pay per voucher is not sourced (ale-rules.md): a statement needing it is refused
    with a sentence naming the region and the rule, never €4.10."""
    agence = AgenceFactory(region="bruxelles")
    with pytest.raises(MissingRule) as exc:
        pay_rate(agence, D(2026, 3, 31))
    text = messages(exc)
    assert NOT_SOURCED in text and "Bruxelles-Capitale" in text and "indemnité du prestataire par chèque" in text
    assert exc.value.fields == ("indemnite_par_cheque",)
    assert pay_rate(AgenceFactory(region="germanophone"), D(2026, 3, 31)) == Decimal("6.00")


def test_no_hours_recorded_where_the_caps_are_not_sourced():
    """Rule: the German-speaking Community's caps are not sourced (ale-rules.md): a recording is refused, naming
    the region and every missing cap; Brussels' yearly cap is missing too."""
    s = ready(agence=AgenceFactory(region="germanophone"))
    with pytest.raises(ValidationError) as exc:
        rec(s, 2, D(2026, 11, 16), statut="planifiee")
    text = messages(exc)
    assert NOT_SOURCED in text and "Communauté germanophone" in text
    assert "plafond mensuel général" in text and "plafond annuel" in text
    b = ready(agence=AgenceFactory(region="bruxelles"))
    with pytest.raises(ValidationError) as exc:
        rec(b, 2, D(2026, 11, 16), statut="planifiee")
    assert "Bruxelles-Capitale" in messages(exc) and "plafond annuel" in messages(exc)
    assert "plafond mensuel général," not in messages(exc)  # 45 h is sourced in Brussels


def test_a_fixed_regional_price_is_the_only_price():
    """Rule: Brussels' voucher costs €7.45, fixed (alepwabru.be); Wallonia sets a minimum of €5.95
    (news.belgium.be), above which an agency chooses (Vresse €6.20)."""
    brussels = AgenceFactory(region="bruxelles")
    on = D(2026, 3, 2)
    assert value_problem(brussels, Decimal("7.45"), on=on) is None
    assert "fixe le prix du chèque à 7,45 €" in value_problem(brussels, Decimal("8.00"), on=on)
    assert "Bruxelles-Capitale" in value_problem(brussels, Decimal("5.95"), on=on)
    wallonia = AgenceFactory(region="wallonie")
    assert value_problem(wallonia, Decimal("6.20"), on=on) is None
    assert "minimum légal" in value_problem(wallonia, Decimal("5.00"), on=on)


def test_a_fixed_price_needs_its_value_in_the_database():
    """Invariant: a law row that fixes the price holds it (constraint regle_legale_prix_fixe_connu)."""
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        RegleLegale.objects.create(
            region="bruxelles", en_vigueur_du=D(2030, 1, 1), prix_cheque_fixe=True, source="test"
        )


def test_the_agency_settings_keep_the_regions_fixed_price_and_fee():
    """Rule: a Brussels agency may not sell at another price than €7.45 nor charge another registration than €7.45
    (alepwabru.be); a German-speaking agency's form opens although its caps are not sourced."""
    from tableau_de_bord.forms import AgenceParametresForm

    agence = AgenceFactory(region="bruxelles")
    data = {"prix_cheque": "6,20", "cotisation_annuelle": "5,00", "jour_cloture": 5}
    form = AgenceParametresForm(data=data, instance=agence)
    assert not form.is_valid()
    assert "7,45" in form.errors["prix_cheque"][0] and "7,45" in form.errors["cotisation_annuelle"][0]
    dg = AgenceParametresForm(instance=AgenceFactory(region="germanophone"))
    assert "non sourcé" in str(dg.fields["plafond_annuel"].help_text)


def test_a_region_without_eligibility_rules_refuses_with_the_same_clear_sentence():
    s = ready(agence=AgenceFactory(region="bruxelles"))
    result = eligibility.explain(s.prestataire, D(2026, 3, 2), regles=[])
    assert result.no_rules and NO_LAW in result.summary


def test_a_page_needing_a_rule_the_region_does_not_source_says_so(client):
    s = ready(agence=AgenceFactory(region="germanophone"))
    client.force_login(s.staff)
    page = client.get(reverse("prestataires:detail", args=[s.prestataire.pk]))
    assert page.status_code == 503
    assert NOT_SOURCED in page.text and "Communauté germanophone" in page.text


def test_travel_costs_never_borrow_another_regions_law():
    """AR 5.6.2002's minimum is recorded per region (RegleFraisDeplacement.region): a Brussels agency does not read
    the Walloon row."""
    from prestations.models import RegleFraisDeplacement
    from prestations.rulebook.travel import Regles, travel_law_in_force

    RegleFraisDeplacement.objects.get_or_create(
        agence=None,
        region="wallonie",
        en_vigueur_du=D(2002, 6, 1),
        defaults={"seuil_km": Decimal("5"), "taux_km": Decimal("0.15"), "a_charge_de": "ale"},
    )
    wallonia = ready()
    brussels = ready(agence=AgenceFactory(region="bruxelles"))
    assert Regles(wallonia.agence).on(D(2026, 3, 1)).taux_km == Decimal("0.15")
    assert Regles(brussels.agence).on(D(2026, 3, 1)) is None
    assert travel_law_in_force("bruxelles", D(2026, 3, 1)) is None
