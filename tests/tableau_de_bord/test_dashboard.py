"""The collaborator's dashboard: each tile equals a direct query, and the query count does not grow."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ale_platform.models import Activite
from prestataires.models import SituationEligibilite
from prestations.models import ChequeALE
from prestations.services import record_cheque
from tests.factories import (
    AdressageFactory,
    AgenceFactory,
    CollaborateurFactory,
    PrestataireFactory,
    PrestationFactory,
    UtilisateurFactory,
)
from utilisateurs.models import Autorisation, Demande, Inscription

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate  # called in the test, on the test's day (tests/conftest.py)
NUMEROS = itertools.count(1_000_000_000)


def tiles(response):
    return {t.key: t for t in response.context["tiles"]}


def populate(agence, n):
    """n of everything in `agence`, dated around today."""
    for i in range(n):
        worker = PrestataireFactory(agence=agence, statut="actif")
        client = UtilisateurFactory(agence=agence)
        PrestationFactory(prestataire=worker, utilisateur=client, date=TODAY(), statut="planifiee")
        PrestationFactory(
            prestataire=worker,
            utilisateur=client,
            date=TODAY() - datetime.timedelta(days=40 + i),
            statut="validee",
            heures=2,
        )
        PrestationFactory(
            prestataire=worker, utilisateur=client, date=TODAY() - datetime.timedelta(days=2), statut="planifiee"
        )
        activite = worker_activite = Activite.objects.filter(agence=agence).first()
        Demande.objects.create(
            agence=agence, utilisateur=client, activite=worker_activite or activite, description="Tondre la pelouse"
        )
        Autorisation.objects.create(
            utilisateur=client,
            activite=Activite.objects.filter(agence=agence).first(),
            numero=f"{next(NUMEROS):010d}",
            debut=TODAY().replace(month=1, day=1),
            fin=TODAY() + datetime.timedelta(days=10 + i * 40),
        )
        AdressageFactory(agence=agence)
        for statut in ("conteste", "remis", "paye"):
            record_cheque(
                agence=agence, numero=f"{next(NUMEROS):010d}", utilisateur=client, acting_user=None, statut=statut
            )


@pytest.fixture
def setup(client):
    agence, other = AgenceFactory(), AgenceFactory()
    PrestationFactory(prestataire__agence=agence)  # creates the activity catalogue entry
    client.force_login(CollaborateurFactory(agence=agence))
    return agence, other


def test_each_tile_matches_a_direct_count(client, setup):
    agence, other = setup
    populate(agence, 3)
    populate(other, 2)  # never counted
    t = tiles(client.get(reverse("dashboard")))
    assert t["today"].value == 3
    assert t["to_record"].value == 3
    assert t["waiting"].value == Demande.objects.filter(agence=agence, statut="nouvelle").count() == 3
    assert t["referrals"].value == 3
    # Expiring within 30 days: i=0 (10 days) only.
    assert t["authorisations"].value == 1
    assert t["waiting"].alert
    # The factory's referrals are dated today: none is late yet.
    assert t["referrals_late"].value == 0 and not t["referrals_late"].alert
    litigieux = ChequeALE.objects.filter(agence=agence, statut__in=["conteste", "contestee", "impayee"]).count()
    assert t["cheques"].value == litigieux == 3 and t["cheques"].alert


def test_each_tile_links_to_the_list_behind_it_with_the_same_rows(client, setup):
    agence, other = setup
    populate(agence, 3)
    populate(other, 2)
    t = tiles(client.get(reverse("dashboard")))
    for key in ("today", "week", "to_record", "to_validate"):
        assert t[key].url.startswith(reverse("prestations:list") + "?")
        assert len(client.get(t[key].url).context["prestations"]) == t[key].value, key
    assert len(client.get(t["waiting"].url).context["demandes"]) == t["waiting"].value
    assert len(client.get(t["authorisations"].url).context["utilisateurs"]) == t["authorisations"].value
    assert t["referrals"].url.endswith("?etat=recu")
    assert len(client.get(t["referrals"].url).context["adressages"]) == t["referrals"].value
    assert t["cheques"].url == reverse("prestations:a_regulariser")
    assert t["near_cap"].url == reverse("dashboard") + "#plafonds"


def test_cheques_received_per_month_chart(client, setup):
    agence, _ = setup
    populate(agence, 2)
    response = client.get(reverse("dashboard"))
    chart = response.context["charts"][-1]
    assert chart.title == "Chèques ALE reçus par mois"
    assert chart.totals[-1] == ChequeALE.objects.filter(agence=agence).exclude(statut="annule").count() == 6


def test_workers_near_a_cap_are_listed(client, setup):
    agence, _ = setup
    worker = PrestataireFactory(agence=agence, statut="actif", prenom="Martine")
    for day in range(1, 6):
        PrestationFactory(prestataire=worker, date=TODAY().replace(day=day), heures=Decimal(8))  # 40 h of 45
    response = client.get(reverse("dashboard"))
    assert tiles(response)["near_cap"].value == 1
    assert [w.prenom for w, _meter in response.context["near_cap"]] == ["Martine"]
    assert "40 / 45 h" in response.content.decode()


def test_charts_have_their_data_as_a_table(client, setup):
    agence, _ = setup
    PrestationFactory(prestataire__agence=agence, date=TODAY().replace(day=1), heures=3, statut="validee")
    response = client.get(reverse("dashboard"))
    hours = response.context["charts"][0]
    assert len(hours.labels) == 12
    assert hours.totals[-1] >= 3
    body = response.content.decode()
    assert 'role="img"' in body and "Voir les données en tableau" in body


def test_each_chart_is_named_by_its_own_title(client, setup):
    """Empty or repeated ids ("-title" six times) would leave every chart's title labelling nothing."""
    import re

    body = client.get(reverse("dashboard")).content.decode()
    ids = re.findall(r'\bid="([^"]*)"', body)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for labelled_by in re.findall(r'<svg[^>]*aria-labelledby="([^"]*)"', body):
        assert all(name in ids and not name.startswith("-") for name in labelled_by.split())


