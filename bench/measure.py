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
import os
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
from ale_platform.pdf import PDF_CACHE
from forem_liaison.models import Adressage, Conseiller
from prestataires.models import Prestataire
from prestations import services
from prestations.models import ChequeALE, GenerationFormulaires, Prestation
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
        worker = env.objects["prestataire"]
        env.users["prestataire"] = worker.compte if worker else None
        return env

    def pick_objects(self) -> None:
        """The request, worker, slot… the other measurements use; None (→ "n/a") when the data has none."""
        last_month = self.today.replace(day=1) - datetime.timedelta(days=1)
        self.objects["mois"] = last_month.replace(day=1)
        self.objects["utilisateur"] = Utilisateur.objects.filter(compte=self.client).first() if self.client else None
        self.objects["prestataire"] = (
            Prestataire.objects.filter(agence=self.agence, statut=Prestataire.Statut.ACTIF, compte__isnull=False)
            .annotate(n=Count("prestations"))
            .select_related("compte")
            .order_by("-n", "pk")
            .first()
        )
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
    before: Callable[[], None] | None = None  # run before each request, inside its time (e.g. forget the cached PDFs)


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


def _staff_list(name: str, label: str, path: str, raw_sql, admin_model_path: str, admin_model) -> Measurement:
    """A staff list of the busiest agency against the admin changelist of the same agency's rows."""
    return register(
        Measurement(
            name,
            label,
            persona="collaborateur",
            path=lambda env: path,
            raw=raw_sql,
            admin=lambda env: f"/admin/{admin_model_path}/?agence__id__exact={env.agence.pk}",
            admin_model=admin_model,
        )
    )


