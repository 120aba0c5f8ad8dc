"""The wizard's sample files import whatever the day: the samples are built for today (docs/reprise.md)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prestataires.models import Prestataire
from reprise.fichiers import sample_days

pytestmark = pytest.mark.django_db

DAYS = ["2027-01-01", "2027-01-02", "2027-01-04", "2026-12-31", "2028-02-29", "2027-03-07", "2026-12-02"]


@pytest.mark.parametrize("day", [pytest.param(day, marks=pytest.mark.today(day)) for day in DAYS])
def test_the_samples_from_workers_to_prestations_import_on_any_day(wizard, agence, admin_client, day):
    counts = {}
    entites = ["prestataires", "situations", "contrats", "utilisateurs", "inscriptions", "autorisations", "prestations"]
    for entite in entites:
        content = admin_client.get(reverse("reprise:exemple", args=[entite])).content
        reprise = wizard(agence, SimpleUploadedFile(f"exemple-{entite}.xlsx", content), entite=entite)
        counts[entite] = (reprise.statut, reprise.compteurs)
    new_and_refused = {entite: (c["nouveau"], c["refuse"]) for entite, (_statut, c) in counts.items()}
    assert new_and_refused["situations"] == (3, 2)
    assert new_and_refused["contrats"] == (3, 2)  # in force before the sample's first prestation, signed before
    assert Prestataire.objects.filter(agence=agence, statut="actif").count() == 3
    assert new_and_refused["inscriptions"] == (3, 1) and new_and_refused["autorisations"] == (3, 1)
    # This year's days before today (none on the 1st and 2nd of January 2027: a public holiday, then today), weekend
    # days when needed: each one imported; last year's row and the row without its end time refused.
    days = sample_days()
    assert len(days) == {"2027-01-01": 0, "2027-01-02": 0, "2027-01-04": 2}.get(day, 3)
    assert new_and_refused["prestations"] == (len(days), 2 if days else 1)
