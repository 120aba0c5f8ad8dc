from decimal import Decimal

import pytest
from django.urls import reverse

from ale_platform.models import Agence
from tests.factories import ActiviteFactory, AgenceFactory, CollaborateurFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency_admin(client):
    mine, other = AgenceFactory(nom="ALE de Gembloux"), AgenceFactory(nom="ALE d'Éghezée")
    user = CollaborateurFactory(agence=mine, agence__admin=True)
    client.force_login(user)
    return user, mine, other


def test_agency_admin_sees_and_edits_only_their_agency(client, agency_admin):
    user, mine, other = agency_admin
    changelist = client.get(reverse("admin:ale_platform_agence_changelist"))
    assert changelist.status_code == 200
    assert list(changelist.context["cl"].queryset) == [mine]
    assert client.get(reverse("admin:ale_platform_agence_change", args=[other.pk])).status_code == 404
    assert client.get(reverse("admin:ale_platform_agence_add")).status_code == 403

    form = client.get(reverse("admin:ale_platform_agence_change", args=[mine.pk])).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(
        {
            "prix_cheque": "6.20",
            "communes_desservies": "[]",
            "memberships-TOTAL_FORMS": 0,
            "memberships-INITIAL_FORMS": 0,
        }
    )
    response = client.post(reverse("admin:ale_platform_agence_change", args=[mine.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    mine.refresh_from_db()
    assert mine.prix_cheque == Decimal("6.20")
    assert mine.history.latest("history_date").history_user == user


def test_agency_admin_sees_only_their_activity_catalogue(client, agency_admin):
    _user, mine, other = agency_admin
    ActiviteFactory(agence=mine, nom="Petit jardinage")
    ActiviteFactory(agence=other, nom="Garde d'enfants")
    page = client.get(reverse("admin:ale_platform_activite_changelist"))
    assert [a.nom for a in page.context["cl"].queryset] == ["Petit jardinage"]
    add = client.get(reverse("admin:ale_platform_activite_add"))
    assert list(add.context["adminform"].form.fields["agence"].queryset) == [mine]


def test_collaborator_who_is_not_an_admin_cannot_enter(client):
    client.force_login(CollaborateurFactory(agence=AgenceFactory()))
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))


def test_superuser_sees_every_agency_and_accounts(client):
    AgenceFactory.create_batch(2)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert (
        client.get(reverse("admin:ale_platform_agence_changelist")).context["cl"].result_count == Agence.objects.count()
    )
    assert client.get(reverse("admin:ale_platform_user_changelist")).status_code == 200
