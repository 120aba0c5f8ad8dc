"""The staff list: django-filter on every criterion, sorting, pagination, CSV export, constant query count."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from prestataires.models import Absence, Disponibilite
from tests.factories import ActiviteFactory, PrestataireFactory, PrestationFactory

from .factories import SituationFactory

URL = reverse("prestataires:list")


def names(response):
    return [p.nom for p, _meters in response.context["rows"]]


def test_filters(staff, world):
    a = world.agence_a
    jardin = ActiviteFactory(agence=a, nom="Petit jardinage")
    alice = PrestataireFactory(
        agence=a, nom="Alpha", statut="actif", code_postal="5031", commune="Grand-Leez", mobilite="velo", langue="nl"
    )
    alice.activites.add(jardin)
    SituationFactory(prestataire=alice, base="chomage_24_36", mois_indemnises=24)
    PrestataireFactory(agence=a, nom="Bravo", statut="inscrit", commune="Gembloux", mobilite="voiture")
    PrestataireFactory(agence=world.agence_b, nom="Charlie", statut="actif")  # never shown to agency A
    assert "Charlie" not in names(staff.get(URL))
    assert names(staff.get(URL, {"statut": "actif"})) == ["Alpha"]
    assert names(staff.get(URL, {"activite": jardin.pk})) == ["Alpha"]
    assert names(staff.get(URL, {"lieu": "5031"})) == ["Alpha"]
    assert names(staff.get(URL, {"lieu": "grand"})) == ["Alpha"]
    assert names(staff.get(URL, {"mobilite": "voiture"})) == ["Bravo"]
    assert names(staff.get(URL, {"langue": "nl"})) == ["Alpha"]
    assert names(staff.get(URL, {"base": "chomage_24_36"})) == ["Alpha"]
    assert names(staff.get(URL, {"q": "alph"})) == ["Alpha"]
    assert names(staff.get(URL, {"q": alice.niss[:6]})) == ["Alpha"]


def test_availability_on_a_day_respects_absences(staff, world):
    monday = datetime.date(2026, 12, 7)
    free = PrestataireFactory(agence=world.agence_a, nom="Libre")
    away = PrestataireFactory(agence=world.agence_a, nom="Absente")
    for p in (free, away):
        Disponibilite.objects.create(prestataire=p, jour=0, demi_journee="matin")
    Absence.objects.create(prestataire=away, debut=monday, fin=monday + datetime.timedelta(days=3))
    assert names(staff.get(URL, {"disponible_le": monday.isoformat()})) == ["Libre"]
    assert names(staff.get(URL, {"disponible_le": "2026-12-08"})) == []  # nobody on Tuesdays


def test_hours_left_this_month(staff, world):
    busy = PrestataireFactory(agence=world.agence_a, nom="Occupe")
    PrestationFactory(prestataire=busy, heures=Decimal("8"), date=timezone.localdate(), statut="planifiee")
    PrestationFactory(prestataire=busy, heures=Decimal("8"), date=timezone.localdate(), statut="effectuee")
    PrestationFactory(prestataire=busy, heures=Decimal("24"), date=timezone.localdate(), statut="effectuee")
    PrestataireFactory(agence=world.agence_a, nom="Disponible")
    listed = names(staff.get(URL, {"heures_restantes": "10"}))
    assert "Disponible" in listed and "Occupe" not in listed  # 40 of 45 used: 5 left
    response = staff.get(URL)
    assert "5 h restantes (40/45 h, activités générales)" in response.text
    assert "proche du plafond" in response.text


def test_sorting_and_pagination(staff, world):
    for i in range(30):
        PrestataireFactory(agence=world.agence_a, nom=f"Nom{i:02d}", code_postal=f"{5000 + i}")
    first = staff.get(URL, {"ordre": "-nom", "q": "Nom"})
    assert names(first)[0] == "Nom29"
    assert len(names(first)) == 25
    second = staff.get(URL, {"ordre": "-nom", "q": "Nom", "page": 2})
    assert "Page 2 sur 2" in second.text


def test_csv_export_follows_the_filters(staff, world):
    PrestataireFactory(agence=world.agence_a, nom="Émile", statut="actif", commune="Gembloux")
    PrestataireFactory(agence=world.agence_a, nom="Zoé", statut="inscrit")
    response = staff.get(reverse("prestataires:export"), {"statut": "actif"})
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert "Émile" in text and "Zoé" not in text
    assert text.splitlines()[0].startswith("Nom;Prénom;NISS")


def _list_queries(staff, django_assert_max_num_queries, count):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert staff.get(URL, {"statut": "actif"}).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_query_count_does_not_grow_with_the_number_of_workers(staff, world, django_assert_max_num_queries):
    activite = ActiviteFactory(agence=world.agence_a)

    def add(n):
        for _ in range(n):
            p = PrestataireFactory(agence=world.agence_a, statut="actif")
            p.activites.add(activite)
            PrestationFactory(prestataire=p, activite=activite)

    add(2)
    few = _list_queries(staff, django_assert_max_num_queries, 2)
    add(20)
    many = _list_queries(staff, django_assert_max_num_queries, 22)
    assert few == many
    with django_assert_max_num_queries(few):
        staff.get(URL, {"statut": "actif", "heures_restantes": "1"})
