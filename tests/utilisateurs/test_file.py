"""The client file on the staff side: identifiers, constraints, create/edit with French errors, audit trail."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from ale_platform.identifiers import build_bce, build_niss
from ale_platform.models import TypeUtilisateur
from tests.factories import UtilisateurFactory
from utilisateurs.models import Contact, Site, Utilisateur

pytestmark = pytest.mark.django_db

NISS = build_niss(__import__("datetime").date(1975, 4, 12), 33)
BCE = build_bce(2_345_678)


def _post(**overrides):
    data = {
        "type": "particulier",
        "nom": "Maréchal",
        "prenom": "Louise",
        "niss": NISS,
        "bce": "",
        "rue": "Rue du Moulin 3",
        "code_postal": "5030",
        "commune": "Gembloux",
        "telephone": "081 11 22 33",
        "email": "louise@example.be",
    }
    return data | overrides


def test_database_refuses_a_particulier_without_niss_and_a_legal_person_without_bce(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        UtilisateurFactory(agence=world.agence_a, niss="", bce="")
    with pytest.raises(IntegrityError), transaction.atomic():
        UtilisateurFactory(agence=world.agence_a, type=TypeUtilisateur.ASBL, bce="", niss="")
    with pytest.raises(IntegrityError), transaction.atomic():
        UtilisateurFactory(agence=world.agence_a, niss=NISS, bce=BCE)


def test_staff_create_a_particulier_with_a_formatted_niss(world, as_user):
    client = as_user(world.users["collab_a"])
    formatted = f"{NISS[:2]}.{NISS[2:4]}.{NISS[4:6]}-{NISS[6:9]}.{NISS[9:]}"
    response = client.post(reverse("utilisateurs:create"), _post(niss=formatted))
    utilisateur = Utilisateur.objects.get(niss=NISS)
    assert response.status_code == 302
    assert utilisateur.niss == NISS and utilisateur.agence == world.agence_a
    # The audit trail names the collaborator who created the file.
    assert utilisateur.history.first().history_user == world.users["collab_a"]


def test_bad_niss_gets_a_french_error_next_to_the_field_and_keeps_the_rest(world, as_user):
    client = as_user(world.users["collab_a"])
    bad = NISS[:-2] + f"{(int(NISS[-2:]) + 1) % 100:02d}"
    before = Utilisateur.objects.count()
    response = client.post(reverse("utilisateurs:create"), _post(niss=bad))
    assert response.status_code == 200
    assert "Ce NISS n&#x27;est pas valide" in response.text
    assert 'value="Maréchal"' in response.text
    assert Utilisateur.objects.count() == before


def test_legal_person_needs_a_valid_bce(world, as_user):
    client = as_user(world.users["collab_a"])
    response = client.post(reverse("utilisateurs:create"), _post(type="asbl", nom="Les Amis", niss="", bce=""))
    assert "Le numéro d&#x27;entreprise (BCE) est obligatoire" in response.text
    response = client.post(
        reverse("utilisateurs:create"), _post(type="asbl", nom="Les Amis", niss="", bce="0123456789")
    )
    assert "n&#x27;est pas valide" in response.text
    response = client.post(reverse("utilisateurs:create"), _post(type="asbl", nom="Les Amis", niss=NISS, bce=BCE))
    assert response.status_code == 302
    asbl = Utilisateur.objects.get(nom="Les Amis")
    assert asbl.bce == BCE and asbl.niss == ""  # the NISS typed by mistake is not kept for a legal person


def test_same_niss_twice_in_one_agency_is_refused(world, as_user):
    UtilisateurFactory(agence=world.agence_a, niss=NISS)
    client = as_user(world.users["collab_a"])
    response = client.post(reverse("utilisateurs:create"), _post())
    assert "Un autre dossier de l&#x27;agence porte déjà ce numéro." in response.text


def test_edit_is_recorded_with_the_staff_member(world, as_user):
    u = world.utilisateur_a
    client = as_user(world.users["collab_a"])
    data = _post(niss=u.niss, nom=u.nom, prenom=u.prenom, telephone="0470 00 00 01")
    response = client.post(reverse("utilisateurs:edit", args=[u.pk]), data)
    assert response.status_code == 302
    u.refresh_from_db()
    assert u.telephone == "0470 00 00 01"
    page = client.get(reverse("utilisateurs:detail", args=[u.pk]))
    assert str(world.users["collab_a"]) in page.text  # the history on the file names them


def test_sites_and_contacts_of_a_school(world, as_user):
    school = UtilisateurFactory(agence=world.agence_a, type=TypeUtilisateur.ENSEIGNEMENT, prenom="")
    client = as_user(world.users["collab_a"])
    for nom in ("Implantation A", "Implantation B"):
        client.post(
            reverse("utilisateurs:site_add", args=[school.pk]),
            {"nom": nom, "rue": "Rue 1", "code_postal": "5031", "commune": "Grand-Leez"},
        )
    assert Site.objects.filter(utilisateur=school).count() == 2
    response = client.post(
        reverse("utilisateurs:site_add", args=[school.pk]),
        {"nom": "Implantation A", "rue": "Rue 1", "code_postal": "503", "commune": "X"},
    )
    assert "Ce client a déjà un site de ce nom." in response.text
    assert "Un code postal belge compte 4 chiffres" in response.text
    response = client.post(
        reverse("utilisateurs:contact_add", args=[school.pk]), {"prenom": "Martine", "nom": "Collard"}
    )
    assert "Indiquez au moins un téléphone ou une adresse e-mail." in response.text
    client.post(
        reverse("utilisateurs:contact_add", args=[school.pk]),
        {"prenom": "Martine", "nom": "Collard", "fonction": "Directrice", "telephone": "081 64 12 30"},
    )
    assert Contact.objects.get(utilisateur=school).fonction == "Directrice"
    page = client.get(reverse("utilisateurs:detail", args=[school.pk]))
    assert "Implantation B" in page.text and "Martine Collard" in page.text


def test_other_agency_staff_cannot_edit(world, as_user):
    client = as_user(world.users["collab_b"])
    response = client.post(reverse("utilisateurs:edit", args=[world.utilisateur_a.pk]), _post())
    assert response.status_code == 404
