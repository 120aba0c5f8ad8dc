"""Rule: a past month belongs to the payment body of that month (Pluxee portal news, 19.4.2023: a change of worker
type or CPAS has an effective date); the worker sends the ALE 4 and the vouchers to that body (nassogne.be)."""

import datetime

import pytest
from django.urls import reverse

from prestataires.models import PeriodeOrganismePaiement
from prestations.selectors import releves
from prestations.services import validate_prestation
from tests.factories import PrestataireFactory

from .factories import ready
from .test_rulebook import rec

pytestmark = pytest.mark.django_db
D = datetime.date


def test_one_statement_per_payment_body_of_the_day_worked(client):
    s = ready()
    worker = s.prestataire
    PeriodeOrganismePaiement.objects.create(prestataire=worker, organisme="cpas", cpas="Namur", depuis=D(2026, 1, 1))
    PeriodeOrganismePaiement.objects.create(
        prestataire=worker, organisme="cpas", cpas="Gembloux", depuis=D(2026, 11, 16)
    )
    other = PrestataireFactory(agence=s.agence, statut="actif", organisme_paiement="capac")
    PeriodeOrganismePaiement.objects.create(prestataire=other, organisme="capac", depuis=D(2026, 1, 1))
    for p in (
        rec(s, 2, D(2026, 11, 10)),  # CPAS de Namur then
        rec(s, 2.5, D(2026, 11, 20)),  # CPAS de Gembloux from the 16th
        rec(s, 1, D(2026, 11, 12), prestataire=other),
    ):
        validate_prestation(prestation=p, acting_user=s.staff)
    statements = {(r.organisme.code, r.organisme.cpas): r for r in releves(s.agence, 2026, 11)}
    assert set(statements) == {("capac", ""), ("cpas", "Namur"), ("cpas", "Gembloux")}
    assert [(ligne.cheques, str(ligne.montant)) for ligne in statements[("cpas", "Namur")].lignes] == [(2, "8.20")]
    assert [(ligne.cheques, str(ligne.montant)) for ligne in statements[("cpas", "Gembloux")].lignes] == [(3, "12.30")]
    assert "Gembloux" in statements[("cpas", "Gembloux")].organisme.label

    client.force_login(s.staff)
    page = client.get(reverse("prestations:formulaires") + "?mois=2026-11")
    assert "?cpas=Namur" in page.text and "?cpas=Gembloux" in page.text
    pdf = client.get(reverse("prestations:releve_pdf", args=["cpas", 2026, 11]) + "?cpas=Namur")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
