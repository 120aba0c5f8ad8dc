import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ale_platform.models import AgenceMembership
from ale_platform.privacy.models import ExportDonnees, ParametresConfidentialite
from prestataires.models import LectureRemarques
from tests.factories import CollaborateurFactory, PrestataireFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reads(world):
    reader = CollaborateurFactory(agence=world.agence_a, first_name="Marc", last_name="Lecteur")
    jean = PrestataireFactory(agence=world.agence_a, nom="Lejeune", prenom="Jean")
    zoe = PrestataireFactory(agence=world.agence_a, nom="Durant", prenom="Zoé")
    other_agency = PrestataireFactory(agence=world.agence_b, nom="Ailleurs", prenom="Paul")
    old = LectureRemarques.objects.create(prestataire=jean, user=reader)
    LectureRemarques.objects.filter(pk=old.pk).update(at=timezone.now() - datetime.timedelta(days=40))
    LectureRemarques.objects.create(prestataire=zoe, user=reader)
    LectureRemarques.objects.create(prestataire=other_agency, user=world.users["collab_b"])
    ExportDonnees.objects.create(
        agence=world.agence_a, type_personne="prestataire", objet_id=jean.pk, personne="Jean Lejeune", par=reader
    )
    ExportDonnees.objects.create(
        agence=world.agence_b,
        type_personne="prestataire",
        objet_id=other_agency.pk,
        personne="Paul Ailleurs",
        par=reader,
    )
    admin = CollaborateurFactory(agence=world.agence_a, agence__admin=True)
    return admin


def test_agency_admin_sees_reads_and_exports_of_their_agencies_only(client, reads):
    client.force_login(reads)
    page = client.get(reverse("privacy:journal"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Jean Lejeune" in html and "Zoé Durant" in html and "Marc Lecteur" in html
    assert "Ailleurs" not in html
    assert page.context["lectures_count"] == 2 and page.context["exports_count"] == 1


def test_journal_filters_by_date_and_person(client, reads):
    client.force_login(reads)
    since = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    recent = client.get(reverse("privacy:journal"), {"du": since})
    assert [lecture.prestataire.nom for lecture in recent.context["lectures"]] == ["Durant"]
    by_person = client.get(reverse("privacy:journal"), {"personne": "lejeune"})
    assert [lecture.prestataire.nom for lecture in by_person.context["lectures"]] == ["Lejeune"]
    assert [e.personne for e in by_person.context["exports"]] == ["Jean Lejeune"]
    by_reader = client.get(reverse("privacy:journal"), {"collaborateur": "lecteur", "au": since})
    assert [lecture.prestataire.nom for lecture in by_reader.context["lectures"]] == ["Lejeune"]


def test_collaborator_who_is_not_admin_gets_403_and_superuser_sees_all(client, reads, world):
    client.force_login(world.users["collab_a"])
    assert client.get(reverse("privacy:journal")).status_code == 403
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = client.get(reverse("privacy:journal"))
    assert page.context["lectures_count"] == 3 and page.context["exports_count"] == 2


def test_agency_admin_sets_the_retention_in_the_admin(client, reads, world):
    client.force_login(reads)
    url = reverse("admin:privacy_parametresconfidentialite_add")
    response = client.post(url, {"agence": world.agence_a.pk, "retention_mois": 36})
    assert response.status_code == 302
    assert ParametresConfidentialite.retention_for(world.agence_a) == 36
    assert ParametresConfidentialite.retention_for(world.agence_b) == 60
    refused = client.post(url, {"agence": world.agence_b.pk, "retention_mois": 36})
    assert refused.status_code == 200  # not one of their agencies: the choice is refused
    assert not ParametresConfidentialite.objects.filter(agence=world.agence_b).exists()
    assert AgenceMembership.objects.filter(user=reads, is_admin=True).count() == 1
