"""Demo data of the platform core: two agencies of the Namur province, their collaborators and activities.

Every `seed` is idempotent (keyed on natural keys: BCE, e-mail, NISS) so `make run` can load it each time.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from .identifiers import build_bce, build_belgian_iban
from .models import Activite, Agence, AgenceMembership, Role, TypeUtilisateur, User

DEMO_PASSWORD = "demo-ALE-2026"  # noqa: S105 (printed by `make run`; demo accounts only)

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


@dataclass
class DemoContext:
    """What each app's demo seeding hands to the next, and the accounts printed at the end."""

    agences: dict[str, Agence] = field(default_factory=dict)
    accounts: list[tuple[str, str, str]] = field(default_factory=list)  # (role, e-mail, home)
    users: dict[str, User] = field(default_factory=dict)
    # What a region's law refused while seeding (a region without a rule refuses, never borrows another's law).
    refusals: list[str] = field(default_factory=list)
    today: datetime.date = field(default_factory=datetime.date.today)

    @property
    def history_start(self) -> datetime.date:
        """Where the demo's past work begins: the first day of the month eight weeks ago (8 to 12 weeks of
        history whatever the day, across the new year in January: last year's hours count in last year)."""
        return history_start(self.today)

    @property
    def years(self) -> range:
        """The calendar years the demo's history and near future touch (registrations, authorisations)."""
        return range(self.history_start.year, self.planned_until.year + 1)

    @property
    def planned_until(self) -> datetime.date:
        """The last day of the demo's planned sessions (the near future)."""
        return self.today + datetime.timedelta(days=PLANNED_DAYS)


HISTORY_WEEKS = 8
PLANNED_DAYS = 14


def history_start(today: datetime.date) -> datetime.date:
    return (today - datetime.timedelta(weeks=HISTORY_WEEKS)).replace(day=1)


def demo_user(
    ctx: DemoContext, key: str, email: str, first: str, last: str, role: str, *, home: str, superuser: bool = False
) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(
            email=email, first_name=first, last_name=last, role=role, is_superuser=superuser, is_staff=superuser
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        _verify_email(user)
    ctx.users[key] = user
    ctx.accounts.append((home, email, DEMO_PASSWORD))
    return user


def _verify_email(user: User) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})


def _agence(**fields) -> Agence:
    agence, _created = Agence.objects.get_or_create(bce=fields.pop("bce"), defaults=fields)
    return agence


@transaction.atomic
def seed(ctx: DemoContext) -> None:
    from .emploi import seed_services

    seed_services()  # normally there from the migration; a test flush removes them
    gembloux = _agence(
        bce=build_bce(4_123_456),
        nom="ALE de Gembloux",
        rue="Rue Docteur Pierard 14",
        code_postal="5030",
        commune="Gembloux",
        email="contact@ale-gembloux.be",
        telephone="081 62 63 64",
        iban=build_belgian_iban(63, 4_521_870),
        communes_desservies=["Gembloux", "Grand-Leez", "Sauvenière", "Lonzée", "Bossière"],
    )
    eghezee = _agence(
        bce=build_bce(4_654_321),
        nom="ALE d'Éghezée",
        rue="Route de Gembloux 43",
        code_postal="5310",
        commune="Éghezée",
        email="ale@eghezee.be",
        telephone="081 81 01 40",
        iban=build_belgian_iban(1, 7_788_990),
        cotisation_annuelle="6.20",
        prix_cheque="6.20",
        communes_desservies=["Éghezée", "Leuze", "Dhuy", "Aische-en-Refail"],
    )
    ctx.agences.update(gembloux=gembloux, eghezee=eghezee)
    for agence in (gembloux, eghezee):
        for nom, categorie, types in ACTIVITES:
            Activite.objects.get_or_create(
                agence=agence, nom=nom, defaults={"categorie": categorie, "types_utilisateurs": types}
            )

    demo_user(
        ctx,
        "superuser",
        "admin@ale-platform.be",
        "Admin",
        "Plateforme",
        "",
        home="Superutilisateur·rice (admin)",
        superuser=True,
    )
    sophie = demo_user(
        ctx,
        "collaborateur",
        "sophie.lambert@ale-gembloux.be",
        "Sophie",
        "Lambert",
        Role.COLLABORATEUR,
        home="Collaboratrice ALE (Gembloux, admin ; aussi Éghezée)",
    )
    marc = demo_user(
        ctx,
        "collaborateur_b",
        "marc.dubois@ale-eghezee.be",
        "Marc",
        "Dubois",
        Role.COLLABORATEUR,
        home="Collaborateur ALE (Éghezée)",
    )
    AgenceMembership.objects.get_or_create(user=sophie, agence=gembloux, defaults={"is_admin": True})
    AgenceMembership.objects.get_or_create(user=sophie, agence=eghezee)
    AgenceMembership.objects.get_or_create(user=marc, agence=eghezee, defaults={"is_admin": True})
