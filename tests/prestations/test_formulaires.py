"""The monthly ALE 4 form, the statements per payment body and the background generation of a month's forms."""

import datetime
import io
import subprocess
import zipfile
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage

from prestations.models import GenerationFormulaires, Prestation, TauxIndemnite
from prestations.pdf import formulaire_pdf, releve_pdf
from prestations.services import attach_vouchers, record_prestation, validate_prestation
from prestations.tasks import generate_monthly_forms
from tests.factories import PrestataireFactory

from .factories import ready

pytestmark = pytest.mark.django_db
D, T = datetime.date, datetime.time


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603,S607
    return " ".join(out.split())


def month_of_work(s):
    a = record_prestation(
        prestataire=s.prestataire,
        utilisateur=s.utilisateur,
        activite=s.generale,
        date=D(2026, 3, 10),
        debut=T(9),
        fin=T(12),
        heures=Decimal("2.5"),
        acting_user=s.staff,
    )
    validate_prestation(prestation=a, acting_user=s.staff)
    attach_vouchers(prestation=a, acting_user=s.staff, numeros=["7000000001", "7000000002", "7000000003"])
    record_prestation(
        prestataire=s.prestataire,
        utilisateur=s.ferme,
        activite=s.agricole,
        date=D(2026, 3, 12),
        debut=T(8),
        fin=T(16),
        heures=Decimal("7.75"),
        acting_user=s.staff,
    )
    record_prestation(
        prestataire=s.prestataire,
        utilisateur=s.utilisateur,
        activite=s.generale,
        date=D(2026, 3, 31),
        debut=T(9),
        fin=T(11),
        heures=2,
        acting_user=s.staff,
        statut=Prestation.Statut.PLANIFIEE,
    )


def test_ale4_lists_every_prestation_with_totals_and_amount(tmp_path):
    s = ready(nom="Lejeune", prenom="Jean")
    month_of_work(s)
    text = pdf_text(formulaire_pdf(s.prestataire, 2026, 3), tmp_path)
    assert "Formulaire de prestations ALE 4 — mars 2026" in text
    assert "Jean Lejeune" in text
    assert "10/03/2026" in text and "12/03/2026" in text and "31/03/2026" in text
    assert "Ferme de la Sarthe" in text and "Travaux agricoles" in text
    assert "7000000001, 7000000002, 7000000003" in text
    assert "Total des heures prestées" in text and "10,25" in text  # 2,5 + 7,75
    assert "Heures encore planifiées" in text
    assert "Montant dû au prestataire (4,10 € par heure)" in text
    assert "42,03 €" in text  # 10,25 h x 4,10 = 42,025 -> 42,03


def test_rate_has_effective_dates_and_agency_override(tmp_path):
    s = ready()
    month_of_work(s)
    TauxIndemnite.objects.create(agence=s.agence, valid_from=D(2026, 4, 1), montant=Decimal("6.00"))
    assert TauxIndemnite.en_vigueur(s.agence, D(2026, 3, 31)) == Decimal("4.10")
    assert TauxIndemnite.en_vigueur(s.agence, D(2026, 4, 1)) == Decimal("6.00")


def test_blank_prefilled_form_at_the_start_of_the_month(tmp_path):
    s = ready(nom="Bodart", prenom="Yannick")
    text = pdf_text(formulaire_pdf(s.prestataire, 2026, 12), tmp_path)
    assert "Yannick Bodart" in text and "décembre 2026" in text
    assert "0,00 €" in text


def test_statement_per_payment_body(tmp_path):
    s = ready(nom="Lejeune", prenom="Jean")
    month_of_work(s)
    PrestataireFactory(agence=s.agence, statut="actif", organisme_paiement="fgtb", nom="Autre")
    text = pdf_text(releve_pdf(s.agence, "capac", 2026, 3), tmp_path)
    assert "Relevé mensuel des prestations ALE — CAPAC" in text
    assert "Lejeune Jean" in text and "Autre" not in text
    assert "10,25" in text and "42,03 €" in text


def test_generating_all_forms_of_the_month_gives_one_zip():
    s = ready(nom="Lejeune", prenom="Jean")
    month_of_work(s)
    PrestataireFactory(agence=s.agence, statut="actif", nom="Dethier", prenom="Martine")
    PrestataireFactory(agence=s.agence, statut="sorti", nom="Parti")  # no work, not active: no form
    generation = GenerationFormulaires.objects.create(agence=s.agence, mois=D(2026, 3, 1), created_by=s.staff)
    generate_monthly_forms.enqueue(generation.pk)
    generation.refresh_from_db()
    assert generation.statut == "terminee" and generation.faits == generation.total == 2
    with default_storage.open(generation.fichier) as f:
        names = zipfile.ZipFile(io.BytesIO(f.read())).namelist()
    assert len(names) == 2 and any("Lejeune" in n for n in names) and any("Dethier" in n for n in names)
    default_storage.delete(generation.fichier)
