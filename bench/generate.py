"""The data generator: Wallonia's ALEs on one deployment, at `scale` (1.0 = full size).

Full size: 250 agencies, 6,000 workers, 25,000 clients, 5 years of prestations (~2 million rows),
20,000 Forem referrals. Each table has a small generator function registered in `GENERATORS`, run in
order; they share a `Context` (random source, dates, the ids written so far). To add a table (vouchers,
feedback…): write `@generator("cheques") def cheques(ctx): ...` after the generators it depends on, read
what you need from `ctx` (e.g. `ctx.prestations_by_month`) and write rows with `ctx.writer.write(...)`.

Big tables go through PostgreSQL COPY (psycopg 3 `cursor.copy`), small ones through the same writer
(bulk_create on SQLite, used by the smoke test).
"""

import datetime
import random
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from ale_platform.identifiers import build_bce, build_niss
from ale_platform.models import Activite, Agence, AgenceMembership, Role, TypeUtilisateur, User
from forem_liaison.models import Adressage, BureauForem, Conseiller
from prestataires.models import ContratALE, Disponibilite, OrganismePaiement, Prestataire
from prestations.models import Prestation
from utilisateurs.models import Autorisation, Creneau, Demande, Inscription, Utilisateur

from .communes import COMMUNES, NOMS, PRENOMS, RUES

FULL = {"agences": 250, "prestataires": 6000, "utilisateurs": 25000, "prestations": 2_000_000, "adressages": 20000}
YEARS = 5
PASSWORD = "!bench-unusable"  # noqa: S105 - an unusable password hash: nobody logs in with a password
T = TypeUtilisateur
ACTIVITES = [
    ("Petit jardinage", Activite.Categorie.MAJOREE, [T.PARTICULIER, T.ASBL, T.AUTORITE_LOCALE]),
    ("Petits travaux d'entretien", Activite.Categorie.GENERALE, [T.PARTICULIER, T.ASBL, T.AUTORITE_LOCALE]),
    ("Garde d'enfants", Activite.Categorie.GENERALE, [T.PARTICULIER]),
    ("Accompagnement de personnes âgées ou malades", Activite.Categorie.MAJOREE, [T.PARTICULIER]),
    ("Aide administrative", Activite.Categorie.GENERALE, [T.PARTICULIER]),
    ("Surveillance de midi et accueil extrascolaire", Activite.Categorie.MAJOREE, [T.ENSEIGNEMENT]),
    ("Accompagnement sur le chemin de l'école", Activite.Categorie.MAJOREE, [T.ENSEIGNEMENT, T.AUTORITE_LOCALE]),
    ("Aide lors d'événements", Activite.Categorie.GENERALE, [T.ASBL, T.AUTORITE_LOCALE]),
    ("Travaux saisonniers agricoles ou horticoles", Activite.Categorie.AGRICOLE, [T.AGRICOLE]),
]
# Mostly individuals and schools (ale-rules.md: the five kinds of clients).
CLIENT_TYPES = [
    (T.PARTICULIER, 0.70),
    (T.ENSEIGNEMENT, 0.14),
    (T.AUTORITE_LOCALE, 0.06),
    (T.ASBL, 0.07),
    (T.AGRICOLE, 0.03),
]
WORKER_STATUTS = [("actif", 0.65), ("sorti", 0.22), ("inscrit", 0.08), ("suspendu", 0.05)]
MONTHLY_CAP = 45  # general cap; agricultural relations may go up to AGRICULTURAL_CAP in total
AGRICULTURAL_CAP = 100
YEARLY_CAP = 600


@dataclass
class Relation:
    """A recurring job: one worker for one client and activity, one weekday, over a stretch of weeks."""

    demande_id: int
    agence_id: int
    prestataire_id: int
    utilisateur_id: int
    activite_id: int
    agricole: bool
    start: datetime.date
    end: datetime.date
    weekday: int
    debut: datetime.time
    heures: Decimal
    every: int  # weeks between sessions


