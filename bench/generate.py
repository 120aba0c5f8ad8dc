"""The data generator: Wallonia's ALEs on one deployment, at `scale` (1.0 = full size).

Full size: 250 agencies, 6,000 workers, 25,000 clients, 5 years of prestations (~1.9 million rows), the
voucher register (~4.8 million rows: one paper voucher per hour started, or one electronic record per
prestation), 20,000 Forem referrals with their transition log and feedback entries. Each table has a small
generator function registered in `GENERATORS`, run in order; they share a `Context` (random source, dates,
the ids written so far, compact arrays of the prestations worked). To add a table: write
`@generator("name") def name(ctx): ...` after the generators it depends on, read what you need from `ctx`
(e.g. `ctx.worked`, `ctx.parcours`) and write rows with `ctx.writer.write(...)`, from a generator
function for big tables so that rows stream.

Big tables go through PostgreSQL COPY (psycopg 3 `cursor.copy`), small ones through the same writer
(bulk_create on SQLite, used by the smoke test).
"""

import datetime
import random
import time
import uuid
from array import array
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from ale_platform.demo import ACTIVITES  # the same catalogue as the demo agencies
from ale_platform.geo.addresses import normalise
from ale_platform.geo.communes import CENTROIDES
from ale_platform.identifiers import build_bce, build_niss
from ale_platform.models import Activite, Agence, AgenceMembership, Role, TypeUtilisateur, User
from forem_liaison.faits import seuil_evaluation
from forem_liaison.models import (
    Adressage,
    BureauForem,
    CategorieAttente,
    Conseiller,
    ParametresForem,
    ReponseRetour,
    RetourAdressage,
    TransitionAdressage,
)
from prestataires.models import ContratALE, Disponibilite, OrganismePaiement, Prestataire, SituationEligibilite
from prestations.models import ChequeALE, Prestation
from prestations.rulebook import vouchers_due
from prestations.rulebook.law import SEED as SEED_LAW
from utilisateurs.models import Autorisation, Creneau, Demande, Inscription, Utilisateur

from .communes import COMMUNES, NOMS, PRENOMS, RUES

FULL = {"agences": 250, "prestataires": 6000, "utilisateurs": 25000, "prestations": 2_000_000, "adressages": 20000}
YEARS = 5
PASSWORD = "!bench-unusable"  # noqa: S105 - an unusable password hash: nobody logs in with a password
T = TypeUtilisateur
# Mostly individuals and schools (ale-rules.md: the five kinds of clients).
CLIENT_TYPES = [
    (T.PARTICULIER, 0.70),
    (T.ENSEIGNEMENT, 0.14),
    (T.AUTORITE_LOCALE, 0.06),
    (T.ASBL, 0.07),
    (T.AGRICOLE, 0.03),
]
WORKER_STATUTS = [("actif", 0.65), ("sorti", 0.22), ("inscrit", 0.08), ("suspendu", 0.05)]
# The caps and the voucher count come from the rule book (the law of the generated agencies' region), so the
# generated hours obey the same rules as the application: general hours ≤ the general cap, a month with
# agriculture ≤ the agricultural cap, the year ≤ the annual cap.
LAW = SEED_LAW[0]


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
class Worked:
    """The prestations worked (effectuée or validée), kept compactly (~14 bytes each) for the voucher generator."""

    ids: array = field(default_factory=lambda: array("q"))
    agences: array = field(default_factory=lambda: array("l"))
    utilisateurs: array = field(default_factory=lambda: array("l"))
    days: array = field(default_factory=lambda: array("l"))  # date.toordinal()
    quarters: array = field(default_factory=lambda: array("h"))  # heures * 4
    validated: array = field(default_factory=lambda: array("b"))

    def add(self, pk, agence, utilisateur, day, heures, validated) -> None:
        self.ids.append(pk)
        self.agences.append(agence)
        self.utilisateurs.append(utilisateur)
        self.days.append(day.toordinal())
        self.quarters.append(int(heures * 4))
        self.validated.append(validated)


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
    conseiller_user: dict[int, int] = field(default_factory=dict)
    prix_cheque: dict[int, Decimal] = field(default_factory=dict)
    identite: dict[int, tuple[str, str, str]] = field(default_factory=dict)  # prestataire -> (nom, prénom, NISS)
    worked: Worked = field(default_factory=Worked)
    hours_by_month: dict[tuple[int, int], Decimal] = field(default_factory=dict)  # (worker, y*12+m) -> worked
    parametres_forem: dict[int, tuple[int, int]] = field(default_factory=dict)  # agence -> (contact, retour) days
    parcours: dict = field(default_factory=dict)  # adressage id -> Parcours
    counts: dict[str, int] = field(default_factory=dict)
    # Points and mobility draw from their own stream: the rest of the data stays what it was without them.
    geo_rng: random.Random = field(default_factory=lambda: random.Random(20260))

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


