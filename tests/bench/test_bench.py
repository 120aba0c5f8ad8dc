"""Smoke test of the benchmark at a tiny scale, so that the generator and the measurements cannot rot.

The numbers themselves are not asserted (they depend on the machine); the structure and the data's
invariants are.
"""

import datetime
import math
import re
from decimal import Decimal

import pytest
from django.db.models import Count, Max, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django_tasks_db.models import DBTaskResult

from ale_platform.models import Activite, Agence, AgenceMembership
from bench import generate, measure
from forem_liaison.models import FOLLOWED_STATES, Adressage, RetourAdressage, TransitionAdressage
from forem_liaison.models import TRANSITIONS_ADRESSAGE as TRANSITIONS
from forem_liaison.selectors import with_deadlines
from prestataires.models import Disponibilite, Prestataire
from prestations.models import NUMERO_CHEQUE_REGEX, BilanMensuel, ChequeALE, GenerationFormulaires, Prestation
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
    # COPY bypasses the application: the dashboard's monthly summaries are rebuilt from the register.
    done = Prestation.objects.filter(statut__in=["effectuee", "validee"])
    assert generated["bilans"]["rows"] == BilanMensuel.objects.count() > 12
    assert BilanMensuel.objects.aggregate(n=Sum("prestations"))["n"] == done.count()


def test_generated_hours_respect_the_monthly_caps(generated):
    per_month = (
        Prestation.objects.exclude(activite__categorie=Activite.Categorie.AGRICOLE)
        .annotate(y=ExtractYear("date"), m=ExtractMonth("date"))
        .values("prestataire", "y", "m")
        .annotate(total=Sum("heures"))
    )
    assert max(row["total"] for row in per_month) <= Decimal(generate.LAW.plafond_mensuel)  # the rule book's 45 h


def test_vouchers_follow_the_register_rules(generated):
    cheques = ChequeALE.objects.select_related("prestation", "agence")
    assert generated["cheques"]["rows"] == cheques.count() > Prestation.objects.filter(statut="validee").count()
    for cheque in [*cheques.filter(type="papier")[:5], *cheques.filter(type="electronique")[:5]]:
        cheque.full_clean()  # the model's constraints, checked by Django as well as by the database
    for cheque in cheques:
        p = cheque.prestation
        assert p.statut in ("validee", "effectuee") and p.date <= TODAY
        assert (cheque.agence_id, cheque.utilisateur_id) == (p.agence_id, p.utilisateur_id)
        assert cheque.valeur == cheque.agence.prix_cheque
        if cheque.type == "papier":
            assert re.fullmatch(NUMERO_CHEQUE_REGEX, cheque.numero) and cheque.quantite == 1
        else:
            assert cheque.numero is None and cheque.quantite == math.ceil(p.heures)
            assert p.date >= generate.ELECTRONIC_FROM and cheque.statut in ("validee", "contestee", "impayee")
    paper = cheques.filter(type="papier")
    assert paper.values("numero").distinct().count() == paper.count()
    assert set(paper.values_list("statut", flat=True)) >= {"paye", "rentre"}
    # One voucher per hour started: an old validated prestation is exactly covered.
    old = (
        Prestation.objects.filter(statut="validee", date__lt=TODAY - datetime.timedelta(days=400))
        .annotate(n=Sum("cheques__quantite"))
        .exclude(n=None)
    )
    assert old.exists() and all(p.n == math.ceil(p.heures) for p in old)
    assert not ChequeALE.objects.exclude(prestation__statut__in=["validee", "effectuee"]).exists()


@pytest.fixture
def referrals(db, monkeypatch):
    """More referrals than the tiny scale gives (10), so that open and late ones exist."""
    monkeypatch.setitem(generate.FULL, "adressages", 1_000_000)
    return generate.run(scale=0.0005, seed=7, today=TODAY, log=lambda _line: None)


def test_referrals_follow_their_state_machine_and_feedback(referrals):
    assert referrals["adressages"]["rows"] == 500
    assert referrals["transitions"]["rows"] == TransitionAdressage.objects.count()
    assert RetourAdressage.objects.filter(statut="publie").exists()
    for adressage in Adressage.objects.prefetch_related("transitions", "retours"):
        adressage.full_clean()
        steps = [(t.de, t.vers) for t in adressage.transitions.all()]
        assert steps[0] == ("", "recu")
        for (_de, vers), (de, nxt) in zip(steps, steps[1:], strict=False):
            assert de == vers and nxt in TRANSITIONS[de]
        assert steps[-1][1] == adressage.etat
        if adressage.prestataire_id:
            worker = adressage.prestataire
            assert (worker.niss, worker.agence_id) == (adressage.niss, adressage.agence_id)
        retours = list(adressage.retours.all())
        if retours:
            assert any(vers in FOLLOWED_STATES for _de, vers in steps)
            assert all(r.periode_fin <= TODAY and r.texte for r in retours)
        published = [r.periode_fin for r in retours if r.statut == "publie"]
        assert adressage.dernier_retour_le == (max(published) if published else None)
    by_state = dict(Adressage.objects.values_list("etat").annotate(n=Count("pk")))
    assert by_state["cloture"] > by_state["actif"] > 0 and by_state.keys() >= {"refuse", "retire"}
    assert Adressage.objects.filter(prestataire__isnull=False).count() > by_state["actif"]
    late = with_deadlines(Adressage.objects.open(), TODAY)
    assert late.filter(retard_retour=True).exists() and late.filter(retard_retour=False).exists()
    assert not RetourAdressage.objects.filter(statut="brouillon").exclude(adressage__etat__in=FOLLOWED_STATES).exists()
    assert RetourAdressage.objects.aggregate(m=Max("periode_fin"))["m"] <= TODAY


