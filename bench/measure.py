"""Measurements: server time (median, p95) and SQL query count of pages, their raw SQL and admin changelist.

Each measurement is registered in `MEASUREMENTS` (see `register`). A page measurement requests `path`
through Django's test Client, logged in as `persona` ("collaborateur" of the biggest agency, "client",
"conseiller", "superuser"); a `call` measurement times a Python function instead. `raw` gives the
hand-written SQL of the essential queries (bench/raw.py) and `admin` the Django admin changelist of the
same rows (requested as the superuser). To add one after a feature lands, e.g.:

    register(Measurement("matching", "Candidats d'une demande", persona="collaborateur", needs=("demande",),
                         path=lambda env: f"/demandes/{env.objects['demande'].pk}/prestataires/", raw=raw.matching))

`needs` names the `Env.objects` the measurement uses: when the data has none (tiny scale), the measurement
is reported "n/a" with the reason instead of failing. A measurement that writes (`rollback=True`) runs each
repetition in a transaction rolled back afterwards, so every repetition sees the same data.
"""

import datetime
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection, reset_queries, transaction
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ale_platform.middleware import mark_mfa_passed
from ale_platform.models import Agence, AgenceMembership, Role, User
from forem_liaison.models import Conseiller
from prestataires.models import Prestataire
from prestations import services
from prestations.models import GenerationFormulaires, Prestation
from prestations.rulebook import hour_meters
from prestations.tasks import generate_monthly_forms
from utilisateurs.models import Demande, Utilisateur

from . import raw

RESULTS_DIR = Path(__file__).resolve().parent / "results"
WARMUP = 2
# Not counted as queries: the rolled-back repetitions add BEGIN/ROLLBACK, and atomic blocks their savepoints.
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")
OPEN = [Demande.Statut.NOUVELLE, Demande.Statut.EN_RECHERCHE]


class Detail(dict):
    """What a `call` measurement reports besides time and queries (e.g. the number of forms generated)."""


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
    def build(cls, today: datetime.date | None = None) -> "Env":
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
        env = cls(today or timezone.localdate(), agence, users, client, conseiller.user, {"conseiller": conseiller})
        env.pick_objects()
        return env

    def pick_objects(self) -> None:
        """The request, worker, slot… the other measurements use; None (→ "n/a") when the data has none."""
        last_month = self.today.replace(day=1) - datetime.timedelta(days=1)
        self.objects["mois"] = last_month.replace(day=1)
        self.objects["utilisateur"] = Utilisateur.objects.filter(compte=self.client).first() if self.client else None
        self.objects["demande"] = (
            Demande.objects.filter(agence=self.agence, statut__in=OPEN)
            .annotate(n=Count("creneaux", filter=Q(creneaux__annule=False)))
            .select_related("activite")
            .order_by("-n", "-created_at", "pk")
            .first()
        )
        month = self.objects["mois"]
        self.objects["ale4"] = (
            Prestataire.objects.filter(agence=self.agence, prestations__date__year=month.year)
            .filter(prestations__date__month=month.month)
            .annotate(n=Count("prestations"))
            .order_by("-n", "pk")
            .first()
        )
        # Planned slots that have ended (hours are recorded after the slot), in the last 31 days: "this month"
        # alone has none on the 1st, and then both recording measures answered n/a. `_works` keeps the first
        # one every rule accepts (the worker eligible on the day, the client registered, no overlap, caps).
        ended = Q(date__lt=self.today) | Q(date=self.today, fin__lte=timezone.localtime().time())
        planned = list(
            Prestation.objects.filter(
                agence=self.agence,
                statut=Prestation.Statut.PLANIFIEE,
                date__gte=self.today - datetime.timedelta(days=31),
                date__lte=self.today,
            )
            .filter(ended)
            .select_related("prestataire", "utilisateur", "activite")
            .order_by("-date", "pk")[:30]
        )
        user = self.users["collaborateur"]
        self.objects["heures"] = next((p for p in planned if _works(lambda p=p: _record_hours(p, user))), None)
        new = map(_new_prestation, planned)
        self.objects["nouvelle_prestation"] = next(
            (k for k in new if _works(lambda k=k: services.record_prestation(**k, acting_user=user))), None
        )


def _works(action) -> bool:
    """Whether `action` passes every rule of the service (tried in a transaction rolled back)."""
    try:
        with transaction.atomic():
            action()
            transaction.set_rollback(True)
    except ValidationError:
        return False
    return True


def _record_hours(prestation, user):
    """What the staff's hours form does: the planned slot's hours, as planned, become hours worked."""
    return services.update_hours(
        prestation=prestation, acting_user=user, heures=prestation.heures, debut=prestation.debut, fin=prestation.fin
    )