@dataclass
class Context:
    scale: float
    today: datetime.date
    rng: random.Random
    writer: object
    log: Callable[[str], None] = print
    agences: list[int] = field(default_factory=list)
    agence_weights: list[float] = field(default_factory=list)
    collaborateurs: dict[int, list[int]] = field(default_factory=dict)  # agence -> user ids (admin first)
    activites: dict[int, list[tuple[int, str, list[str]]]] = field(default_factory=dict)
    prestataires: list[tuple[int, int, str, datetime.date, datetime.date]] = field(default_factory=list)
    utilisateurs: dict[int, list[tuple[int, str, datetime.date]]] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    open_demandes: list[int] = field(default_factory=list)  # requests still waiting for a worker
    conseillers: list[int] = field(default_factory=list)
    bureau_of: dict[int, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def n(self, key: str, minimum: int = 2) -> int:
        return max(minimum, round(FULL[key] * self.scale))

    @property
    def window_start(self) -> datetime.date:
        return self.today - datetime.timedelta(days=365 * YEARS)

    def day_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        span = (end - start).days
        return start + datetime.timedelta(days=self.rng.randint(0, max(span, 0)))

    def aware(self, day: datetime.date, hour: int = 9) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


GENERATORS: list[tuple[str, Callable[[Context], int]]] = []


def generator(name: str):
    """Register a table generator; generators run in registration order."""

    def register(fn):
        GENERATORS.append((name, fn))
        return fn

    return register


def _person(rng) -> tuple[str, str]:
    return rng.choice(NOMS), rng.choice(PRENOMS)


def _niss(rng, serial: int, born_from: int = 1960, born_to: int = 2004) -> str:
    birth = datetime.date(rng.randint(born_from, born_to), rng.randint(1, 12), rng.randint(1, 28))
    return build_niss(birth, 1 + serial % 997)


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


@generator("agences")
def agences(ctx: Context) -> int:
    count = ctx.n("agences")
    ids = ctx.writer.ids(Agence, count)
    rows = []
    for i, pk in enumerate(ids):
        code, commune = COMMUNES[i % len(COMMUNES)]
        nom = f"ALE de {commune}" if i < len(COMMUNES) else f"ALE de {commune} ({i // len(COMMUNES) + 1})"
        slug = "".join(ch for ch in commune.lower() if ch.isalnum())[:20]
        prix = Decimal("5.95") if ctx.rng.random() < 0.8 else Decimal("6.20")
        rows.append(
            (
                pk,
                nom,
                build_bce(40_000_000 + pk),
                f"{ctx.rng.choice(RUES)} {ctx.rng.randint(1, 120)}",
                code,
                commune,
                [commune],
                f"info{pk}@ale-{slug}.be",
                f"0{ctx.rng.randint(10, 87)} {pk:02d} 12 34",
                prix,
            )
        )
    columns = [
        "id",
        "nom",
        "bce",
        "rue",
        "code_postal",
        "commune",
        "communes_desservies",
        "email",
        "telephone",
        "prix_cheque",
    ]
    ctx.writer.write(Agence, columns, rows)
    ctx.agences = list(ids)
    # A few big urban agencies, many small rural ones (log-normal sizes).
    ctx.agence_weights = [ctx.rng.lognormvariate(0, 0.6) for _ in ids]
    return count


def _write_users(ctx: Context, specs: list[tuple[str, str, str, str, bool]]) -> list[int]:
    """specs: (email, first_name, last_name, role, is_superuser) -> user ids."""
    ids = ctx.writer.ids(User, len(specs))
    rows = [
        (pk, PASSWORD, su, first, last, su, True, email, role)
        for pk, (email, first, last, role, su) in zip(ids, specs, strict=True)
    ]
    columns = ["id", "password", "is_superuser", "first_name", "last_name", "is_staff", "is_active", "email", "role"]
    ctx.writer.write(User, columns, rows)
    return list(ids)


def _give_totp(ctx: Context, user_ids: list[int]) -> None:
    """Staff and advisers must use MFA: a TOTP device lets the middleware through, as in production."""
    from allauth.mfa.models import Authenticator

    Authenticator.objects.bulk_create(
        Authenticator(user_id=pk, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}) for pk in user_ids
    )


