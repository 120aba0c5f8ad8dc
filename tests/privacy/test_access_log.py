"""Reads of personal data are logged (file pages, list exports, admin pages) with ids only, and the agency
admins read them in the journal for their agencies only."""

import pytest
from django.urls import reverse

from ale_platform.models import AgenceMembership
from ale_platform.privacy.models import LectureDonnees
from tests.factories import AdressageFactory, CollaborateurFactory, PrestataireFactory, UtilisateurFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency(world):
    reader = CollaborateurFactory(agence=world.agence_a, first_name="Marc", last_name="Lecteur")
    return {
        "reader": reader,
        "worker": PrestataireFactory(agence=world.agence_a, nom="Lejeune"),
        "client": UtilisateurFactory(agence=world.agence_a, nom="Dupont"),
        "referral": AdressageFactory(agence=world.agence_a, nom="Martin"),
        "elsewhere": PrestataireFactory(agence=world.agence_b, nom="Ailleurs"),
    }


def test_opening_a_file_logs_the_read_with_ids_only(client, agency):
    client.force_login(agency["reader"])
    for name, obj in [
        ("prestataires:detail", agency["worker"]),
        ("utilisateurs:detail", agency["client"]),
        ("forem_liaison:detail", agency["referral"]),
    ]:
        assert client.get(reverse(name, args=[obj.pk]), {"q": obj.nom}).status_code == 200
    reads = list(LectureDonnees.objects.order_by("pk"))
    assert [(r.type_personne, r.objet_id, r.vue, r.par_id) for r in reads] == [
        ("prestataire", agency["worker"].pk, "fiche", agency["reader"].pk),
        ("utilisateur", agency["client"].pk, "fiche", agency["reader"].pk),
        ("adressage", agency["referral"].pk, "fiche", agency["reader"].pk),
    ]
    assert not any("Lejeune" in r.chemin or "?" in r.chemin for r in reads)  # never the query string


def test_a_refused_read_is_not_logged(client, agency):
    client.force_login(agency["reader"])
    assert client.get(reverse("prestataires:detail", args=[agency["elsewhere"].pk])).status_code == 404
    assert not LectureDonnees.objects.exists()


def test_list_exports_log_how_many_files_were_read(client, agency):
    client.force_login(agency["reader"])
    assert client.get(reverse("prestataires:export")).status_code == 200
    assert client.get(reverse("utilisateurs:export_xlsx")).status_code == 200
    assert client.get(reverse("forem_liaison:staff_list"), {"format": "csv"}).status_code == 200
    reads = {r.type_personne: r for r in LectureDonnees.objects.all()}
    assert {k: (r.vue, r.objet_id) for k, r in reads.items()} == {
        "prestataire": ("export_liste", None),
        "utilisateur": ("export_liste", None),
        "adressage": ("export_liste", None),
    }
    assert reads["prestataire"].nombre >= 1 and reads["adressage"].nombre >= 1


def test_an_admin_page_of_a_file_is_logged(client, agency, world):
    admin = CollaborateurFactory(agence=world.agence_a)
    AgenceMembership.objects.filter(user=admin).update(is_admin=True)
    client.force_login(admin)
    url = reverse("admin:prestataires_prestataire_change", args=[agency["worker"].pk])
    assert client.get(url).status_code == 200
    read = LectureDonnees.objects.get()
    assert (read.vue, read.objet_id, read.par) == ("admin", agency["worker"].pk, admin)


def test_agency_admins_read_the_log_of_their_agencies_only(client, agency, world):
    client.force_login(agency["reader"])
    client.get(reverse("prestataires:detail", args=[agency["worker"].pk]))
    other_reader = world.users["collab_b"]
    client.force_login(other_reader)
    client.get(reverse("prestataires:detail", args=[agency["elsewhere"].pk]))
    admin = CollaborateurFactory(agence=world.agence_a)
    AgenceMembership.objects.filter(user=admin).update(is_admin=True)
    client.force_login(admin)
    page = client.get(reverse("privacy:journal"))
    assert page.status_code == 200 and page.context["reads_count"] == 1
    assert "Marc Lecteur" in page.content.decode()
    by_person = client.get(reverse("privacy:journal"), {"personne": "lejeune"})
    assert [r.objet_id for r in by_person.context["reads"]] == [agency["worker"].pk]
    assert client.get(reverse("privacy:journal"), {"personne": "dupont"}).context["reads_count"] == 0
    client.force_login(agency["reader"])  # not an admin
    assert client.get(reverse("privacy:journal")).status_code == 403


def test_the_log_survives_the_anonymisation_and_names_no_one():
    from ale_platform.privacy.datamap import STORES

    store = STORES["privacy.LectureDonnees"]
    assert store.personal == frozenset() and store.retention


def test_a_reader_without_an_account_is_named_the_api_token(rf, agency, world):
    from django.contrib.auth.models import AnonymousUser

    from ale_platform.privacy.access_log import Vue, log_read

    request = rf.get("/api/v1/adressages")
    request.user = AnonymousUser()
    assert log_read(request, vue=Vue.API, agence=world.agence_a, kind="adressage", nombre=3) is None
    read = log_read(request, vue=Vue.API, agence=world.agence_a, kind="adressage", nombre=3, lecteur="jeton ab12cd34")
    assert (read.par, read.lecteur, read.nombre, read.vue) == (None, "jeton ab12cd34", 3, "api")
