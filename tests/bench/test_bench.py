"""Smoke test of the benchmark at a tiny scale, so that the generator and the measurements cannot rot.

The numbers themselves are not asserted (they depend on the machine); the structure and the data's
invariants are.
"""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django_tasks_db.models import DBTaskResult

from ale_platform.models import Activite, Agence, AgenceMembership
from bench import generate, measure
from forem_liaison.models import Adressage
from prestataires.models import Disponibilite, Prestataire
from prestations.models import GenerationFormulaires, Prestation
from utilisateurs.models import Autorisation, Creneau, Demande, Inscription, Utilisateur

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
    open_demandes = Demande.objects.filter(statut__in=["nouvelle", "en_recherche"])
    assert open_demandes.exists() and all(d.creneaux.exists() for d in open_demandes)
    assert Creneau.objects.filter(date__lte=TODAY).count() == 0
    active = Prestataire.objects.filter(statut="actif")
    assert all(p.contrats.filter(date_signature__isnull=False).exists() and p.activites.exists() for p in active)
    assert Disponibilite.objects.filter(prestataire__in=active).exists()
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
    env = measure.Env.build(today=TODAY)
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


NEW = ["historique_client", "matching", "record_prestation", "heures_prestation", "formulaire_ale4"]
BACKGROUND = ["generation_lancee", "generation_tache"]


@pytest.fixture
def queued_tasks(settings):
    """The benchmark's settings: tasks go to the database queue (the test settings run them in the request)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_new_measurements_run_on_tiny_data_and_leave_it_unchanged(generated, queued_tasks):
    env = measure.Env.build(today=TODAY)
    prestations = list(Prestation.objects.order_by("pk").values_list("pk", "statut", "heures"))
    results = measure.run(repeat=1, only=NEW + BACKGROUND, env=env, log=lambda _line: None)
    by_name = {r["name"]: r for r in results}
    assert list(by_name) == NEW + BACKGROUND
    for name, r in by_name.items():
        if r.get("skipped"):  # tiny data may lack the object (e.g. no planned slot this month)
            assert r["skipped"].startswith("n/a: no "), name
            continue
        assert r["page"]["n"] == 1 and r["raw"]["rows"] >= 0, name
        assert 0 < r["queries"] < 15 or name == "generation_tache", name
        assert r["page_vs_raw"] > 0, name
    assert not by_name["matching"].get("skipped") and by_name["matching"]["page_vs_admin"] > 0
    assert by_name["generation_lancee"]["method"] == "POST"
    assert by_name["generation_tache"]["detail"]["forms"] >= 1
    # Every write was rolled back: same prestations, no generation left, no task queued.
    assert list(Prestation.objects.order_by("pk").values_list("pk", "statut", "heures")) == prestations
    assert not GenerationFormulaires.objects.exists() and not DBTaskResult.objects.exists()
    table = measure.table(results)
    assert all(name in table for name in NEW + BACKGROUND) and "forms: " in table


def test_a_measurement_without_its_object_is_reported_not_available(generated):
    env = measure.Env.build(today=TODAY)
    env.objects["demande"] = None
    [result] = measure.run(repeat=1, only=["matching"], env=env, log=lambda _line: None)
    assert result["skipped"] == "n/a: no demande in the data" and result["page"] is None
    assert "matching                 n/a: no demande in the data" in measure.table([result])