@generator("collaborateurs")
def collaborateurs(ctx: Context) -> int:
    specs, owners = [], []
    for agence, weight in zip(ctx.agences, ctx.agence_weights, strict=True):
        for k in range(2 + min(4, int(weight * 1.5))):
            nom, prenom = _person(ctx.rng)
            specs.append((f"collab{len(specs) + 1}.{agence}@ale-bench.be", prenom, nom, Role.COLLABORATEUR, False))
            owners.append((agence, k == 0))
    specs.append(("admin@ale-bench.be", "Admin", "Plateforme", "", True))
    ids = _write_users(ctx, specs)
    membership_ids = ctx.writer.ids(AgenceMembership, len(owners))
    rows = []
    for mid, uid, (agence, is_admin) in zip(membership_ids, ids, owners, strict=False):
        rows.append((mid, uid, agence, is_admin))
        ctx.collaborateurs.setdefault(agence, []).append(uid)
    ctx.writer.write(AgenceMembership, ["id", "user_id", "agence_id", "is_admin"], rows)
    _give_totp(ctx, ids)
    return len(ids)


@generator("activites")
def activites(ctx: Context) -> int:
    ids = iter(ctx.writer.ids(Activite, len(ctx.agences) * len(ACTIVITES)))
    rows = []
    for agence in ctx.agences:
        for nom, categorie, types in ACTIVITES:
            pk = next(ids)
            rows.append((pk, agence, nom, categorie, [str(t) for t in types], True))
            ctx.activites.setdefault(agence, []).append((pk, str(categorie), [str(t) for t in types]))
    ctx.writer.write(Activite, ["id", "agence_id", "nom", "categorie", "types_utilisateurs", "active"], rows)
    return len(rows)


@generator("forem")
def forem(ctx: Context) -> int:
    bureaux = max(2, round(30 * ctx.scale))
    bureau_ids = ctx.writer.ids(BureauForem, bureaux)
    communes = ctx.rng.sample(COMMUNES, bureaux) if bureaux <= len(COMMUNES) else COMMUNES * 2
    ctx.writer.write(
        BureauForem,
        ["id", "nom", "commune"],
        [(pk, f"Forem {c} ({pk})", c) for pk, (_code, c) in zip(bureau_ids, communes, strict=False)],
    )
    count = max(2, round(150 * ctx.scale))
    specs = []
    for i in range(count):
        nom, prenom = _person(ctx.rng)
        specs.append((f"conseiller{i + 1}@forem-bench.be", prenom, nom, Role.CONSEILLER, False))
    user_ids = _write_users(ctx, specs)
    ids = ctx.writer.ids(Conseiller, count)
    ctx.writer.write(
        Conseiller,
        ["id", "user_id", "bureau_id"],
        conseiller_rows := [(pk, uid, ctx.rng.choice(bureau_ids)) for pk, uid in zip(ids, user_ids, strict=True)],
    )
    _give_totp(ctx, user_ids)
    ctx.conseillers = list(ids)
    ctx.bureau_of = {pk: bureau for pk, _uid, bureau in conseiller_rows}
    return count


