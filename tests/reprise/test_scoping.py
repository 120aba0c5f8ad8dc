"""Only an agency's administrators import into it; the platform superuser into any agency."""

import pytest
from django.urls import reverse

from ale_platform.models import Role
from reprise.models import Reprise
from tests.factories import AgenceFactory, CollaborateurFactory, UserFactory

from .conftest import WORKER_HEADERS, worker_rows, xlsx

pytestmark = pytest.mark.django_db


def _reprise(agence):
    return Reprise.objects.create(
        agence=agence,
        entite="prestataires",
        fichier="reprises/x.csv",
        nom_fichier="x.csv",
        statut="a_confirmer",
        lignes=[{"numero": 2, "statut": "nouveau", "libelle": "", "erreurs": {}, "changements": []}],
    )


def test_a_collaborator_who_is_not_admin_imports_vouchers_only(client, agence):
    client.force_login(CollaborateurFactory(agence=agence))
    response = client.get(reverse("reprise:index"))
    assert response.status_code == 200
    assert [code for code, _label in response.context["form"].fields["entite"].choices] == ["cheques"]
    for entite in ("prestataires", "situations", "contrats", "prestations"):
        assert client.get(reverse("reprise:modele", args=[entite])).status_code == 403
    response = client.post(
        reverse("reprise:index"),
        {"agence": agence.pk, "entite": "prestataires", "fichier": xlsx([WORKER_HEADERS, *worker_rows(1)])},
    )
    assert response.status_code == 400
    assert not Reprise.objects.exists()


def test_a_collaborator_without_agency_cannot_import(client):
    client.force_login(CollaborateurFactory())
    assert client.get(reverse("reprise:index")).status_code == 403
    assert client.get(reverse("reprise:cheques")).status_code == 403


@pytest.mark.parametrize("role", [Role.CLIENT, Role.PRESTATAIRE, Role.CONSEILLER])
def test_other_roles_cannot_import(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("reprise:index")).status_code == 403


def test_an_agency_admin_imports_into_their_agencies_only(admin_client, agence):
    other = AgenceFactory()
    response = admin_client.post(
        reverse("reprise:index"),
        {"agence": other.pk, "entite": "prestataires", "fichier": xlsx([WORKER_HEADERS, *worker_rows(1)])},
    )
    assert response.status_code == 400
    assert not Reprise.objects.exists()
    assert list(response.context["form"].fields["agence"].queryset) == [agence]


def test_another_agencys_import_is_not_found(admin_client, agence):
    theirs = _reprise(AgenceFactory())
    mine = _reprise(agence)
    for name in ("reprise:detail", "reprise:correspondance", "reprise:rapport"):
        assert admin_client.get(reverse(name, args=[theirs.pk])).status_code == 404
    assert admin_client.post(reverse("reprise:confirmer", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.statut == "a_confirmer"
    assert admin_client.get(reverse("reprise:detail", args=[mine.pk])).status_code == 200
    listed = admin_client.get(reverse("reprise:index")).context["reprises"]
    assert list(listed) == [mine]


def test_admin_of_one_agency_member_of_another(client, agence):
    """Membership without the admin flag gives no import right in that agency, but for its vouchers."""
    other = AgenceFactory()
    user = CollaborateurFactory(agence=agence, agence__admin=True)
    from ale_platform.models import AgenceMembership

    AgenceMembership.objects.create(user=user, agence=other, is_admin=False)
    client.force_login(user)
    assert set(client.get(reverse("reprise:index")).context["form"].fields["agence"].queryset) == {agence, other}
    response = client.post(
        reverse("reprise:index"),
        {"agence": other.pk, "entite": "prestataires", "fichier": xlsx([WORKER_HEADERS, *worker_rows(1)])},
    )
    assert response.status_code == 400
    assert "Seuls les administrateurs de l'agence" in " ".join(response.context["form"].errors["entite"])
    assert client.get(reverse("reprise:detail", args=[_reprise(other).pk])).status_code == 404


def test_the_superuser_imports_into_any_agency(client, agence, wizard):
    other = AgenceFactory()
    superuser = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    choices = set(client.get(reverse("reprise:index")).context["form"].fields["agence"].queryset)
    assert {agence, other} <= choices
    reprise = wizard(other, xlsx([WORKER_HEADERS, *worker_rows(1, activite="")]), client=client)
    assert reprise.agence == other and reprise.compteurs["nouveau"] == 1


def test_the_navigation_shows_the_wizard_to_agency_admins_only(client, admin_client, agence):
    assert reverse("reprise:index") in admin_client.get(reverse("dashboard")).content.decode()
    client.force_login(CollaborateurFactory(agence=agence))
    assert reverse("reprise:index") not in client.get(reverse("dashboard")).content.decode()