def test_query_count_does_not_grow_with_the_data(client, setup, django_assert_max_num_queries):
    agence, _ = setup
    populate(agence, 1)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("dashboard"))
    populate(agence, 6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("dashboard"))


def watch_list(agence, n):
    """n sign-ups to validate, n validated registrations of clients with nothing for next year, n workers whose
    basis ends within 30 days and n without a confirmed payment body, in `agence`."""
    for _i in range(n):
        Inscription.objects.create(utilisateur=UtilisateurFactory(agence=agence), annee=TODAY().year, validee=False)
        Inscription.objects.create(utilisateur=UtilisateurFactory(agence=agence), annee=TODAY().year, validee=True)
        SituationEligibilite.objects.create(
            prestataire=PrestataireFactory(agence=agence, statut="actif", eligible=False, organisme_paiement="capac"),
            base="ris",
            depuis=datetime.date(2015, 1, 1),
            jusqu_au=TODAY() + datetime.timedelta(days=10),
            preuve="Attestation du CPAS",
            date_preuve=datetime.date(2015, 1, 1),
        )
        PrestataireFactory(agence=agence, statut="actif", organisme_paiement="a_confirmer")


WATCHED = ("signups", "registrations", "bases_ending", "organisme_a_confirmer")


@pytest.mark.today("2026-12-05")  # December: next year's registrations are watched
def test_the_new_tiles_count_their_rows_in_the_one_tiles_query(client, setup):
    """Sign-ups, bases ending and payment bodies to confirm are counted with every other tile: the page's query
    count stays within its budget and does not grow with rows, whatever the tiles (registrations in December)."""
    agence, other = setup
    populate(agence, 1)
    watch_list(agence, 1)
    watch_list(other, 2)  # never counted
    with CaptureQueriesContext(connection) as few:
        t = tiles(client.get(reverse("dashboard")))
    before = {key: t[key].value for key in WATCHED}
    assert before["signups"] == before["bases_ending"] == before["registrations"] == 1
    watch_list(agence, 4)
    with CaptureQueriesContext(connection) as many:
        t = tiles(client.get(reverse("dashboard")))
    assert {key: t[key].value - before[key] for key in WATCHED} == dict.fromkeys(WATCHED, 4)
    # Session, account, agency; the active workers, the law, their hours; the referral settings, every tile;
    # the monthly summaries, the vouchers chart. One more per tile was 18 at full size.
    assert len(many) == len(few) <= 11, "\n".join(q["sql"][:100] for q in many)


def test_chart_months_are_abbreviated_as_belgians_write_them():
    from tableau_de_bord.selectors import _month_label

    labels = [_month_label(datetime.date(2026, month, 1)) for month in range(1, 13)]
    assert labels == [
        "janv. 26", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.",
    ]  # fmt: skip
