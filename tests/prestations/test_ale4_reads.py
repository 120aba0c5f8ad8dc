"""The ALE 4 reads its rules with its rows: the payment body in force comes with the worker's file, the travel-cost
rule with each prestation. The queryset forms must answer exactly what the rules answer, and the form's query count
must not grow with its lines."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prestataires.models import PeriodeOrganismePaiement, Prestataire
from prestataires.paiement import organisme_au, with_organisme_au
from prestations.frais import Regles, frais, with_regle
from prestations.models import ChequeALE, Prestation, RegleFraisDeplacement
from tests.prestations.factories import ready

pytestmark = pytest.mark.django_db
D = datetime.date


def prestation(s, day, km=None, statut="effectuee"):
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


@pytest.mark.parametrize(
    "day",
    [D(2025, 12, 31), D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31), D(2026, 6, 30)],
    ids=["before the first period", "first period", "day before a change", "second period", "third period"],
)
def test_the_body_read_with_the_file_is_the_body_the_rule_picks(day):
    s = ready()
    periods = [(D(2026, 1, 1), "capac", ""), (D(2026, 3, 1), "cpas", "CPAS de Namur"), (D(2026, 6, 1), "fgtb", "")]
    for depuis, organisme, cpas in periods:
        PeriodeOrganismePaiement.objects.create(
            prestataire=s.prestataire, depuis=depuis, organisme=organisme, cpas=cpas
        )
    expected = organisme_au(Prestataire.objects.get(pk=s.prestataire.pk), day)
    read_with = with_organisme_au(Prestataire.objects.all(), day).get(pk=s.prestataire.pk)
    with CaptureQueriesContext(connection) as queries:
        assert organisme_au(read_with, day) == expected
    assert len(queries) == 0


def test_without_any_period_the_body_on_the_file_applies_and_another_day_reads_the_periods():
    s = ready()
    read_with = with_organisme_au(Prestataire.objects.all(), D(2026, 3, 31)).get(pk=s.prestataire.pk)
    assert organisme_au(read_with, D(2026, 3, 31)).code == "capac"
    PeriodeOrganismePaiement.objects.create(prestataire=s.prestataire, depuis=D(2026, 1, 1), organisme="fgtb")
    # Read for the 31st of March: asked about another day, the rule reads the periods itself.
    assert organisme_au(read_with, D(2026, 4, 30)).code == "fgtb"


def test_the_rule_read_with_each_prestation_is_the_rule_in_force_that_day():
    s = ready()
    RegleFraisDeplacement.objects.create(
        agence=s.agence,
        en_vigueur_du=D(2026, 3, 10),
        seuil_km=Decimal("3"),
        taux_km=Decimal("0.30"),
        a_charge_de="utilisateur",
    )
    days = [D(2026, 3, 9), D(2026, 3, 10), D(2026, 3, 20)]
    for day in days:
        for km in (None, Decimal("2.0"), Decimal("4.0"), Decimal("7.5")):
            prestation(s, day, km)
    regles = Regles(s.agence)
    expected = {p.pk: frais(p, regles) for p in Prestation.objects.all()}
    read_with = list(with_regle(Prestation.objects.all(), s.agence))
    with CaptureQueriesContext(connection) as queries:
        got = {p.pk: frais(p, None) for p in read_with}
    assert got == expected and len(queries) == 0
    assert {f.payeur for f in got.values() if f} == {"ale", "utilisateur"}


def test_another_agency_rule_does_not_apply():
    s, other = ready(), ready()
    RegleFraisDeplacement.objects.create(
        agence=other.agence, en_vigueur_du=D(2026, 1, 1), seuil_km=Decimal("1"), taux_km=Decimal("0.40")
    )
    prestation(s, D(2026, 3, 9), Decimal("4.0"))
    (read_with,) = with_regle(Prestation.objects.filter(agence=s.agence), s.agence)
    assert frais(read_with, None) is None  # the law's 5 km threshold, not the other agency's 1 km


def ale4_queries(client, s) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("prestations:formulaire_pdf", args=[s.prestataire.pk, 2026, 3]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return len(queries)


def test_the_ale4_query_count_does_not_grow_with_its_lines(client):
    s = ready()
    PeriodeOrganismePaiement.objects.create(prestataire=s.prestataire, depuis=D(2026, 1, 1), organisme="capac")
    RegleFraisDeplacement.objects.create(
        agence=s.agence, en_vigueur_du=D(2026, 3, 15), seuil_km=Decimal("5"), taux_km=Decimal("0.20")
    )
    client.force_login(s.staff)
    prestation(s, D(2026, 3, 2), Decimal("6.0"))
    few = ale4_queries(client, s)
    numero = 7_100_000_000
    for day in range(3, 28):
        p = prestation(s, D(2026, 3, day), Decimal("8.0"))
        for _ in range(3):
            numero += 1
            ChequeALE.objects.create(
                agence=s.agence, numero=str(numero), prestation=p, utilisateur=s.utilisateur, valeur=Decimal("7.45")
            )
    assert ale4_queries(client, s) == few
    # Session, user, agency, the file with its body in force, the lines with their travel-cost rule, their
    # vouchers, the law, the region's eligibility rules and the worker's bases (each line is checked against the
    # worker's eligibility on its date): the body's periods or the travel-cost rules read apart would make it 10.
    assert few <= 9