@generator("prestataires")
def prestataires(ctx: Context) -> int:
    count = ctx.n("prestataires", minimum=3)
    ids = ctx.writer.ids(Prestataire, count)
    with_account = [pk for pk in ids if ctx.rng.random() < 0.4]
    account_ids = dict(
        zip(
            with_account,
            _write_users(
                ctx,
                [
                    (f"prestataire{pk}@bench.example.be", *_person(ctx.rng)[::-1], Role.PRESTATAIRE, False)
                    for pk in with_account
                ],
            ),
            strict=True,
        )
    )
    start_floor = ctx.window_start - datetime.timedelta(days=730)
    rows = []
    for pk in ids:
        agence = ctx.rng.choices(ctx.agences, ctx.agence_weights)[0]
        statut = _weighted(ctx.rng, WORKER_STATUTS)
        if statut == "sorti":
            start = ctx.day_between(
                ctx.window_start - datetime.timedelta(days=365), ctx.today - datetime.timedelta(180)
            )
            end = min(start + datetime.timedelta(weeks=ctx.rng.randint(12, 160)), ctx.today - datetime.timedelta(30))
        elif statut == "inscrit":
            start = end = ctx.today
        else:
            start = max(ctx.day_between(start_floor, ctx.today - datetime.timedelta(30)), ctx.window_start)
            end = ctx.today + datetime.timedelta(days=28)
            if statut == "suspendu":
                end = ctx.today - datetime.timedelta(days=ctx.rng.randint(0, 60))
        code, commune = ctx.rng.choice(COMMUNES)
        nom, prenom = _person(ctx.rng)
        organisme = ctx.rng.choice(OrganismePaiement.values)
        rows.append(
            (
                pk,
                agence,
                account_ids.get(pk),
                nom,
                prenom,
                _niss(ctx.rng, pk),
                f"{ctx.rng.choice(RUES)} {ctx.rng.randint(1, 200)}",
                code,
                commune,
                f"04{ctx.rng.randint(70, 99)} {pk % 1000000:06d}",
                statut,
                organisme,
                "CPAS de " + commune if organisme == "cpas" else "",
                ctx.aware(start),
            )
        )
        ctx.prestataires.append((pk, agence, statut, start, end))
    columns = [
        "id",
        "agence_id",
        "compte_id",
        "nom",
        "prenom",
        "niss",
        "rue",
        "code_postal",
        "commune",
        "telephone",
        "statut",
        "organisme_paiement",
        "cpas",
        "created_at",
    ]
    ctx.writer.write(Prestataire, columns, rows)
    return count


@generator("utilisateurs")
def utilisateurs(ctx: Context) -> int:
    count = ctx.n("utilisateurs", minimum=len(ctx.agences) * len(CLIENT_TYPES))
    ids = list(ctx.writer.ids(Utilisateur, count))
    # Every agency gets one client of each type, the rest are spread by agency size.
    agences = [a for a in ctx.agences for _t in CLIENT_TYPES]
    agences += ctx.rng.choices(ctx.agences, ctx.agence_weights, k=count - len(agences))
    types = [t for _a in ctx.agences for t, _w in CLIENT_TYPES]
    types += [_weighted(ctx.rng, CLIENT_TYPES) for _ in range(count - len(types))]
    # A third of the individuals have an account; at least one per agency (the client persona of the benchmark).
    first_of_each = len(ctx.agences) * len(CLIENT_TYPES)
    particuliers = [
        pk
        for i, (pk, t) in enumerate(zip(ids, types, strict=True))
        if t == T.PARTICULIER and (i < first_of_each or ctx.rng.random() < 0.3)
    ]
    account_ids = dict(
        zip(
            particuliers,
            _write_users(
                ctx,
                [(f"client{pk}@bench.example.be", *_person(ctx.rng)[::-1], Role.CLIENT, False) for pk in particuliers],
            ),
            strict=True,
        )
    )
    labels = {
        T.ENSEIGNEMENT: "École communale",
        T.AUTORITE_LOCALE: "Administration communale",
        T.ASBL: "ASBL Les Amis",
        T.AGRICOLE: "Ferme",
    }
    rows = []
    for pk, agence, kind in zip(ids, agences, types, strict=True):
        code, commune = ctx.rng.choice(COMMUNES)
        nom, prenom = _person(ctx.rng)
        if kind != T.PARTICULIER:
            nom, prenom = f"{labels[kind]} {nom}", ""
        created = ctx.day_between(ctx.window_start - datetime.timedelta(days=1095), ctx.today)
        created = max(created, ctx.window_start)
        rows.append(
            (
                pk,
                agence,
                account_ids.get(pk),
                kind,
                nom,
                prenom,
                f"{ctx.rng.choice(RUES)} {ctx.rng.randint(1, 200)}",
                code,
                commune,
                f"08{ctx.rng.randint(10, 99)} {pk % 1000000:06d}",
                ctx.aware(created),
                _client_niss(pk) if kind == T.PARTICULIER else "",
                "" if kind == T.PARTICULIER else build_bce(1_000_000 + pk),
            )
        )
        ctx.utilisateurs.setdefault(agence, []).append((pk, str(kind), created))
    columns = [
        "id",
        "agence_id",
        "compte_id",
        "type",
        "nom",
        "prenom",
        "rue",
        "code_postal",
        "commune",
        "telephone",
        "created_at",
        "niss",
        "bce",
    ]
    ctx.writer.write(Utilisateur, columns, rows)
    return count