MOBILITES = [("pied", 30), ("velo", 10), ("transports", 30), ("voiture", 30)]
MAX_MINUTES = {"pied": (15, 40), "velo": (20, 45), "transports": (30, 60), "voiture": (20, 45)}
GEO_COLUMNS = ["latitude", "longitude", "geocodage", "geocodage_adresse"]


def _located(ctx: Context, rue: str, code: str, commune: str) -> tuple:
    """The address's point as the geocoder would have stored it: the commune's centre, jittered by up to ~3 km."""
    lat, lon = CENTROIDES.get(code, (50.4669, 4.8675))  # Namur when the postal code is not in the table
    lat += ctx.geo_rng.uniform(-0.027, 0.027)
    lon += ctx.geo_rng.uniform(-0.042, 0.042)
    return (
        Decimal(f"{lat:.6f}"),
        Decimal(f"{lon:.6f}"),
        "trouvee",
        normalise(rue, f"{code} {commune}"),
    )


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
        ctx.prix_cheque[pk] = prix
        rue = f"{ctx.rng.choice(RUES)} {ctx.rng.randint(1, 120)}"
        rows.append(
            (
                pk,
                nom,
                build_bce(40_000_000 + pk),
                rue,
                code,
                commune,
                [commune],
                f"info{pk}@ale-{slug}.be",
                f"0{ctx.rng.randint(10, 87)} {pk:02d} 12 34",
                prix,
                *_located(ctx, rue, code, commune),
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
        *GEO_COLUMNS,
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
    ctx.conseiller_user = {pk: uid for pk, uid, _bureau in conseiller_rows}
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
        niss = _niss(ctx.rng, pk)
        ctx.identite[pk] = (nom, prenom, niss)
        rue = f"{ctx.rng.choice(RUES)} {ctx.rng.randint(1, 200)}"
        mobilite = _weighted(ctx.geo_rng, MOBILITES)
        rows.append(
            (
                pk,
                agence,
                account_ids.get(pk),
                nom,
                prenom,
                niss,
                rue,
                code,
                commune,
                f"04{ctx.rng.randint(70, 99)} {pk % 1000000:06d}",
                statut,
                organisme,
                "CPAS de " + commune if organisme == "cpas" else "",
                ctx.aware(start),
                mobilite,
                ctx.geo_rng.randint(*MAX_MINUTES[mobilite]),
                *_located(ctx, rue, code, commune),
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
        "mobilite",
        "temps_trajet_max",
        *GEO_COLUMNS,
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
        rue = f"{ctx.rng.choice(RUES)} {ctx.rng.randint(1, 200)}"
        rows.append(
            (
                pk,
                agence,
                account_ids.get(pk),
                kind,
                nom,
                prenom,
                rue,
                code,
                commune,
                f"08{ctx.rng.randint(10, 99)} {pk % 1000000:06d}",
                ctx.aware(created),
                _client_niss(pk) if kind == T.PARTICULIER else "",
                "" if kind == T.PARTICULIER else build_bce(1_000_000 + pk),
                *_located(ctx, rue, code, commune),
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
        *GEO_COLUMNS,
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
    cap = Decimal(LAW.plafond_mensuel)
    cap_agri = Decimal(LAW.plafond_mensuel_agricole)
    cap_year = Decimal(LAW.plafond_annuel)
    first_creator = {a: users[0] for a, users in ctx.collaborateurs.items()}
    window_start = ctx.window_start
    worked, by_month = ctx.worked, ctx.hours_by_month

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
                        if statut in ("validee", "effectuee"):
                            worked.add(next_id, r.agence_id, r.utilisateur_id, day, r.heures, statut == "validee")
                            by_month[month] = by_month.get(month, 0) + r.heures
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


ELECTRONIC_FROM = datetime.date(2024, 1, 1)  # electronic vouchers: only from 2024 in the generated data
ELECTRONIC_CLIENTS = 0.2  # share of clients who pay electronically from then on
BOOKLET = 20  # paper vouchers are bought in booklets of consecutive numbers


def _paper_statut(rng, age: int, validated: bool) -> str:
    """A paper voucher's state by the age of its prestation: handed in, then back at the ALE, sent, paid."""
    r = rng.random()
    if not validated:
        return "remis" if r < 0.6 else "rentre"
    if age > 120:
        return "paye"
    if age > 60:
        return "paye" if r < 0.7 else "transmis"
    if age > 21:
        return "transmis" if r < 0.5 else "rentre" if r < 0.9 else "paye"
    return "remis" if r < 0.5 else "rentre"


def _electronic_statut(rng) -> str:
    r = rng.random()
    return "validee" if r < 0.97 else "contestee" if r < 0.99 else "impayee"


@generator("cheques")
def cheques(ctx: Context) -> int:
    """The voucher register: one paper voucher per hour started of each prestation worked (numbered from the
    client's booklet) or, for a fifth of the clients from 2024, one electronic record per prestation.

    Streams from `ctx.worked` (no list of millions of tuples). django-simple-history's table and the
    transition log stay empty for this bulk data: they would double the load and no measured page reads them.
    """
    rng, today, worked = ctx.rng, ctx.today, ctx.worked
    today_ordinal = today.toordinal()
    electronic_from = ELECTRONIC_FROM.toordinal()
    electronic_client: dict[int, bool] = {}
    booklets: dict[int, list[int]] = {}  # client -> [next number, end of booklet]
    counter = 1_000_000_000 + rng.randrange(10**8)
    created: dict[int, datetime.datetime] = {}
    next_id = ctx.writer.ids(ChequeALE, 0).start
    prix = {a: str(p) for a, p in ctx.prix_cheque.items()}

    def rows():
        nonlocal next_id, counter
        for i, pk in enumerate(worked.ids):
            day, validated = worked.days[i], worked.validated[i]
            age = today_ordinal - day
            # A few prestations worked are not covered yet: the « à régulariser » list is never empty.
            if rng.random() < (0.35 if not validated else 0.01 if age < 365 else 0.0):
                continue
            agence, client = worked.agences[i], worked.utilisateurs[i]
            at = min(day + rng.randint(0, 6), today_ordinal)
            if at not in created:
                created[at] = ctx.aware(datetime.date.fromordinal(at), 10)
            by = rng.choice(ctx.collaborateurs[agence])
            due = vouchers_due(Decimal(worked.quarters[i]) / 4)
            electronic = day >= electronic_from and electronic_client.setdefault(
                client, rng.random() < ELECTRONIC_CLIENTS
            )
            if electronic:
                if validated:  # the client validates the electronic record; until then there is none
                    yield (next_id, agence, "electronique", None, client, pk, due, prix[agence],
                           _electronic_statut(rng), by, created[at])  # fmt: skip
                    next_id += 1
                continue
            statut = _paper_statut(rng, age, validated)
            booklet = booklets.get(client)
            for _hour in range(due):
                if booklet is None or booklet[0] > booklet[1]:
                    booklet = booklets[client] = [counter, counter + BOOKLET - 1]
                    counter += BOOKLET
                numero = f"{booklet[0]:010d}"
                booklet[0] += 1
                r = rng.random()  # one voucher in 200 is contested or cancelled
                litige = "conteste" if r < 0.003 else "annule" if r < 0.005 else statut
                yield (next_id, agence, "papier", numero, client, pk, 1, prix[agence], litige, by, created[at])
                next_id += 1

    columns = [
        "id",
        "agence_id",
        "type",
        "numero",
        "utilisateur_id",
        "prestation_id",
        "quantite",
        "valeur",
        "statut",
        "created_by_id",
        "created_at",
    ]
    count = ctx.writer.write(ChequeALE, columns, rows())
    ctx.writer.ids(ChequeALE, count)
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


PARAMETRES_FOREM = [((10, 30), 0.65), ((15, 45), 0.15), ((7, 30), 0.1), ((10, 60), 0.1)]


@generator("parametres_forem")
def parametres_forem(ctx: Context) -> int:
    """A third of the agencies set their own Forem deadlines; the others keep the defaults (10 and 30 days)."""
    rows = []
    for agence in ctx.agences:
        delays = (ParametresForem.DEFAULT_PREMIER_CONTACT, ParametresForem.DEFAULT_RETOUR)
        if ctx.rng.random() < 0.35:
            delays = _weighted(ctx.rng, PARAMETRES_FOREM)
            rows.append((agence, *delays))
        ctx.parametres_forem[agence] = delays
    ids = ctx.writer.ids(ParametresForem, len(rows))
    ctx.writer.write(
        ParametresForem,
        ["id", "agence_id", "delai_premier_contact_jours", "periodicite_retour_jours"],
        [(pk, *row) for pk, row in zip(ids, rows, strict=True)],
    )
    return len(rows)


@dataclass
class Parcours:
    """The simulated life of one referral up to today: its transitions and feedback entries."""

    agence: int
    steps: list[tuple[str, datetime.date]]  # (state reached, day); the first is ("recu", date_adressage)
    conseiller: int = 0
    issue: str = ""
    motif_refus: str = ""
    prestataire: int | None = None
    retours: list[tuple[datetime.date, datetime.date, datetime.date | None, str]] = field(default_factory=list)

    @property
    def etat(self) -> str:
        return self.steps[-1][0]

    @property
    def day(self) -> datetime.date:
        return self.steps[-1][1]


ISSUES_FIN = [("emploi", 0.3), ("formation", 0.15), ("fin_plan", 0.25), ("demenagement", 0.05), ("sante", 0.08),
              ("sans_suite", 0.12), ("autre", 0.05)]  # fmt: skip
MOTIFS_REFUS = [
    "Ne remplit pas les conditions d'inscription à l'ALE.",
    "Réside hors des communes desservies par l'agence.",
    "Travaille déjà à temps plein.",
]


class _Referral:
    """Walks a referral through the state machine of `forem_liaison.models.TRANSITIONS_ADRESSAGE`, stopping at today."""

    def __init__(self, ctx: Context, start: datetime.date, agence: int, workers: dict[int, list]):
        self.rng, self.today, self.agence, self.workers = ctx.rng, ctx.today, agence, workers
        self.contact, self.periode = ctx.parametres_forem[agence]
        self.p = Parcours(agence, [("recu", start)])

    def step(self, etat: str, days: int) -> bool:
        day = self.p.day + datetime.timedelta(days=days)
        if day > self.today:
            return False
        self.p.steps.append((etat, day))
        return True

    def close(self, issue: str, days: int) -> None:
        if self.step("cloture", days):
            self.p.issue = issue

    def refuse(self, days: int) -> None:
        if self.step("refuse", days):
            self.p.motif_refus = self.rng.choice(MOTIFS_REFUS)

    def run(self) -> Parcours:
        rng, contact = self.rng, self.contact
        r = rng.random()
        if r < 0.03:
            self.refuse(rng.randint(1, contact))
        elif r < 0.05:
            self.step("retire", rng.randint(1, 30))
        # First contact: mostly within the agency's deadline, one in four late.
        elif self.step("convoque", rng.randint(1, contact) if rng.random() < 0.75 else rng.randint(contact + 1, 45)):
            self.convoked(1)
        return self.p

    def convoked(self, sent: int) -> None:
        rng = self.rng
        r = rng.random()
        if r < 0.72:
            if self.step("entretien", rng.randint(5, 21)):
                self.interviewed()
        elif r < 0.95:
            if not self.step("absent", rng.randint(5, 21)):
                return
            if sent < 2 and rng.random() < 0.6:
                if self.step("convoque", rng.randint(2, 10)):
                    self.convoked(sent + 1)
            else:
                self.close("sans_suite", rng.randint(5, 30))
        elif r < 0.975:
            self.refuse(rng.randint(1, 10))
        else:
            self.step("retire", rng.randint(1, 30))

    def interviewed(self) -> None:
        rng = self.rng
        r = rng.random()
        inscription = self.p.day + datetime.timedelta(days=rng.randint(3, 20))
        worker = self._worker(inscription) if r < 0.75 else None
        if worker is not None:
            if not self.step("inscrit", (inscription - self.p.day).days):
                self.workers[self.agence].append(worker)  # not registered yet: give the file back
                return
            self.p.prestataire = worker[0]
            if not self.step("actif", rng.randint(7, 30)):
                return
            sorti = worker[2] == "sorti"
            days = (worker[4] - self.p.day).days + rng.randint(0, 20) if sorti else rng.randint(60, 720)
            if rng.random() < 0.05:
                self.step("retire", max(days, 1))
            else:
                self.close(_weighted(rng, ISSUES_FIN), max(days, 1))
        elif r < 0.9:
            self.close(rng.choice(["sans_suite", "refus", "sante", "autre", "emploi"]), rng.randint(3, 30))
        elif r < 0.95:
            self.refuse(rng.randint(1, 10))
        else:
            self.step("retire", rng.randint(1, 30))

    def _worker(self, day: datetime.date):
        """The agency's free worker file opened closest to `day` (within four months), taken for good."""
        free = self.workers[self.agence]
        best = min(free, key=lambda w: abs((w[3] - day).days), default=None)
        if best is None or abs((best[3] - day).days) > 120:
            return None
        free.remove(best)
        return best


# Feedback in words, never a score: facts and what the person does or asks for (docs/forem_liaison.md).
RETOURS = [
    "La personne ne s'est pas présentée aux prestations prévues ce mois-ci ; nous l'avons relancée deux fois.",
    "Peu de disponibilités annoncées ; deux prestations annulées la veille.",
    "Contact difficile : la personne répond rarement au téléphone ; un entretien est prévu.",
    "Quelques prestations réalisées ; la personne cherche encore son rythme.",
    "Prestations régulières mais en nombre limité, par choix de la personne.",
    "Arrive à l'heure et prévient en cas d'empêchement ; prestations chaque semaine.",
    "La personne demande des missions supplémentaires et propose ses mercredis.",
    "Prestations chaque semaine, travail en autonomie ; les utilisateurs demandent à la revoir.",
    "La personne envisage une formation qualifiante ; nous lui avons transmis les dates.",
]
FOLLOWED = {"entretien", "inscrit", "actif"}


def _feedback(ctx: Context, p: Parcours, periode: int) -> None:
    """Published every `periode` days while followed (late for three referrals in ten); a few drafts in progress."""
    rng, today = ctx.rng, ctx.today
    followed = [(day, etat) for etat, day in p.steps if etat in FOLLOWED]
    if not followed:
        return
    start = followed[0][0]
    end = today if p.etat in FOLLOWED else p.day
    sloppy = rng.random() < 0.3
    debut = p.steps[0][1]
    publish = start + datetime.timedelta(days=rng.randint(3, periode))
    while publish <= end:
        p.retours.append((debut, publish, publish, rng.choice(RETOURS)))
        debut = publish + datetime.timedelta(days=1)
        gap = periode + rng.randint(5, 60) if sloppy else periode - rng.randint(0, min(7, periode - 1))
        publish += datetime.timedelta(days=gap)
    if p.etat in FOLLOWED and debut <= today and rng.random() < 0.15:
        p.retours.append((debut, today, None, rng.choice(RETOURS)))


@generator("adressages")
def adressages(ctx: Context) -> int:
    """Referrals spread over the 5 years, each walked through its life up to today (see `_Referral`)."""
    rng = ctx.rng
    count = ctx.n("adressages")
    ids = ctx.writer.ids(Adressage, count)
    workers: dict[int, list] = defaultdict(list)
    for worker in ctx.prestataires:
        workers[worker[1]].append(worker)
    used_niss: set[str] = {niss for _nom, _prenom, niss in ctx.identite.values()}
    categories = CategorieAttente.values
    rows = []
    for pk in ids:
        day = ctx.day_between(ctx.window_start, ctx.today)
        agence = rng.choices(ctx.agences, ctx.agence_weights)[0]
        p = _Referral(ctx, day, agence, workers).run()
        _feedback(ctx, p, ctx.parametres_forem[agence][1])
        ctx.parcours[pk] = p
        if p.prestataire is not None:
            nom, prenom, niss = ctx.identite[p.prestataire]
        else:
            nom, prenom = _person(rng)
            niss = _niss(rng, pk, 1965, 2005)
            while niss in used_niss:  # one open referral per person and adviser: keep NISS distinct
                niss = _niss(rng, pk + rng.randrange(10**6), 1965, 2005)
            used_niss.add(niss)
        conseiller = p.conseiller = rng.choice(ctx.conseillers)
        convocations = [d for etat, d in p.steps if etat == "convoque"]
        published = [fin for _debut, fin, publie, _t in p.retours if publie]
        rows.append(
            (
                pk,
                conseiller,
                ctx.bureau_of[conseiller],
                True,
                day,
                p.issue,
                ctx.aware(p.day, 17),
                agence,
                nom,
                prenom,
                niss,
                day,
                rng.choice(MOTIFS),
                rng.sample(categories, rng.randint(1, 2)),
                p.etat,
                p.motif_refus,
                p.prestataire,
                convocations[0] if convocations else None,
                published[-1] if published else None,
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
        "categories",
        "etat",
        "motif_refus",
        "prestataire_id",
        "premier_contact_le",
        "dernier_retour_le",
        "created_at",
    ]
    ctx.writer.write(Adressage, columns, rows)
    return count


@generator("transitions")
def transitions(ctx: Context) -> int:
    """The log of each referral's states: the adviser creates and withdraws, the agency's staff do the rest."""
    rng = ctx.rng
    specs = []
    for pk, p in ctx.parcours.items():
        previous = ""
        for etat, day in p.steps:
            if etat in ("recu", "retire"):
                par = ctx.conseiller_user[p.conseiller]
            else:
                par = rng.choice(ctx.collaborateurs[p.agence])
            motif = p.motif_refus if etat == "refuse" else ""
            specs.append((pk, previous, etat, par, ctx.aware(day, rng.randint(8, 17)), motif))
            previous = etat
    ids = ctx.writer.ids(TransitionAdressage, len(specs))
    ctx.writer.write(
        TransitionAdressage,
        ["id", "adressage_id", "de", "vers", "par_id", "le", "motif"],
        [(pk, *spec) for pk, spec in zip(ids, specs, strict=True)],
    )
    return len(specs)


REPONSES = [
    "Merci pour ce retour détaillé.",
    "Merci, je fais le point avec la personne lors de notre prochain entretien.",
    "Bien noté. Pouvez-vous préciser les disponibilités évoquées ?",
]


def _faits(ctx: Context, p: Parcours, debut: datetime.date, fin: datetime.date) -> dict:
    """What `forem_liaison.faits.compute_faits` would have frozen at publication, from the generated hours."""
    done = [etat for etat, day in p.steps if day <= fin]
    mois = []
    inscrit = p.prestataire is not None and "inscrit" in done
    if inscrit:
        month = debut.year * 12 + debut.month - 1
        while month <= fin.year * 12 + fin.month - 1:
            heures = ctx.hours_by_month.get((p.prestataire, month + 1), Decimal(0))
            label = f"{month // 12}-{month % 12 + 1:02d}"
            day = datetime.date(month // 12, month % 12 + 1, 1)
            seuil = seuil_evaluation(day)
            atteint = None if seuil is None else heures >= seuil
            mois.append({"mois": label, "heures": f"{heures:.2f}", "seuil_atteint": atteint})
            month += 1
    return {
        "rendez_vous_honores": done.count("entretien"),
        "rendez_vous_manques": done.count("absent"),
        "inscrit_ale": inscrit,
        "heures_par_mois": mois,
        "seuil_heures": str(seuil_evaluation(fin) or ""),
        "prestations_refusees": None,
    }


@generator("retours")
def retours(ctx: Context) -> int:
    """The agencies' feedback entries (published or draft, with their frozen facts) and a few advisers' replies."""
    rng, now = ctx.rng, ctx.aware(ctx.today, 18)
    entries, replies = [], []
    for pk, p in ctx.parcours.items():
        for debut, fin, publie, texte in p.retours:
            auteur = rng.choice(ctx.collaborateurs[p.agence])
            published_at = ctx.aware(publie, rng.randint(9, 17)) if publie else None
            entries.append(
                (
                    pk,
                    auteur,
                    debut,
                    fin,
                    texte,
                    _faits(ctx, p, debut, fin) if publie else {},
                    "publie" if publie else "brouillon",
                    published_at,
                    published_at or now,
                )  # fmt: skip
            )
            if publie and rng.random() < 0.1:
                reply_at = min(published_at + datetime.timedelta(days=rng.randint(0, 5)), now)
                replies.append((len(entries) - 1, ctx.conseiller_user[p.conseiller], rng.choice(REPONSES), reply_at))
    ids = ctx.writer.ids(RetourAdressage, len(entries))
    columns = ["id", "adressage_id", "auteur_id", "periode_debut", "periode_fin", "texte", "faits",
               "statut", "publie_le", "created_at"]  # fmt: skip
    ctx.writer.write(RetourAdressage, columns, [(pk, *row) for pk, row in zip(ids, entries, strict=True)])
    reply_ids = ctx.writer.ids(ReponseRetour, len(replies))
    ctx.writer.write(
        ReponseRetour,
        ["id", "retour_id", "auteur_id", "texte", "created_at"],
        [(pk, ids[i], *row) for pk, (i, *row) in zip(reply_ids, replies, strict=True)],
    )
    ctx.log(f"  {'retours':<16} {len(entries):>10,} feedback entries, {len(replies):,} replies")
    return len(entries) + len(replies)


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
    contrats, activites, dispos, situations = [], [], [], []
    for worker, agence, statut, start, end in ctx.prestataires:
        # Eligibility is checked before any work: every generated worker has a basis open since before they
        # started (RIS: no minimum duration).
        since = start - datetime.timedelta(days=60)
        situations.append((worker, "ris", since, "Attestation du CPAS", since, False))
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
        (
            SituationEligibilite,
            ["prestataire_id", "base", "depuis", "preuve", "date_preuve", "avec_allocations"],
            situations,
        ),
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
        # COPY bypasses the application, so the dashboard's monthly summaries are rebuilt from the register.
        from prestations import bilans

        started = time.perf_counter()
        rows = bilans.rebuild()
        report["bilans"] = {"rows": rows, "seconds": round(time.perf_counter() - started, 2)}
        log(f"  {'bilans':<16} {rows:>10,} rows  {report['bilans']['seconds']:7.1f} s")
    if connection.vendor == "postgresql":
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        report["analyze"] = {"rows": 0, "seconds": round(time.perf_counter() - started, 2)}
        log(f"  {'ANALYZE':<16} {'':>10}       {report['analyze']['seconds']:7.1f} s")
    return report
