"""The worker's own documents (contract, registration proof, monthly ALE 4), and eligibility shown before a contract."""

import datetime
from html import unescape

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from prestataires.models import ContratALE
from tests.factories import PrestataireFactory
from tests.pdf import pdf_text


def _worker_client(world):
    client = Client()
    client.force_login(world.users["prestataire"])
    return client


def test_the_worker_gets_their_contract_proof_and_each_months_ale4_in_their_space(world):
    p = world.prestataire_a
    today = timezone.localdate()
    start = (today.replace(day=1) - datetime.timedelta(days=40)).replace(day=1)  # two months ago
    contrat = ContratALE.objects.create(prestataire=p, date_debut=start, date_signature=start)
    client = _worker_client(world)
    page = unescape(client.get(reverse("prestataires:espace")).text)
    assert "Aucun document." not in page
    contrat_url = reverse("prestataires:mon_contrat_pdf", args=[contrat.pk])
    proof_url = reverse("prestataires:ma_preuve_pdf")
    months = [today.replace(day=1), start + datetime.timedelta(days=35), start]
    ale4_urls = [reverse("prestataires:mon_formulaire_pdf", args=[m.year, m.month]) for m in months]
    for url in [contrat_url, proof_url, *ale4_urls]:
        assert f'href="{url}"' in page
    assert (
        reverse(
            "prestataires:mon_formulaire_pdf",
            args=[(start - datetime.timedelta(days=1)).year, (start - datetime.timedelta(days=1)).month],
        )
        not in page
    )
    for url in [contrat_url, proof_url, ale4_urls[0]]:
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert p.nom.upper() in pdf_text(client.get(contrat_url).content).upper()


def test_the_worker_reaches_only_their_own_documents(world):
    other = PrestataireFactory(agence=world.agence_a)
    theirs = ContratALE.objects.create(prestataire=other, date_debut=datetime.date(2026, 1, 1))
    client = _worker_client(world)
    assert client.get(reverse("prestataires:mon_contrat_pdf", args=[theirs.pk])).status_code == 404
    # No signed contract yet: no month's ALE 4 to fetch.
    today = timezone.localdate()
    assert client.get(reverse("prestataires:mon_formulaire_pdf", args=[today.year, today.month])).status_code == 404
    staff = Client()
    staff.force_login(world.users["collab_a"])
    assert staff.get(reverse("prestataires:ma_preuve_pdf")).status_code == 403


def test_the_contract_screen_shows_non_eligibility_before_the_click(staff, world):
    p = PrestataireFactory(agence=world.agence_a, statut="inscrit")
    p.situations.all().delete()
    page = unescape(staff.get(reverse("prestataires:contrat_create", args=[p.pk])).text)
    assert "Cette personne n'est pas éligible" in page
    assert "Aucune base d'éligibilité n'est enregistrée : non éligible." in page
    detail = unescape(staff.get(reverse("prestataires:detail", args=[p.pk])).text)
    assert "Contrat impossible pour l'instant" in detail