def _client_niss(pk: int) -> str:
    """A valid NISS, unique per client id (an individual client is identified by it)."""
    birth = datetime.date(1940, 1, 1) + datetime.timedelta(days=pk % 20000)
    return build_niss(birth, 1 + (pk // 20000) % 997)


@generator("demandes")
def demandes(ctx: Context) -> int:
    """Plan the recurring jobs (one Demande each) and a few open requests still waiting for a worker."""
    rng = ctx.rng
    clients_by_type: dict[tuple[int, str], list[int]] = defaultdict(list)
    for agence, clients in ctx.utilisateurs.items():
        for pk, kind, _created in clients:
            clients_by_type[(agence, kind)].append(pk)
    planned = []
    for worker, agence, statut, start, end in ctx.prestataires:
        if statut == "inscrit":
            continue
        for _slot in range(rng.choice([2, 3, 3, 4, 4])):
            t = start + datetime.timedelta(days=rng.randint(0, 60))
            while t < end:
                activite, categorie, types = rng.choice(ctx.activites[agence])
                clients = [c for kind in types for c in clients_by_type.get((agence, kind), [])]
                rel_end = min(t + datetime.timedelta(weeks=rng.randint(8, 80)), end)
                if clients:
                    agricole = categorie == Activite.Categorie.AGRICOLE
                    heures = Decimal(rng.choice([4, 5, 6, 7, 8] if agricole else [1.5, 2, 2, 2.5, 3, 3, 3.5]))
                    planned.append(
                        (
                            (agence, rng.choice(clients), activite),
                            worker,
                            agricole,
                            t,
                            rel_end,
                            rng.randint(0, 5 if agricole else 4),
                            heures,
                            1 if rng.random() < 0.8 else 2,
                        )
                    )
                t = rel_end + datetime.timedelta(weeks=rng.randint(1, 6))
    open_count = 5 * len(ctx.agences)  # requests waiting for a worker, per agency
    ids = iter(ctx.writer.ids(Demande, len(planned) + open_count))
    rows = []
    for (agence, client, activite), worker, agricole, t, rel_end, weekday, heures, every in planned:
        pk = next(ids)
        hour = rng.randint(8, 14)
        statut = "terminee" if rel_end < ctx.today else "planifiee"
        creator = rng.choice(ctx.collaborateurs[agence])
        rows.append((pk, agence, client, activite, "Prestation récurrente", statut, 1, creator, ctx.aware(t)))
        ctx.relations.append(
            Relation(
                pk,
                agence,
                worker,
                client,
                activite,
                agricole,
                t,
                rel_end,
                weekday,
                datetime.time(hour, rng.choice([0, 15, 30, 45])),
                heures,
                every,
            )
        )
    for _ in range(open_count):
        agence = rng.choice(ctx.agences)
        client, kind, _created = rng.choice(ctx.utilisateurs[agence])
        activite = next((a for a, _c, types in ctx.activites[agence] if kind in types), ctx.activites[agence][0][0])
        created = ctx.today - datetime.timedelta(days=rng.randint(0, 20))
        ctx.open_demandes.append(next(ids))
        rows.append(
            (
                ctx.open_demandes[-1],
                agence,
                client,
                activite,
                "Demande en attente d'un·e prestataire",
                rng.choice(["nouvelle", "en_recherche"]),
                1,
                rng.choice(ctx.collaborateurs[agence]),
                ctx.aware(created),
            )
        )
    columns = [
        "id",
        "agence_id",
        "utilisateur_id",
        "activite_id",
        "description",
        "statut",
        "nombre_prestataires",
        "created_by_id",
        "created_at",
        "cle_idempotence",
    ]
    rows = [(*row, uuid.UUID(int=rng.getrandbits(128))) for row in rows]
    ctx.writer.write(Demande, columns, rows)
    return len(rows)


def _prestation_statut(rng, day: datetime.date, today: datetime.date) -> str:
    if day > today:
        return "planifiee"
    age = (today - day).days
    r = rng.random()
    if age <= 14:
        return "planifiee" if r < 0.5 else "effectuee" if r < 0.9 else "annulee"
    if age <= 60:
        return "validee" if r < 0.7 else "effectuee" if r < 0.95 else "annulee"
    return "validee" if r < 0.93 else "annulee" if r < 0.97 else "absence"


@generator("prestations")
def prestations(ctx: Context) -> int:
    """Weekly sessions of each relation, thinned to the target count, never above the worker's caps."""
    rng, today = ctx.rng, ctx.today
    sessions = sum(((r.end - r.start).days // 7) // r.every + 1 for r in ctx.relations)
    target = ctx.n("prestations", minimum=50)
    keep = min(1.0, target / sessions) if sessions else 0
    month_hours: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    month_general: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    year_hours: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    id_range = ctx.writer.ids(Prestation, 0)  # only to read the first free id
    next_id = id_range.start
    created_at: dict[datetime.date, datetime.datetime] = {}
    cap = Decimal(MONTHLY_CAP)
    cap_agri = Decimal(AGRICULTURAL_CAP)
    cap_year = Decimal(YEARLY_CAP)
    first_creator = {a: users[0] for a, users in ctx.collaborateurs.items()}
    window_start = ctx.window_start

    def rows():
        nonlocal next_id
        for r in ctx.relations:
            first = r.start + datetime.timedelta(days=(r.weekday - r.start.weekday()) % 7)
            step = datetime.timedelta(weeks=r.every)
            fin = (datetime.datetime.combine(today, r.debut) + datetime.timedelta(hours=float(r.heures))).time()
            day = first
            while day <= r.end:
                if day >= window_start and rng.random() < keep:
                    month = (r.prestataire_id, day.year * 12 + day.month)
                    year = (r.prestataire_id, day.year)
                    total = month_hours[month] + r.heures
                    general = month_general[month] + (0 if r.agricole else r.heures)
                    if (
                        total <= (cap_agri if r.agricole else cap)
                        and general <= cap
                        and year_hours[year] + r.heures <= cap_year
                    ):
                        month_hours[month] = total
                        month_general[month] = general
                        year_hours[year] += r.heures
                        if day not in created_at:
                            created_at[day] = ctx.aware(min(day, today), 18)
                        statut = _prestation_statut(rng, day, today)
                        yield (
                            next_id,
                            r.agence_id,
                            r.prestataire_id,
                            r.utilisateur_id,
                            r.activite_id,
                            r.demande_id,
                            day,
                            r.debut,
                            fin,
                            r.heures,
                            statut,
                            first_creator[r.agence_id],
                            created_at[day],
                            created_at[day] if statut == "validee" else None,
                        )
                        next_id += 1
                day += step

    columns = [
        "id",
        "agence_id",
        "prestataire_id",
        "utilisateur_id",
        "activite_id",
        "demande_id",
        "date",
        "debut",
        "fin",
        "heures",
        "statut",
        "created_by_id",
        "created_at",
        "validee_le",
    ]
    count = ctx.writer.write(Prestation, columns, rows())
    ctx.writer.ids(Prestation, count)
    return count


@generator("inscriptions")
def inscriptions(ctx: Context) -> int:
    """One registration per client and calendar year of activity; a third already renewed for next year."""
    rng, today = ctx.rng, ctx.today
    years: dict[int, set[int]] = defaultdict(set)
    for r in ctx.relations:
        years[r.utilisateur_id].update(range(max(r.start, ctx.window_start).year, min(r.end, today).year + 1))
    rows_spec = []
    for clients in ctx.utilisateurs.values():
        for pk, _kind, created in clients:
            client_years = years[pk] | set(range(created.year, min(created.year + rng.randint(0, 4), today.year) + 1))
            if today.year in client_years and rng.random() < 0.3:
                client_years.add(today.year + 1)
            rows_spec.extend((pk, y) for y in sorted(client_years))
    ids = ctx.writer.ids(Inscription, len(rows_spec))
    rows = []
    for pk, (client, year) in zip(ids, rows_spec, strict=True):
        paid = (
            datetime.date(year - 1, 12, rng.randint(1, 28))
            if year > today.year
            else datetime.date(year, rng.randint(1, 2), rng.randint(1, 28))
        )
        validee = year < today.year or rng.random() < 0.95
        rows.append(
            (pk, client, year, Decimal("7.44"), paid if validee else None, validee, ctx.aware(min(paid, today)))
        )
    ctx.writer.write(
        Inscription, ["id", "utilisateur_id", "annee", "cotisation", "payee_le", "validee", "created_at"], rows
    )
    return len(rows)


@generator("autorisations")
def autorisations(ctx: Context) -> int:
    """One authorisation per client and activity, covering all its jobs (some expire within 30 days)."""
    spans: dict[tuple[int, int], list[datetime.date]] = {}
    for r in ctx.relations:
        span = spans.setdefault((r.utilisateur_id, r.activite_id), [r.start, r.end])
        span[0], span[1] = min(span[0], r.start), max(span[1], r.end)
    ids = ctx.writer.ids(Autorisation, len(spans))
    rows = []
    for pk, ((client, activite), (start, end)) in zip(ids, spans.items(), strict=True):
        fin = end + datetime.timedelta(days=ctx.rng.randint(0, 120))
        rows.append((pk, client, activite, f"{2_000_000_000 + pk:010d}", start, fin, ctx.aware(start)))
    ctx.writer.write(
        Autorisation, ["id", "utilisateur_id", "activite_id", "numero", "debut", "fin", "created_at"], rows
    )
    return len(rows)


MOTIFS = [
    "Remise au travail progressive après une longue période d'inactivité.",
    "Souhaite des prestations en jardinage près de son domicile.",
    "Expérience en garde d'enfants, cherche des missions en semaine.",
    "Bénéficiaire du RIS orienté·e par le CPAS, à accompagner.",
]


@generator("adressages")
def adressages(ctx: Context) -> int:
    rng = ctx.rng
    count = ctx.n("adressages")
    ids = ctx.writer.ids(Adressage, count)
    rows = []
    for pk in ids:
        day = ctx.day_between(ctx.window_start, ctx.today)
        etat = "recu" if (ctx.today - day).days < 45 and rng.random() < 0.7 else "cloture"
        nom, prenom = _person(rng)
        conseiller = rng.choice(ctx.conseillers)
        rows.append(
            (
                pk,
                conseiller,
                ctx.bureau_of[conseiller],
                True,
                day,
                "" if etat == "recu" else rng.choice(["emploi", "formation", "sans_suite", "demenagement", "fin_plan"]),
                ctx.aware(day),
                rng.choices(ctx.agences, ctx.agence_weights)[0],
                nom,
                prenom,
                _niss(rng, pk, 1965, 2005),
                day,
                rng.choice(MOTIFS),
                etat,
                ctx.aware(day),
            )
        )
    columns = [
        "id",
        "conseiller_id",
        "bureau_id",
        "consentement_partage",
        "consentement_le",
        "issue",
        "updated_at",
        "agence_id",
        "nom",
        "prenom",
        "niss",
        "date_adressage",
        "motif",
        "etat",
        "created_at",
    ]
    ctx.writer.write(Adressage, columns, rows)
    return count


@generator("creneaux")
def creneaux(ctx: Context) -> int:
    """The wished dates of the open requests: one to twelve weekly sessions from next week (what matching reads)."""
    rng = ctx.rng
    rows = []
    for demande in ctx.open_demandes:
        day = ctx.today + datetime.timedelta(days=7 + rng.randint(0, 6))
        while day.weekday() > 4:
            day += datetime.timedelta(days=1)
        debut = datetime.time(rng.randint(8, 14), rng.choice([0, 30]))
        fin = datetime.time(debut.hour + rng.choice([2, 3]), debut.minute)
        rows.extend((demande, day + datetime.timedelta(weeks=week), debut, fin) for week in range(rng.randint(1, 12)))
    ids = ctx.writer.ids(Creneau, len(rows))
    ctx.writer.write(
        Creneau, ["id", "demande_id", "date", "debut", "fin"], [(pk, *row) for pk, row in zip(ids, rows, strict=True)]
    )
    return len(rows)


@generator("aptitudes")
def aptitudes(ctx: Context) -> int:
    """What matching checks of each worker: a signed ALE contract, the activities accepted, weekly half-days."""
    rng = ctx.rng
    contrats, activites, dispos = [], [], []
    for worker, agence, statut, start, end in ctx.prestataires:
        if statut == "inscrit":
            continue
        contrats.append((worker, start, start, end if statut == "sorti" else None))
        for activite, _categorie, _types in rng.sample(ctx.activites[agence], min(3, len(ctx.activites[agence]))):
            activites.append((worker, activite))
        for jour in rng.sample(range(6), rng.randint(2, 5)):
            for half in rng.sample(["matin", "apres_midi"], rng.randint(1, 2)):
                dispos.append((worker, jour, half))
    through = Prestataire.activites.through
    written = 0
    for model, columns, rows in (
        (ContratALE, ["prestataire_id", "date_debut", "date_signature", "date_fin"], contrats),
        (through, ["prestataire_id", "activite_id"], activites),
        (Disponibilite, ["prestataire_id", "jour", "demi_journee"], dispos),
    ):
        ids = ctx.writer.ids(model, len(rows))
        written += ctx.writer.write(model, ["id", *columns], [(pk, *row) for pk, row in zip(ids, rows, strict=True)])
    return written


def wipe() -> None:
    """Empty every table of the database (Django's `flush`); only ever called on the benchmark database."""
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)


def run(scale: float = 1.0, seed: int = 2026, today: datetime.date | None = None, log=print) -> dict[str, dict]:
    """Run every registered generator; {name: {"rows": n, "seconds": s}}. Then ANALYZE (PostgreSQL)."""
    from .writer import Writer

    ctx = Context(scale=scale, today=today or timezone.localdate(), rng=random.Random(seed), writer=Writer(), log=log)
    report = {}
    with transaction.atomic():
        for name, fn in GENERATORS:
            started = time.perf_counter()
            rows = fn(ctx)
            seconds = time.perf_counter() - started
            report[name] = {"rows": rows, "seconds": round(seconds, 2)}
            log(f"  {name:<16} {rows:>10,} rows  {seconds:7.1f} s")
        from django.apps import apps

        ctx.writer.reset_sequences([apps.get_model(label) for label in ctx.writer.written])
        started = time.perf_counter()
        ctx.writer.finish()
        report["indexes"] = {"rows": 0, "seconds": round(time.perf_counter() - started, 2)}
        log(f"  {'indexes, FKs':<16} {'':>10}       {report['indexes']['seconds']:7.1f} s")
    if connection.vendor == "postgresql":
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        report["analyze"] = {"rows": 0, "seconds": round(time.perf_counter() - started, 2)}
        log(f"  {'ANALYZE':<16} {'':>10}       {report['analyze']['seconds']:7.1f} s")
    return report