_staff_list(
    "utilisateurs",
    "Liste des utilisateurs (clients)",
    "/utilisateurs/",
    raw.client_list,
    "utilisateurs/utilisateur",
    Utilisateur,
)
_staff_list(
    "demandes", "Liste des demandes", "/utilisateurs/demandes/", raw.demande_list, "utilisateurs/demande", Demande
)
_staff_list(
    "prestations", "Liste des prestations", "/prestations/", raw.prestation_list, "prestations/prestation", Prestation
)
_staff_list("cheques", "Registre des chèques ALE", "/cheques/", raw.cheque_list, "prestations/chequeale", ChequeALE)
_staff_list(
    "adressages",
    "Adressages reçus du Forem (personnel)",
    "/adressages/",
    raw.staff_referrals,
    "forem_liaison/adressage",
    Adressage,
)
register(
    Measurement(
        "espace_prestataire",
        "Espace prestataire (« mon espace »)",
        persona="prestataire",
        needs=("prestataire",),
        path=lambda env: "/mon-espace/",
        raw=raw.worker_space,
        admin=lambda env: f"/admin/prestations/prestation/?prestataire__id__exact={env.objects['prestataire'].pk}",
        admin_model=Prestation,
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
        "formulaire_ale4_premier",
        "Le même ALE 4, ouvert pour la première fois (aucun PDF en mémoire : WeasyPrint le met en page)",
        persona="collaborateur",
        needs=("ale4",),
        path=lambda env: (
            f"/formulaires/{env.objects['ale4'].pk}/{env.objects['mois'].year}/{env.objects['mois'].month}/"
        ),
        raw=raw.formulaire,
        admin=lambda env: f"/admin/prestations/prestation/?prestataire__id__exact={env.objects['ale4'].pk}",
        admin_model=Prestation,
        repeat=10,
        before=PDF_CACHE.clear,
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
    """The background task itself, run in-process: every ALE 4 form of the agency's month in one ZIP, each laid
    out (no PDF kept in memory from an earlier run)."""
    PDF_CACHE.clear()
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


def _close_month(env: Env) -> Detail:
    """The page loads a collaborator needs to close last month, with the closing screen: the screen, "Valider
    tout le confirmé" (and the screen again, with the refusals), "Générer tous les formulaires" (and the
    generation's page). Next to it, today's way without that screen: the register's list (300 rows a page) to find
    the confirmed prestations, then per prestation its page and the POST of "Valider les heures" (and the page
    again after the redirect)."""
    client = _clients(env)["collaborateur"]  # its session is rolled back with the rest of the run
    mois = env.objects["mois"]
    confirmed = Prestation.objects.filter(
        agence=env.agence, date__year=mois.year, date__month=mois.month, statut=Prestation.Statut.EFFECTUEE
    ).count()
    loads = 0
    for method, path, data in (
        ("get", f"/cloture/?mois={mois:%Y-%m}", None),
        ("post", "/cloture/valider/", {"mois": f"{mois:%Y-%m}"}),
        ("post", "/formulaires/generations/", {"mois": f"{mois:%Y-%m}"}),
    ):
        response = getattr(client, method)(path, data, follow=True)
        if response.status_code != 200:
            raise RuntimeError(f"{method.upper()} {path} answered {response.status_code}")
        loads += 1 + len(response.redirect_chain)
    validated = Prestation.objects.filter(
        agence=env.agence, date__year=mois.year, date__month=mois.month, statut=Prestation.Statut.VALIDEE
    ).count()
    return Detail(
        confirmees=confirmed,
        pages_cloture=loads,
        pages_sans_cloture=-(-confirmed // 300) + 3 * confirmed + 2,
        validees_apres=validated,
    )


register(
    Measurement(
        "cloture_mois",
        "Clôture du mois précédent par un·e collaborateur·rice : pages chargées (écran de clôture) à côté de "
        "la validation prestation par prestation",
        call=_close_month,
        rollback=True,
        repeat=2,
        warmup=0,
    )
)


def _stats(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": round(statistics.median(ordered) * 1000, 2), "p95_ms": round(p95 * 1000, 2), "n": len(ordered)}


CLOCK_TICK = 1 / os.sysconf("SC_CLK_TCK")


def _backend_cpu() -> float | None:
    """CPU seconds (user + system) the PostgreSQL backend of this connection has used so far, from /proc.

    The server runs on this machine (127.0.0.1); its backend's pid comes with the connection (psycopg's
    `info.backend_pid`, no query). None on SQLite or when /proc does not show the process.
    """
    if connection.vendor != "postgresql":
        return None
    connection.ensure_connection()
    try:
        stat = Path(f"/proc/{connection.connection.info.backend_pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) * CLOCK_TICK  # utime, stime (fields 14 and 15 of stat)


@dataclass
class Samples:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # this Python process
    db_cpu: list[float] = field(default_factory=list)  # the PostgreSQL backend (0 when not measurable)

    def add(self, action: Callable[[], object]) -> None:
        db_before, cpu_before, started = _backend_cpu(), time.process_time(), time.perf_counter()
        action()
        wall, cpu, db_after = time.perf_counter() - started, time.process_time() - cpu_before, _backend_cpu()
        self.wall.append(wall)
        self.cpu.append(cpu)
        self.db_cpu.append(db_after - db_before if db_before is not None and db_after is not None else 0.0)

    def since(self, start: int) -> tuple[float, float]:
        """(wall, CPU) summed over the samples from `start`: one round's share."""
        return sum(self.wall[start:]), sum(self.cpu[start:]) + sum(self.db_cpu[start:])

    def report(self) -> dict:
        n = len(self.wall)
        return {
            **_stats(self.wall),
            # Per request, the mean: the backend's CPU is counted in clock ticks (10 ms), too coarse for a median.
            "cpu_ms": round(sum(self.cpu) / n * 1000, 2),
            "db_cpu_ms": round(sum(self.db_cpu) / n * 1000, 2),
        }


def _count_queries(action: Callable[[], object]) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        outcome = action()
    return sum(1 for q in captured.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL)), outcome


def _spread(values: list[float]) -> dict:
    return {
        "median": round(statistics.median(values), 2),
        "min": round(min(values), 2),
        "max": round(max(values), 2),
        "rounds": len(values),
    }


def _interleaved(actions: dict[str, Callable[[], object]], repeat: int, rounds: int, warmup: int) -> dict:
    """Times the page and what it is compared with request by request, so that every one sees the same machine.

    `repeat` requests of each are spread over `rounds` rounds; within a round the kinds alternate (page, admin,
    raw, page, admin, raw…), the order turning from one round to the next. Each round gives a ratio of the page
    to each other kind, by wall time and by CPU time (this process and the PostgreSQL backend together): their
    spread over the rounds is what a change must beat.
    """
    for _i in range(warmup):
        for action in actions.values():
            action()
    samples = {kind: Samples() for kind in actions}
    kinds = list(actions)
    rounds = max(1, min(rounds, repeat))
    per_round = [repeat // rounds + (1 if r < repeat % rounds else 0) for r in range(rounds)]
    ratios: dict[str, dict[str, list[float]]] = {kind: {"wall": [], "cpu": []} for kind in kinds[1:]}
    for r, count in enumerate(per_round):
        order = kinds[r % len(kinds) :] + kinds[: r % len(kinds)]
        start = {kind: len(samples[kind].wall) for kind in kinds}
        for _i in range(count):
            for kind in order:
                samples[kind].add(actions[kind])
        page_wall, page_cpu = samples[kinds[0]].since(start[kinds[0]])
        for kind in kinds[1:]:
            wall, cpu = samples[kind].since(start[kind])
            ratios[kind]["wall"].append(page_wall / max(wall, 1e-5))
            if cpu > 0:
                ratios[kind]["cpu"].append(page_cpu / cpu)
    reset_queries()
    return {
        "samples": {kind: s.report() for kind, s in samples.items()},
        "ratios": {kind: {how: _spread(v) for how, v in by.items() if v} for kind, by in ratios.items()},
    }


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
        if user is None:
            continue
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
    if m.before:
        inner = action

        def action():
            m.before()
            return inner()

    return _rolled_back(action) if m.rollback else action


def missing(m: Measurement, env: Env) -> str | None:
    absent = [name for name in m.needs if env.objects.get(name) is None]
    return f"n/a: no {', '.join(absent)} in the data" if absent else None


def measure_one(m: Measurement, env: Env, clients: dict[str, Client], repeat: int, rounds: int = 5) -> dict:
    result = {"name": m.name, "label": m.label, "page": None, "queries": None, "raw": None, "admin": None}
    skipped = missing(m, env)
    if skipped:
        result["skipped"] = skipped
        return result
    repeat = min(m.repeat, repeat) if m.repeat else repeat

    actions = {}
    if m.path:
        result["path"] = m.path(env)
        if m.method != "get":
            result["method"] = m.method.upper()
    if m.path or m.call:
        actions["page"] = action_of(m, env, clients)
        for _i in range(m.warmup):
            actions["page"]()
        result["queries"], outcome = _count_queries(actions["page"])
        if isinstance(outcome, Detail):
            result["detail"] = dict(outcome)
    if m.admin and (m.admin_model is None or admin.site.is_registered(m.admin_model)):
        result["admin_path"] = m.admin(env)
        actions["admin"] = _page(clients["superuser"], result["admin_path"])
        for _i in range(m.warmup):
            actions["admin"]()
        result["admin_queries"], _ = _count_queries(actions["admin"])
    if m.raw:
        raw_sql = _sql(m.raw(env))
        actions["raw"] = _rolled_back(raw_sql) if m.rollback else raw_sql
        _q, rows = _count_queries(actions["raw"])
    measured = _interleaved(actions, repeat, rounds, warmup=0)  # warmed up above, before counting
    for kind, report in measured["samples"].items():
        result[kind] = report
    if m.raw:
        result["raw"]["rows"] = rows
    if "page" in actions:
        for other, spread in measured["ratios"].items():
            result[f"page_vs_{other}"] = spread["wall"]["median"]
            result[f"page_vs_{other}_spread"] = spread
    return result


def run(
    repeat: int = 20, only: list[str] | None = None, env: Env | None = None, log=print, rounds: int = 5
) -> list[dict]:
    env = env or Env.build()
    clients = _clients(env)
    log(
        f"Measuring on {env.agence} ({env.agence.prestataires.filter(statut='actif').count()} active workers), "
        f"{repeat} runs of each (page, admin, raw SQL interleaved) in {rounds} rounds after {WARMUP} warm-ups…"
    )
    results = []
    for m in MEASUREMENTS:
        if only and m.name not in only:
            continue
        result = measure_one(m, env, clients, repeat, rounds)
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


def _ratio(r: dict, other: str, how: str) -> str:
    spread = (r.get(f"page_vs_{other}_spread") or {}).get(how)
    return f"{spread['median']:.2f} [{spread['min']:.2f}–{spread['max']:.2f}]" if spread else "—"


def _cpu(part: dict | None) -> str:
    return f"{part['cpu_ms'] + part['db_cpu_ms']:.1f}" if part else "—"


def table(results: list[dict]) -> str:
    """Ratios first (median over the rounds [min–max]), by wall time and by CPU time; milliseconds as footnotes."""
    header = (
        f"{'measurement':<24} {'q':>3} {'page/admin wall':>19} {'page/admin CPU':>19} {'page/raw wall':>19} "
        f"{'page ms med/p95':>16} {'CPU ms page/admin/raw':>22}"
    )
    lines = [header, "-" * len(header)]
    for r in results:
        if r.get("skipped"):
            lines.append(f"{r['name']:<24} {r['skipped']}")
            continue
        page = r["page"]
        cpu = "/".join(_cpu(r.get(kind)) for kind in ("page", "admin", "raw"))
        ms = f"{page['median_ms']:.1f}/{page['p95_ms']:.1f}" if page else "—"
        lines.append(
            f"{r['name']:<24} {r['queries'] if r['queries'] is not None else '—':>3} "
            f"{_ratio(r, 'admin', 'wall'):>19} {_ratio(r, 'admin', 'cpu'):>19} {_ratio(r, 'raw', 'wall'):>19} "
            f"{ms:>16} {cpu:>22}"
        )
        if r.get("detail"):
            lines.append(f"{'':<24} {', '.join(f'{k}: {v}' for k, v in r['detail'].items())}")
    lines.append("CPU = this process (time.process_time) + its PostgreSQL backend (/proc/<pid>/stat), per request.")
    return "\n".join(lines)