def test_measurements_report_time_queries_and_ratios(generated):
    env = measure.Env.build(today=TODAY)
    results = measure.run(repeat=4, rounds=2, only=["prestataires", "hour_meters"], env=env, log=lambda _line: None)
    by_name = {r["name"]: r for r in results}
    page = by_name["prestataires"]
    assert page["path"] == "/prestataires/?statut=actif"
    assert set(page["page"]) == {"median_ms", "p95_ms", "n", "cpu_ms", "db_cpu_ms"} and page["page"]["n"] == 4
    assert page["admin"]["n"] == page["raw"]["n"] == 4 and page["page"]["cpu_ms"] > 0
    # The ratio is the figure: one per round, by wall time and by CPU time, with its spread.
    spread = page["page_vs_admin_spread"]
    assert spread["wall"]["rounds"] == spread["cpu"]["rounds"] == 2
    assert spread["wall"]["min"] <= spread["wall"]["median"] == page["page_vs_admin"] <= spread["wall"]["max"]
    assert 0 < page["queries"] < 15
    assert page["raw"]["rows"] == Prestataire.objects.filter(agence=env.agence, statut="actif").count()
    assert page["page_vs_raw"] > 0 and page["page_vs_admin"] > 0
    assert by_name["hour_meters"]["queries"] == 3  # the workers, the law of their region, the hours
    assert "page/admin" in measure.table(results)


def test_page_admin_and_raw_alternate_request_by_request(db):
    calls = []
    actions = {kind: (lambda kind=kind: calls.append(kind)) for kind in ("page", "admin", "raw")}

    measured = measure._interleaved(actions, repeat=4, rounds=2, warmup=0)

    # Round 1: page, admin, raw twice; round 2 starts with the next kind, so no kind always runs first.
    assert calls == ["page", "admin", "raw"] * 2 + ["admin", "raw", "page"] * 2
    assert measured["samples"]["page"]["n"] == 4 and measured["ratios"]["admin"]["wall"]["rounds"] == 2


LISTS = ["utilisateurs", "demandes", "prestations", "cheques", "adressages", "espace_prestataire"]


def test_every_list_is_measured_against_its_admin_changelist(generated):
    env = measure.Env.build(today=TODAY)
    results = measure.run(repeat=1, only=LISTS, env=env, log=lambda _line: None)
    assert [r["name"] for r in results] == LISTS
    for r in results:  # each page and changelist answered 200 (a redirect would have stopped the run)
        if r.get("skipped"):  # the tiny scale may give no worker an account
            assert r["name"] == "espace_prestataire" and r["skipped"] == "n/a: no prestataire in the data"
            continue
        assert r["queries"] > 0 and r["page_vs_admin"] > 0 and r["raw"]["rows"] > 0, r["name"]


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
        # Matching and recording also read the law and the eligibility (rules and situations), matching also the
        # stored travel times: the same budget as the matching page's own test.
        budget = 18 if name in ("matching", "heures_prestation") else 14
        assert 0 < r["queries"] <= budget or name == "generation_tache", name
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


def test_closing_a_month_takes_a_handful_of_page_loads_whatever_the_number_of_prestations(generated, queued_tasks):
    env = measure.Env.build(today=TODAY)
    prestations = list(Prestation.objects.order_by("pk").values_list("pk", "statut"))
    [result] = measure.run(repeat=1, only=["cloture_mois"], env=env, log=lambda _line: None)
    detail = result["detail"]
    # The screen, "Valider tout le confirmé" and the screen again, "Générer" and the generation's page.
    assert detail["pages_cloture"] == 5
    assert detail["pages_sans_cloture"] == -(-detail["confirmees"] // 300) + 3 * detail["confirmees"] + 2
    assert list(Prestation.objects.order_by("pk").values_list("pk", "statut")) == prestations  # rolled back
    assert "pages_cloture: 5" in measure.table([result])
