"""PDFs laid out once per distinct HTML (ale_platform.pdf.PDF_CACHE): a cached PDF is never another agency's or
another worker's, and any change to what the form shows gives a new document."""

import datetime
from decimal import Decimal

import pytest

from ale_platform.pdf import PDF_CACHE
from prestations.models import Prestation
from prestations.pdf import formulaire_pdf
from prestations.services import record_prestation
from tests.factories import AgenceFactory
from tests.pdf import pdf_text

from .factories import ready
from .test_formulaires import month_of_work

pytestmark = pytest.mark.django_db
D, T = datetime.date, datetime.time


@pytest.fixture(autouse=True)
def empty_cache():
    PDF_CACHE.clear()
    yield
    PDF_CACHE.clear()


def _entries() -> int:
    return len(PDF_CACHE._cache)


def test_one_agencys_cached_form_is_never_served_to_another():
    """Two agencies, a worker of the same name with the same month in each: each form carries its own agency."""
    a = ready(agence=AgenceFactory(nom="ALE de Rixensart"), nom="Lejeune", prenom="Jean")
    b = ready(agence=AgenceFactory(nom="ALE de Couvin"), nom="Lejeune", prenom="Jean")
    for s in (a, b):
        _one_hour(s, D(2026, 3, 10))
    first = formulaire_pdf(a.prestataire, 2026, 3)
    assert _entries() == 1
    assert formulaire_pdf(a.prestataire, 2026, 3) == first and _entries() == 1  # the same form: laid out once
    other = pdf_text(formulaire_pdf(b.prestataire, 2026, 3))
    assert _entries() == 2
    assert "ALE de Couvin" in other and "ALE de Rixensart" not in other
    assert "ALE de Rixensart" in pdf_text(first) and "ALE de Couvin" not in pdf_text(first)


def _one_hour(s, day):
    return record_prestation(
        prestataire=s.prestataire,
        utilisateur=s.utilisateur,
        activite=s.generale,
        date=day,
        debut=T(9),
        fin=T(10),
        heures=Decimal("1"),
        acting_user=s.staff,
        statut=Prestation.Statut.EFFECTUEE,
    )


def test_a_write_to_what_the_form_shows_gives_a_new_form():
    s = ready(nom="Lejeune", prenom="Jean")
    month_of_work(s)
    before = pdf_text(formulaire_pdf(s.prestataire, 2026, 3))
    assert "10,25" in before  # 2,5 + 7,75 validated
    _one_hour(s, D(2026, 3, 20))
    after = pdf_text(formulaire_pdf(s.prestataire, 2026, 3))
    assert "20/03/2026" in after and "20/03/2026" not in before
    assert "11,25" in after
    assert _entries() == 2


def test_another_language_is_another_document():
    s = ready(nom="Lejeune", prenom="Jean", langue="nl")
    month_of_work(s)
    dutch = pdf_text(formulaire_pdf(s.prestataire, 2026, 3))
    s.prestataire.langue = "fr"
    s.prestataire.save()
    french = pdf_text(formulaire_pdf(s.prestataire, 2026, 3))
    assert "Formulaire de prestations ALE 4" in french and "Formulaire de prestations ALE 4" not in dutch
