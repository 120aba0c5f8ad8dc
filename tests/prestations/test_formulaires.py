"""The monthly ALE 4 form, the statements per payment body and the background generation of a month's forms."""

import datetime
import io
import subprocess
import zipfile
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage

from prestations.models import GenerationFormulaires, Prestation, RegleLegale
from prestations.pdf import formulaire_pdf, releve_pdf
from prestations.rulebook import pay_rate
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
    b = record_prestation(
        prestataire=s.prestataire,
        utilisateur=s.ferme,
        activite=s.agricole,
        date=D(2026, 3, 12),
        debut=T(8),
        fin=T(16),
        heures=Decimal("7.75"),
        acting_user=s.staff,
    )
    validate_prestation(prestation=b, acting_user=s.staff)
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


def test_ale4_pays_per_voucher_every_hour_started_is_due(tmp_path):
    """Rule: the worker gets €4.10 per voucher, one voucher per hour worked or started, per prestation
    (theux.be; ale-pretnet-1190.be): 2.5 h + 7.75 h = 3 + 8 = 11 vouchers = €45.10, not 10.25 h x €4.10."""
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
    assert "11 chèques dus" in text
    assert "Montant dû au prestataire : 11 chèques × 4,10 €" in text
    assert "45,10 €" in text


def test_ale4_goes_to_the_payment_body_with_the_vouchers(tmp_path):
    """Rule: the worker sends the vouchers and the ALE 4 to their payment body (nassogne.be, ALE Eghezée)."""
    s = ready()
    text = pdf_text(formulaire_pdf(s.prestataire, 2026, 3), tmp_path)
    assert "Organisme de paiement" in text and "CAPAC" in text
    assert "à son organisme de paiement (CAPAC)" in text
    assert "remis à l'ALE" not in text


def test_only_validated_hours_are_due(tmp_path):
    """Rule: the amount due counts validated hours only (a recorded, unchecked prestation is not yet due)."""
    s = ready()
    record_prestation(
        prestataire=s.prestataire,
        utilisateur=s.utilisateur,
        activite=s.generale,
        date=D(2026, 3, 10),
        debut=T(9),
        fin=T(12),
        heures=Decimal("2.5"),
        acting_user=s.staff,
    )
    text = pdf_text(formulaire_pdf(s.prestataire, 2026, 3), tmp_path)
    assert "Total des heures prestées 2,5" in text
    assert "0 chèques dus" in text and "0,00 €" in text


def test_rate_is_the_law_of_the_region_with_effective_dates(tmp_path):
    """Rule: the allowance per voucher is data by region and date (RegleLegale), never an agency setting."""
    s = ready()
    month_of_work(s)
    law = RegleLegale.objects.filter(region="wallonie").latest("en_vigueur_du")  # 2026: the Forem's threshold row
    RegleLegale.objects.create(
        region="wallonie",
        en_vigueur_du=D(2026, 4, 1),
        **{f: getattr(law, f) for f in ("plafond_mensuel", "plafond_mensuel_majore", "types_utilisateurs_majores")},
        plafond_mensuel_agricole=law.plafond_mensuel_agricole,
        plafond_hors_agricole=law.plafond_hors_agricole,
        plafond_annuel=law.plafond_annuel,
        indemnite_par_cheque=Decimal("6.00"),
        prix_minimum_cheque=law.prix_minimum_cheque,
        source="test",
    )
    assert pay_rate(s.agence, D(2026, 3, 31)) == Decimal("4.10")
    assert pay_rate(s.agence, D(2026, 4, 1)) == Decimal("6.00")
    assert "11 chèques × 4,10 €" in pdf_text(formulaire_pdf(s.prestataire, 2026, 3), tmp_path)


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
    assert "10,25" in text and "45,10 €" in text  # 11 vouchers x 4,10


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
