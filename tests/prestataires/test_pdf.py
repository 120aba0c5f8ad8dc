"""Contract and registration proof as A4 PDFs with the agency letterhead; the text is checked with pdftotext."""
# ruff: noqa: S603, S607 (pdftotext/pdfinfo from poppler-utils on fixed arguments)

import datetime
import subprocess

from django.urls import reverse

from prestataires.models import ContratALE
from tests.factories import ActiviteFactory

from .factories import ContratFactory, SituationFactory


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_contract_pdf_has_parties_activities_start_and_notice(staff, world, tmp_path):
    p = world.prestataire_a
    p.nom, p.prenom = "Lemaître", "Françoise"
    p.save()
    p.activites.add(ActiviteFactory(agence=world.agence_a, nom="Accompagnement de personnes âgées"))
    contrat = ContratFactory(prestataire=p, date_debut=datetime.date(2026, 12, 1))
    response = staff.get(reverse("prestataires:contrat_pdf", kwargs={"pk": p.pk, "contrat_pk": contrat.pk}))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "Contrat de travail ALE" in text
    assert "13 juin 1999" in text
    assert "ALE de Gembloux" in text and "Françoise Lemaître" in text
    assert "Accompagnement de personnes âgées" in text
    assert "01/12/2026" in text
    assert "préavis écrit et motivé de sept jours" in text
    info = subprocess.run(["pdfinfo", "-"], input=response.content, capture_output=True, check=True).stdout.decode()
    assert "595.276 x 841.89" in info or "A4" in info


def test_signing_from_the_browser_form_records_the_date_and_shows_it_on_the_pdf(staff, world, tmp_path):
    p = world.prestataire_a
    created = staff.post(reverse("prestataires:contrat_create", kwargs={"pk": p.pk}), {"date_debut": "2026-11-02"})
    contrat = ContratALE.objects.get(prestataire=p)
    assert created["Location"] == reverse("prestataires:contrat_sign", kwargs={"pk": p.pk, "contrat_pk": contrat.pk})
    future = staff.post(created["Location"], {"date_signature": "2099-01-01"})
    assert "futur" in " ".join(future.context["form"].errors["date_signature"])
    staff.post(created["Location"], {"date_signature": "2026-11-02"})
    p.refresh_from_db()
    assert p.statut == "actif"
    pdf = staff.get(reverse("prestataires:contrat_pdf", kwargs={"pk": p.pk, "contrat_pk": contrat.pk}))
    assert "le 02/11/2026" in pdf_text(pdf.content, tmp_path)


def test_registration_proof_names_only_the_basis_that_applies(staff, world, tmp_path):
    """Rule: the proof of registration states the basis that opens access today, not every recorded one (a
    48-year-old is not registered as "moins de 45 ans")."""
    p = world.prestataire_a
    p.situations.all().delete()
    p.date_naissance = datetime.date(1978, 1, 1)
    p.save(update_fields=["date_naissance"])
    SituationFactory(prestataire=p, base="ris", depuis=datetime.date(2024, 1, 1))
    SituationFactory(prestataire=p, base="chomage_moins_45", depuis=datetime.date(2020, 1, 1))
    response = staff.get(reverse("prestataires:preuve_pdf", kwargs={"pk": p.pk}))
    text = pdf_text(response.content, tmp_path)
    assert "Preuve d'inscription" in text or "Preuve d’inscription" in text
    assert p.niss_formate in text
    text = " ".join(text.split())
    assert "moins de 45 ans" not in text
    assert "au titre de : Revenu d'intégration" in text or "au titre de : Revenu d’intégration" in text
    assert "ALE de Gembloux" in text


def test_official_pdfs_about_a_known_person_use_her_own_forms(staff, world, tmp_path):
    p = world.prestataire_a
    p.sexe, p.statut, p.date_naissance = "F", "actif", datetime.date(1980, 5, 4)
    p.save()
    contrat = ContratFactory(prestataire=p, date_debut=datetime.date(2026, 12, 1))
    contract = pdf_text(
        staff.get(reverse("prestataires:contrat_pdf", kwargs={"pk": p.pk, "contrat_pk": contrat.pk})).content, tmp_path
    )
    assert "Née le 04/05/1980" in contract and "La travailleuse ALE" in contract
    assert "·" not in contract and "ou la travailleuse" not in contract
    proof = pdf_text(staff.get(reverse("prestataires:preuve_pdf", kwargs={"pk": p.pk})).content, tmp_path)
    assert "Active (contrat signé)" in proof and "Inscrite depuis le" in proof
    assert "·" not in proof


def test_the_inclusive_form_stays_when_the_sex_is_not_known(staff, world, tmp_path):
    p = world.prestataire_a
    p.sexe, p.date_naissance = "", datetime.date(1980, 5, 4)
    p.save()
    contrat = ContratFactory(prestataire=p, date_debut=datetime.date(2026, 12, 1))
    contract = pdf_text(
        staff.get(reverse("prestataires:contrat_pdf", kwargs={"pk": p.pk, "contrat_pk": contrat.pk})).content, tmp_path
    )
    assert "Né·e le 04/05/1980" in contract
