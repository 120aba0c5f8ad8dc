import pytest
from django.urls import reverse

from prestataires.models import Prestataire
from reprise.models import Reprise

from .conftest import WORKER_HEADERS, worker_rows, xlsx

pytestmark = pytest.mark.django_db


def test_walkthrough(admin_client, agence, run_tasks):
    upload = xlsx([WORKER_HEADERS, *worker_rows(3)])
    response = admin_client.post(
        reverse("reprise:index"), {"agence": agence.pk, "entite": "prestataires", "fichier": upload}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    reprise = Reprise.objects.get()
    response = admin_client.get(response.url)
    assert response.status_code == 200
    data = {f"col_{i}": v for i, v in reprise.correspondance.items()}
    print(reprise.correspondance)
    response = run_tasks(admin_client.post, reverse("reprise:correspondance", args=[reprise.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    reprise.refresh_from_db()
    print(reprise.statut, reprise.lignes)
    response = admin_client.get(reverse("reprise:detail", args=[reprise.pk]))
    assert response.status_code == 200
    response = run_tasks(admin_client.post, reverse("reprise:confirmer", args=[reprise.pk]))
    reprise.refresh_from_db()
    print(reprise.statut, reprise.compteurs, reprise.erreur)
    assert Prestataire.objects.count() == 3