def _new_prestation(planned) -> dict:
    """A new prestation for the same worker, client and activity, right after the planned one (same length)."""
    start = datetime.datetime.combine(planned.date, planned.fin)
    end = start + datetime.timedelta(hours=float(planned.heures))
    return {
        "prestataire": planned.prestataire,
        "utilisateur": planned.utilisateur,
        "activite": planned.activite,
        "date": planned.date,
        "debut": planned.fin,
        "fin": end.time() if end.date() == planned.date else datetime.time(23, 59),
        "heures": planned.heures,
    }


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
    method: str = "get"
    data: Callable[[Env], dict] | None = None  # the POST's form data
    status: int = 200  # the expected answer (302 after a successful POST)
    rollback: bool = False  # writes: each repetition in a transaction rolled back afterwards
    needs: tuple[str, ...] = ()  # Env.objects the measurement uses; "n/a" when one is missing
    repeat: int | None = None  # at most this many repetitions, for slow measurements
    warmup: int = WARMUP


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
        "historique_client",
        "Historique des prestations d'un client (« Mes prestations »)",
        persona="client",
        needs=("utilisateur",),
        path=lambda env: "/espace-client/prestations/",
        raw=raw.client_history,
        admin=lambda env: f"/admin/prestations/prestation/?utilisateur__id__exact={env.objects['utilisateur'].pk}",
        admin_model=Prestation,
    )
)
register(
    Measurement(
        "matching",
        "Candidats d'une demande ouverte (correspondance)",
        persona="collaborateur",
        needs=("demande",),
        path=lambda env: f"/demandes/{env.objects['demande'].pk}/prestataires/",
        raw=raw.matching,
        admin=lambda env: f"/admin/prestataires/prestataire/?agence__id__exact={env.agence.pk}",
        admin_model=Prestataire,
    )
)


def _record(env: Env):
    return services.record_prestation(**env.objects["nouvelle_prestation"], acting_user=env.users["collaborateur"])


register(
    Measurement(
        "record_prestation",
        "Enregistrer une prestation (services.record_prestation, annulé après chaque essai)",
        needs=("nouvelle_prestation",),
        call=_record,
        rollback=True,
        raw=raw.record_prestation,
    )
)
register(
    Measurement(
        "heures_prestation",
        "Encoder les heures d'une prestation planifiée (formulaire du personnel, POST, annulé après chaque essai)",
        persona="collaborateur",
        needs=("heures",),
        path=lambda env: f"/prestations/{env.objects['heures'].pk}/heures/",
        method="post",
        data=lambda env: {
            "heures-debut": env.objects["heures"].debut.strftime("%H:%M"),
            "heures-fin": env.objects["heures"].fin.strftime("%H:%M"),
            "heures-heures": str(env.objects["heures"].heures),
        },
        status=302,
        rollback=True,
        raw=raw.record_hours,
    )
)
register(
    Measurement(
        "formulaire_ale4",
        "Un formulaire ALE 4 (PDF d'un·e prestataire, mois dernier)",
        persona="collaborateur",
        needs=("ale4",),
        path=lambda env: (
            f"/formulaires/{env.objects['ale4'].pk}/{env.objects['mois'].year}/{env.objects['mois'].month}/"
        ),
        raw=raw.formulaire,
        admin=lambda env: f"/admin/prestations/prestation/?prestataire__id__exact={env.objects['ale4'].pk}",
        admin_model=Prestation,
        repeat=10,
    )
)
register(
    Measurement(
        "generation_lancee",
        "Lancer la génération des formulaires du mois d'une agence (POST, la tâche est mise en file)",
        persona="collaborateur",
        path=lambda env: "/formulaires/generations/",
        method="post",
        data=lambda env: {"mois": env.objects["mois"].strftime("%Y-%m")},
        status=302,
        rollback=True,
        raw=raw.generation_start,
    )
)


def _generate_month(env: Env) -> Detail:
    """The background task itself, run in-process: every ALE 4 form of the agency's month in one ZIP."""
    generation = GenerationFormulaires.objects.create(
        agence=env.agence, mois=env.objects["mois"], created_by=env.users["collaborateur"]
    )
    started = time.perf_counter()
    name = generate_monthly_forms.call(generation.pk)
    seconds = time.perf_counter() - started
    default_storage.delete(name)  # the rolled-back row pointed to it
    generation.refresh_from_db()
    return Detail(forms=generation.total, seconds_per_form=round(seconds / max(generation.total, 1), 3))


register(
    Measurement(
        "generation_tache",
        "Tâche de fond : tous les formulaires ALE 4 du mois d'une agence (ZIP)",
        call=_generate_month,
        rollback=True,
        raw=raw.generation_task,
        repeat=2,
        warmup=0,
    )
)


