"""Smoke test of the benchmark at a tiny scale, so that the generator and the measurements cannot rot.

The numbers themselves are not asserted (they depend on the machine); the structure and the data's
invariants are.
"""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.db.models.functions import ExtractMonth, ExtractYear

from ale_platform.models import Activite, Agence, AgenceMembership
from bench import generate, measure
from forem_liaison.models import Adressage
from prestataires.models import Prestataire
from prestations.models import Prestation
from utilisateurs.models import Autorisation, Inscription, Utilisateur

TODAY = datetime.date(2026, 11, 27)


@pytest.fixture
def generated(db):
    return generate.run(scale=0.0005, seed=7, today=TODAY, log=lambda _line: None)


def test_generator_fills_every_table_with_valid_rows(generated):
    assert [name for name, _fn in generate.GENERATORS][:3] == ["agences", "collaborateurs", "activites"]
    assert generated["prestations"]["rows"] == Prestation.objects.count() > 500
    assert Agence.objects.count() == 2
    assert AgenceMembership.objects.filter(is_admin=True).count() == 2
    assert Prestataire.objects.count() >= 3
    assert Utilisateur.objects.filter(compte__isnull=False).exists()
    assert Inscription.objects.exists() and Autorisation.objects.exists() and Adressage.objects.exists()
    for worker in Prestataire.objects.all()[:3]:
        worker.full_clean()  # valid NISS, postal code, status
    first = Prestation.objects.order_by("date").first().date
    assert first >= TODAY - datetime.timedelta(days=365 * generate.YEARS)
    assert Prestation.objects.filter(date__gt=TODAY).exclude(statut="planifiee").count() == 0


def test_generated_hours_respect_the_monthly_caps(generated):
    per_month = (
        Prestation.objects.exclude(activite__categorie=Activite.Categorie.AGRICOLE)
        .annotate(y=ExtractYear("date"), m=ExtractMonth("date"))
        .values("prestataire", "y", "m")
        .annotate(total=Sum("heures"))
    )
    assert max(row["total"] for row in per_month) <= Decimal(generate.MONTHLY_CAP)


def test_measurements_report_time_queries_and_ratios(generated):
    env = measure.Env.build()
    env.today = TODAY
    results = measure.run(repeat=1, only=["prestataires", "hour_meters"], env=env, log=lambda _line: None)
    by_name = {r["name"]: r for r in results}
    page = by_name["prestataires"]
    assert page["path"] == "/prestataires/?statut=actif"
    assert set(page["page"]) == {"median_ms", "p95_ms", "n"} and page["page"]["n"] == 1
    assert 0 < page["queries"] < 15
    assert page["raw"]["rows"] == Prestataire.objects.filter(agence=env.agence, statut="actif").count()
    assert page["page_vs_raw"] > 0 and page["page_vs_admin"] > 0
    assert by_name["hour_meters"]["queries"] == 2
    assert "page/admin" in measure.table(results)
