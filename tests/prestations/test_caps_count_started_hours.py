"""Rules of the caps that money depends on (docs/regles.md, "Hour caps" and "A started hour against the caps")."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from forem_liaison.faits import month_line, seuil_evaluation
from prestations.models import Prestation
from prestations.rulebook import hour_meters, seuil_evaluation_forem
from prestations.selectors import formulaire
from prestations.services import validate_prestation
from tests.factories import AdressageFactory, PrestationFactory

from .factories import ready
from .test_rulebook import messages, rec

pytestmark = pytest.mark.django_db
D = datetime.date


def test_150_hours_only_for_agricultural_work_at_farms_and_horticulturists():
    """couvin.be: the 150 h belong to agricultural/horticultural work at farms; "agricole" work at a private home
    counts under the general 45 h."""
    s = ready()
    for day in (2, 3, 4, 5, 6):
        rec(s, 8, D(2026, 11, day), activite=s.agricole, utilisateur=s.utilisateur)  # a private user
    with pytest.raises(ValidationError) as exc:
        rec(s, 8, D(2026, 11, 9), activite=s.agricole, utilisateur=s.utilisateur)
    assert "Plafond mensuel de 45 h dépassé de 3 h" in messages(exc)
    rec(s, 8, D(2026, 11, 9), activite=s.agricole, utilisateur=s.ferme)  # at the farm: the 150 h apply


def test_a_started_hour_counts_whole_against_the_cap_as_it_is_paid():
    """couvin.be: "un maximum de 45 heures de travail déclaré pour un montant de 184,50 € par mois": 1.5 h slots
    are 2 vouchers each, so 22 of them (33 h) already make 44 paid hours; a 23rd is refused."""
    s = ready()
    for day in (2, 3, 4, 5, 6, 9, 10, 12, 13, 16, 17):  # working days of November 2026
        rec(s, 1.5, D(2026, 11, day), start=8)
        rec(s, 1.5, D(2026, 11, day), start=10)
    meters = hour_meters([s.prestataire], on=D(2026, 11, 1))[s.prestataire.pk]
    assert meters.general.used == 44
    with pytest.raises(ValidationError) as exc:
        rec(s, 1.5, D(2026, 11, 18), start=8)
    text = messages(exc)
    assert "Plafond mensuel de 45 h dépassé de 1 h" in text and "1,5 h comptent pour 2 h" in text
    assert formulaire(s.prestataire, 2026, 11).heures_prestees == Decimal("33")


def test_no_validation_of_a_month_whose_vouchers_exceed_what_the_cap_pays():
    """Hours recorded before the rule (or imported) that pass the cap once started hours count are refused at
    validation with the cap and the hours, never paid silently (60 vouchers for 45 h = 246 € instead of 184,50 €)."""
    s = ready()
    worked = [
        PrestationFactory(
            agence=s.agence,
            prestataire=s.prestataire,
            utilisateur=s.utilisateur,
            activite=s.generale,
            date=D(2026, 11, 2) + datetime.timedelta(days=i),
            heures=Decimal("1.5"),
            statut=Prestation.Statut.EFFECTUEE,
        )
        for i in range(24)  # 36 h, 48 vouchers
    ]
    with pytest.raises(ValidationError) as exc:
        validate_prestation(prestation=worked[0], acting_user=s.staff)
    assert "Plafond mensuel de 45 h dépassé : 48 h déclarées" in messages(exc)


def test_the_forem_45_hours_threshold_is_dated_data_shown_only_where_it_applies(client):
    """boutiquedegestion.be: from 2026, ALE hours count in a referred person's evaluation from 45 h a month."""
    assert seuil_evaluation_forem("wallonie", D(2025, 12, 31)) is None
    assert seuil_evaluation_forem("wallonie", D(2026, 1, 1)) == 45
    assert seuil_evaluation(D(2025, 11, 1)) is None
    assert month_line({"mois": "2025-11", "heures": "3.00", "seuil_atteint": None}, "").endswith("3 h")
    s = ready()
    client.force_login(s.staff)
    page = client.get(reverse("prestataires:detail", args=[s.prestataire.pk]))
    assert "Seuil Forem" not in page.text  # not referred by the Forem
    AdressageFactory(agence=s.agence, prestataire=s.prestataire)
    page = client.get(reverse("prestataires:detail", args=[s.prestataire.pk]))
    assert "Seuil Forem de 45 h non atteint ce mois" in page.text
