"""The register's staff lists: a page of rows (50), and the worker or client sought by name, not picked from a
select of every client or worker of the agency rendered on each request."""

import datetime
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.urls import reverse

from ale_platform import paging
from prestations.models import Prestation
from prestations.services import record_cheque, record_prestation
from tests.factories import UtilisateurFactory
from tests.utilisateurs.factories import DemandeFactory

from .factories import authorise, ready

pytestmark = pytest.mark.django_db
T = datetime.time


@pytest.fixture
def s():
    return ready()


@pytest.fixture
def staff(client, s):
    client.force_login(s.staff)
    return client


def record(s, utilisateur, day):
    return record_prestation(
        prestataire=s.prestataire,
        utilisateur=utilisateur,
        activite=s.generale,
        date=day,
        debut=T(8),
        fin=T(10),
        heures=Decimal(2),
        acting_user=s.staff,
    )


def days(n):
    """n working days of last month (recorded hours are in the past)."""
    first = (datetime.date.today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    out, day = [], first
    while len(out) < n:
        if day.weekday() < 5:
            out.append(day)
        day += datetime.timedelta(days=1)
    return out


def listed(response):
    return {p.pk for p in response.context["prestations"]}


def test_prestations_are_sought_by_the_clients_name_or_number_within_the_agency(staff, s):
    first, second = days(2)
    dupont, ferme = record(s, s.utilisateur, first), record(s, s.ferme, second)
    other = ready()  # another agency's Dupont: never in this list
    authorise(other.utilisateur, other.generale, first.year)

    assert listed(staff.get(reverse("prestations:list"), {"utilisateur": "dupont anne"})) == {dupont.pk}
    assert listed(staff.get(reverse("prestations:list"), {"utilisateur": "Sarthe"})) == {ferme.pk}
    assert listed(staff.get(reverse("prestations:list"), {"utilisateur": str(s.ferme.pk)})) == {ferme.pk}
    assert listed(staff.get(reverse("prestations:list"), {"utilisateur": str(other.utilisateur.pk)})) == set()
    assert listed(staff.get(reverse("prestations:list"), {"prestataire": s.prestataire.nom})) == {dupont.pk, ferme.pk}


def test_the_filters_render_no_option_per_client_or_worker(staff, s):
    for _i in range(5):
        UtilisateurFactory(agence=s.agence)
    for name in ("prestations:list", "prestations:cheques", "prestations:a_regulariser"):
        html = staff.get(reverse(name)).content.decode()
        assert '<select name="utilisateur"' not in html and f'value="{s.utilisateur.pk}"' not in html, name
        assert '<input type="text" name="utilisateur"' in html, name


def test_the_lists_show_a_page_of_rows_and_link_the_next(staff, s, monkeypatch):
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    made = [record(s, s.utilisateur, day) for day in days(3)]
    for numero in ("5000000001", "5000000002", "5000000003"):
        record_cheque(agence=s.agence, numero=numero, utilisateur=s.utilisateur, acting_user=s.staff)

    first = staff.get(reverse("prestations:list"), {"utilisateur": "Dupont"})
    second = staff.get(reverse("prestations:list"), {"utilisateur": "Dupont", "page": 2})

    assert listed(first) | listed(second) == {p.pk for p in made} and len(listed(first)) == 2
    assert "utilisateur=Dupont&amp;page=2" in first.content.decode()
    assert "3 prestations" in first.content.decode()
    vouchers = staff.get(reverse("prestations:cheques"))
    assert len(vouchers.context["cheques"]) == 2 and "3 chèques" in vouchers.content.decode()


def test_the_requests_list_shows_a_page_of_the_agencys_requests(staff, s, monkeypatch):
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    mine = {DemandeFactory(utilisateur=s.utilisateur, activite=s.generale).pk for _i in range(3)}
    DemandeFactory()  # another agency's

    pages = [staff.get(reverse("utilisateurs:demande_list"), {"page": n}) for n in (1, 2)]

    assert {d.pk for page in pages for d in page.context["demandes"]} == mine
    assert "3 demandes" in pages[0].content.decode() and "page=2" in pages[0].content.decode()


def test_a_page_costs_one_query_with_its_total(staff, s, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    made = [record(s, s.utilisateur, day) for day in days(3)]
    request = RequestFactory().get("/", {"page": "2", "statut": "effectuee"})
    queryset = Prestation.objects.filter(pk__in=[p.pk for p in made]).order_by("date")

    with django_assert_num_queries(1):
        second = paging.paginate(request, queryset)
        assert [p.pk for p in second["page"].object_list] == [made[2].pk]
        assert second["page"].paginator.count == 3 and not second["page"].has_next()
    assert second["query"] == "statut=effectuee"
    past = paging.paginate(RequestFactory().get("/", {"page": "9"}), queryset)["page"]
    assert past.number == 2 and [p.pk for p in past.object_list] == [made[2].pk]
    empty = paging.paginate(RequestFactory().get("/", {"page": "x"}), queryset.none())["page"]
    assert empty.number == 1 and empty.paginator.count == 0 and list(empty.object_list) == []
