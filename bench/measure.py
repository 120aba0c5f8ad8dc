"""Measurements: server time (median, p95) and SQL query count of pages, their raw SQL and admin changelist.

Each measurement is registered in `MEASUREMENTS` (see `register`). A page measurement requests `path`
through Django's test Client, logged in as `persona` ("collaborateur" of the biggest agency, "client",
"conseiller", "superuser"); a `call` measurement times a Python function instead. `raw` gives the
hand-written SQL of the essential queries (bench/raw.py) and `admin` the Django admin changelist of the
same rows (requested as the superuser). To add one after a feature lands, e.g.:

    register(Measurement("matching", "Candidats d'une demande", persona="collaborateur",
                         path=lambda env: f"/demandes/{env.demande.pk}/candidats/", raw=raw.matching))
"""

import datetime
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib import admin
from django.db import connection, reset_queries
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ale_platform.models import Agence, AgenceMembership, Role, User
from forem_liaison.models import Conseiller
from prestataires.models import Prestataire
from prestations.meters import hour_meters
from prestations.models import Prestation

from . import raw

RESULTS_DIR = Path(__file__).resolve().parent / "results"
WARMUP = 2


@dataclass
class Env:
    """Who and what the measurements use, picked from the data: the busiest agency, client and adviser."""

    today: datetime.date
    agence: Agence
    users: dict[str, User]
    client: User
    conseiller: User
    objects: dict[str, object] = field(default_factory=dict)

    @classmethod
    def build(cls) -> "Env":
        agence = (
            Agence.objects.annotate(n=Count("prestataires", filter=Q(prestataires__statut=Prestataire.Statut.ACTIF)))
            .order_by("-n", "pk")
            .first()
        )
        if agence is None:
            raise SystemExit("No data: run `python -m bench` without --skip-generate first.")
        membership = (
            AgenceMembership.objects.filter(agence=agence, user__role=Role.COLLABORATEUR)
            .order_by("-is_admin", "pk")
            .select_related("user")
            .first()
        )
        client_row = (
            Prestation.objects.filter(utilisateur__compte__isnull=False, agence=agence)
            .values("utilisateur__compte")
            .annotate(n=Count("pk"))
            .order_by("-n")
            .first()
        )
        client = User.objects.filter(pk=client_row["utilisateur__compte"]).first() if client_row else None
        if client is None:
            client = User.objects.filter(role=Role.CLIENT).order_by("pk").first()
        conseiller = (
            Conseiller.objects.annotate(n=Count("adressages")).order_by("-n", "pk").select_related("user").first()
        )
        superuser = User.objects.filter(is_superuser=True).order_by("pk").first()
        users = {
            "collaborateur": membership.user,
            "client": client,
            "conseiller": conseiller.user,
            "superuser": superuser,
        }
        return cls(timezone.localdate(), agence, users, client, conseiller.user, {"conseiller": conseiller})


@dataclass
class Measurement:
    name: str
    label: str
    persona: str | None = None
    path: Callable[[Env], str] | None = None
    call: Callable[[Env], object] | None = None
    raw: Callable[[Env], list] | None = None
    admin: Callable[[Env], str] | None = None
    admin_model: type | None = None  # skipped when this model has no admin


MEASUREMENTS: list[Measurement] = []


def register(measurement: Measurement) -> Measurement:
    MEASUREMENTS.append(measurement)
    return measurement


def _active_meters(env: Env):
    workers = Prestataire.objects.filter(agence=env.agence, statut=Prestataire.Statut.ACTIF).select_related("agence")
    return hour_meters(workers, on=env.today)


register(
    Measurement(
        "dashboard",
        "Tableau de bord (collaborateur·rice)",
        persona="collaborateur",
        path=lambda env: "/tableau-de-bord/",
        raw=raw.dashboard,
        admin=lambda env: f"/admin/prestations/prestation/?agence__id__exact={env.agence.pk}",
        admin_model=Prestation,
    )
)
register(
    Measurement(
        "prestataires",
        "Liste des prestataires actifs",
        persona="collaborateur",
        path=lambda env: "/prestataires/?statut=actif",
        raw=raw.prestataire_list,
        admin=lambda env: f"/admin/prestataires/prestataire/?agence__id__exact={env.agence.pk}&statut__exact=actif",
        admin_model=Prestataire,
    )
)
register(
    Measurement(
        "espace_client",
        "Espace client",
        persona="client",
        path=lambda env: "/espace-client/",
        raw=raw.espace_client,
        admin=lambda env: f"/admin/utilisateurs/utilisateur/?compte__id__exact={env.client.pk}",
    )
)
register(
    Measurement(
        "adressages_conseiller",
        "Adressages du ou de la conseiller·ère",
        persona="conseiller",
        path=lambda env: "/forem/",
        raw=raw.conseiller_list,
        admin=lambda env: f"/admin/forem_liaison/adressage/?conseiller__id__exact={env.objects['conseiller'].pk}",
    )
)
register(
    Measurement(
        "hour_meters",
        "Compteurs d'heures des prestataires actifs d'une agence",
        call=_active_meters,
        raw=raw.meters,
    )
)
register(
    Measurement(
        "client_history_sql",
        "Historique d'un client (SQL seul, la page viendra)",
        raw=raw.client_history,
    )
)