def _stats(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": round(statistics.median(ordered) * 1000, 2), "p95_ms": round(p95 * 1000, 2), "n": len(ordered)}


def _time(action: Callable[[], object], repeat: int, warmup: int = WARMUP) -> tuple[dict, int, object]:
    """Warm up, count the queries of one run, then time `repeat` runs without query capture."""
    for _i in range(warmup):
        action()
    with CaptureQueriesContext(connection) as captured:
        outcome = action()
    queries = sum(1 for q in captured.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL))
    samples = []
    for _i in range(repeat):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    reset_queries()
    return _stats(samples), queries, outcome


def _rolled_back(action: Callable[[], object]) -> Callable[[], object]:
    def run():
        with transaction.atomic():
            outcome = action()
            transaction.set_rollback(True)
        return outcome

    return run


def _page(client: Client, path: str, method: str = "get", data: dict | None = None, status: int = 200):
    def action():
        response = getattr(client, method)(path, data) if data is not None else getattr(client, method)(path)
        if response.status_code != status:
            raise RuntimeError(f"{method.upper()} {path} answered {response.status_code} (expected {status})")
        return response

    return action


def _sql(statements: list) -> Callable[[], int]:
    def action():
        rows = 0
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                if cursor.description is not None:  # an INSERT/UPDATE without RETURNING has no rows
                    rows += len(cursor.fetchall())
        return rows

    return action


def _clients(env: Env) -> dict[str, Client]:
    clients = {}
    for persona, user in env.users.items():
        client = Client()
        client.force_login(user)
        # A measured session stands for a complete log-in: the second factor was passed (the middleware still
        # runs its check on every request, as in production).
        session = client.session
        mark_mfa_passed(session, user)
        session.save()
        clients[persona] = client
    return clients


def _takeover(env: Env) -> Detail:
    from . import takeover

    return Detail(takeover.import_twice(env.agence, env.users["collaborateur"]))


register(
    Measurement(
        "reprise_import",
        "Reprise de données : 2 000 prestataires, leurs bases, 5 000 utilisateurs, leurs inscriptions et 2 500 "
        "autorisations importés (lignes fautives refusées), puis réimportés (sans effet)",
        call=_takeover,
        rollback=True,
        repeat=1,
        warmup=0,
    )
)


def action_of(m: Measurement, env: Env, clients: dict[str, Client]) -> Callable[[], object] | None:
    """The request or call that `m` measures, rolled back if it writes; None for a raw-only measurement."""
    if m.path:
        data = m.data(env) if m.data else None
        action = _page(clients[m.persona], m.path(env), m.method, data, m.status)
    elif m.call:

        def action():
            return m.call(env)
    else:
        return None
    return _rolled_back(action) if m.rollback else action


def missing(m: Measurement, env: Env) -> str | None:
    absent = [name for name in m.needs if env.objects.get(name) is None]
    return f"n/a: no {', '.join(absent)} in the data" if absent else None


def measure_one(m: Measurement, env: Env, clients: dict[str, Client], repeat: int) -> dict:
    result = {"name": m.name, "label": m.label, "page": None, "queries": None, "raw": None, "admin": None}
    skipped = missing(m, env)
    if skipped:
        result["skipped"] = skipped
        return result
    repeat = min(m.repeat, repeat) if m.repeat else repeat

    if m.path:
        result["path"] = m.path(env)
        if m.method != "get":
            result["method"] = m.method.upper()
    if m.path or m.call:
        result["page"], result["queries"], outcome = _time(action_of(m, env, clients), repeat, m.warmup)
        if isinstance(outcome, Detail):
            result["detail"] = dict(outcome)
    if m.raw:
        raw_sql = _sql(m.raw(env))
        result["raw"], _q, rows = _time(_rolled_back(raw_sql) if m.rollback else raw_sql, repeat, m.warmup)
        result["raw"]["rows"] = rows
    if m.admin and (m.admin_model is None or admin.site.is_registered(m.admin_model)):
        result["admin_path"] = m.admin(env)
        result["admin"], result["admin_queries"], _ = _time(_page(clients["superuser"], result["admin_path"]), repeat)
    for other in ("raw", "admin"):
        if result["page"] and result[other]:
            result[f"page_vs_{other}"] = round(result["page"]["median_ms"] / max(result[other]["median_ms"], 0.01), 2)
    return result


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
        result = measure_one(m, env, clients, repeat)
        results.append(result)
        log(f"  {m.name:<24} {result.get('skipped', 'done')}")
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
        if r.get("skipped"):
            lines.append(f"{r['name']:<24} {r['skipped']}")
            continue
        lines.append(
            f"{r['name']:<24} {ms(r['page']):>18} {r['queries'] if r['queries'] is not None else '—':>7} "
            f"{ms(r['raw']):>16} {ms(r['admin']):>16} {r.get('page_vs_raw', '—'):>8} {r.get('page_vs_admin', '—'):>10}"
        )
        if r.get("detail"):
            lines.append(f"{'':<24} {', '.join(f'{k}: {v}' for k, v in r['detail'].items())}")
    return "\n".join(lines)