def _stats(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": round(statistics.median(ordered) * 1000, 2), "p95_ms": round(p95 * 1000, 2), "n": len(ordered)}


def _time(action: Callable[[], object], repeat: int) -> tuple[dict, int, object]:
    """Warm up, count the queries of one run, then time `repeat` runs without query capture."""
    for _i in range(WARMUP):
        action()
    with CaptureQueriesContext(connection) as captured:
        outcome = action()
    queries = len(captured.captured_queries)
    samples = []
    for _i in range(repeat):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    reset_queries()
    return _stats(samples), queries, outcome


def _page(client: Client, path: str):
    def action():
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code} (expected 200)")
        return response

    return action


def _sql(statements: list) -> Callable[[], int]:
    def action():
        rows = 0
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                rows += len(cursor.fetchall())
        return rows

    return action


def _clients(env: Env) -> dict[str, Client]:
    clients = {}
    for persona, user in env.users.items():
        client = Client()
        client.force_login(user)
        clients[persona] = client
    return clients


def run(repeat: int = 20, only: list[str] | None = None, env: Env | None = None, log=print) -> list[dict]:
    env = env or Env.build()
    clients = _clients(env)
    log(
        f"Measuring on {env.agence} ({env.agence.prestataires.filter(statut='actif').count()} active workers), "
        f"{repeat} runs after {WARMUP} warm-ups…"
    )
    results = []
    for m in MEASUREMENTS:
        if only and m.name not in only:
            continue
        result = {"name": m.name, "label": m.label, "page": None, "queries": None, "raw": None, "admin": None}
        if m.path:
            result["path"] = m.path(env)
            result["page"], result["queries"], _ = _time(_page(clients[m.persona], result["path"]), repeat)
        elif m.call:
            result["page"], result["queries"], _ = _time(lambda m=m: m.call(env), repeat)
        if m.raw:
            result["raw"], _q, rows = _time(_sql(m.raw(env)), repeat)
            result["raw"]["rows"] = rows
        if m.admin and (m.admin_model is None or admin.site.is_registered(m.admin_model)):
            result["admin_path"] = m.admin(env)
            result["admin"], result["admin_queries"], _ = _time(
                _page(clients["superuser"], result["admin_path"]), repeat
            )
        for other in ("raw", "admin"):
            if result["page"] and result[other]:
                result[f"page_vs_{other}"] = round(
                    result["page"]["median_ms"] / max(result[other]["median_ms"], 0.01), 2
                )
        results.append(result)
        log(f"  {m.name:<24} done")
    return results


def save(results: list[dict], scale: float | None, generation: dict | None = None) -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"{stamp}.json"
    counts = {
        "agences": Agence.objects.count(),
        "prestataires": Prestataire.objects.count(),
        "prestations": Prestation.objects.count(),
    }
    payload = {
        "timestamp": stamp,
        "scale": scale,
        "database": connection.settings_dict["NAME"],
        "counts": counts,
        "generation": generation,
        "results": results,
    }
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
    return path


def table(results: list[dict]) -> str:
    def ms(part):
        return f"{part['median_ms']:.1f} / {part['p95_ms']:.1f}" if part else "—"

    header = (
        f"{'measurement':<24} {'page ms (med/p95)':>18} {'queries':>7} {'raw ms':>16} {'admin ms':>16} "
        f"{'page/raw':>8} {'page/admin':>10}"
    )
    lines = [header, "-" * len(header)]
    for r in results:
        lines.append(
            f"{r['name']:<24} {ms(r['page']):>18} {r['queries'] if r['queries'] is not None else '—':>7} "
            f"{ms(r['raw']):>16} {ms(r['admin']):>16} {r.get('page_vs_raw', '—'):>8} {r.get('page_vs_admin', '—'):>10}"
        )
    return "\n".join(lines)
