"""Reads about clients that other apps rely on (booking, recording hours)."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ale_platform.dates import short_date

from .models import Autorisation, Inscription, Utilisateur


def service_blockers(utilisateur: Utilisateur, activite, day: datetime.date) -> list[str]:
    """Why this client may not receive this activity on this day (French, for the user); [] when allowed."""
    problems = []
    if not Inscription.objects.filter(utilisateur=utilisateur).valid_on(day).exists():
        problems.append(_("L'inscription de l'utilisateur pour %(annee)s n'est pas en ordre.") % {"annee": day.year})
    if not Autorisation.objects.filter(utilisateur=utilisateur, activite=activite).valid_on(day).exists():
        problems.append(
            _("L'utilisateur n'a pas d'autorisation valable le %(date)s pour « %(activite)s ».")
            % {"date": short_date(day), "activite": activite}
        )
    return problems


@dataclass
class ClientCheck:
    """What on the client's side stops a worker from serving some dates (staff wording), and which dates."""

    problems: list[str]
    blocked: set[datetime.date]
    dates: set[datetime.date]

    @property
    def blocks_all(self) -> bool:
        """Not one date can be served: assigning a worker would lead nowhere."""
        return bool(self.dates) and self.blocked == self.dates


def client_check(utilisateur: Utilisateur, activite, dates) -> ClientCheck:
    """The rule of `service_blockers`, read once for a whole series: a registration validated for the year of
    each date and an authorisation for the activity covering it."""
    dates = set(dates)
    if not dates:
        return ClientCheck([], set(), set())
    problems, blocked = [], set()
    years = {d.year for d in dates}
    registered = set(
        Inscription.objects.filter(utilisateur=utilisateur, annee__in=years, validee=True).values_list(
            "annee", flat=True
        )
    )
    for year in sorted(years - registered):
        problems.append(_("L'inscription de l'utilisateur pour %(annee)s n'est pas en ordre.") % {"annee": year})
        blocked |= {d for d in dates if d.year == year}
    autorisations = list(Autorisation.objects.filter(utilisateur=utilisateur, activite=activite))
    uncovered = sorted(d for d in dates if not any(a.debut <= d <= a.fin for a in autorisations))
    if uncovered:
        problems.append(
            ngettext(
                "L'utilisateur n'a pas d'autorisation valable pour « %(activite)s » le %(date)s.",
                "L'utilisateur n'a pas d'autorisation valable pour « %(activite)s » le %(date)s "
                "(%(n)s dates concernées).",
                len(uncovered),
            )
            % {"activite": activite, "date": short_date(uncovered[0]), "n": len(uncovered)}
        )
        blocked |= set(uncovered)
    return ClientCheck(problems, blocked, dates)


def registration_blocker(utilisateur: Utilisateur, today: datetime.date | None = None, inscriptions=None) -> str | None:
    """The clear message shown when the client's registration for this year is missing or not validated.

    `inscriptions`: the client's registrations already read by the caller (at least this year's, if any).
    """
    today = today or timezone.localdate()
    if inscriptions is None:
        inscription = Inscription.objects.filter(utilisateur=utilisateur, annee=today.year).first()
    else:
        inscription = next((i for i in inscriptions if i.annee == today.year), None)
    if inscription is None:
        return _(
            "Votre inscription annuelle pour %(annee)s n'est pas en ordre (elle a expiré) : "
            "demandez son renouvellement à l'agence avant de réserver."
        ) % {"annee": today.year}
    if not inscription.validee:
        return _(
            "Votre inscription pour %(annee)s attend la validation de l'agence : vous pourrez réserver dès qu'elle "
            "sera validée."
        ) % {"annee": today.year}
    return None


def staff_registration_problem(utilisateur: Utilisateur, today: datetime.date | None = None) -> str | None:
    """The same state as `registration_blocker`, worded for the agency's staff reading the client's file."""
    today = today or timezone.localdate()
    inscription = Inscription.objects.filter(utilisateur=utilisateur, annee=today.year).first()
    if inscription is None:
        return _("Pas d'inscription pour %(annee)s : le client ne peut pas réserver ni recevoir de prestation.") % {
            "annee": today.year
        }
    if not inscription.validee:
        return _(
            "L'inscription %(annee)s de ce client attend votre validation (voir « Inscriptions annuelles » plus bas) : "
            "il ne peut pas réserver avant."
        ) % {"annee": today.year}
    return None


def booking_blockers(utilisateur, activite, dates, *, demande_autorisation=False) -> list[str]:
    """Everything that stops this client from booking this activity on these dates (French messages)."""
    blocker = registration_blocker(utilisateur)
    return (
        ([blocker] if blocker else [])
        + later_years_blockers(utilisateur, dates)
        + activity_blockers(utilisateur, activite, dates, demande_autorisation=demande_autorisation)
    )


def later_years_blockers(utilisateur, dates, today: datetime.date | None = None) -> list[str]:
    """Dates of a later year need that year's registration (asked at least): the agency cannot plan them otherwise."""
    today = today or timezone.localdate()
    later = sorted(d for d in dates if d.year > today.year)
    if not later:
        return []
    asked = set(
        Inscription.objects.filter(utilisateur=utilisateur, annee__gt=today.year).values_list("annee", flat=True)
    )
    problems = []
    for year in sorted({d.year for d in later} - asked):
        of_year = [d for d in later if d.year == year]
        n = len(of_year)
        problems.append(
            ngettext(
                "Votre inscription pour %(annee)s n'est pas encore faite : la date du %(date)s ne peut pas être "
                "planifiée. Arrêtez la demande au 31/12/%(avant)s, ou demandez d'abord votre inscription %(annee)s "
                "depuis votre espace.",
                "Votre inscription pour %(annee)s n'est pas encore faite : les %(n)s dates de %(annee)s (dès le "
                "%(date)s) ne peuvent pas être planifiées. Arrêtez la demande au 31/12/%(avant)s, ou demandez "
                "d'abord votre inscription %(annee)s depuis votre espace.",
                n,
            )
            % {
                "annee": year,
                "avant": year - 1,
                "n": n,
                "date": short_date(of_year[0]),
            }
        )
    return problems


def activity_blockers(utilisateur, activite, dates, *, demande_autorisation=False) -> list[str]:
    problems = []
    if (
        activite.agence_id != utilisateur.agence_id
        or not activite.allows(*utilisateur.types_du_lieu)
        or not activite.active
    ):
        problems.append(_("L'agence ne propose pas cette activité à votre type d'utilisateur."))
        return problems
    if demande_autorisation or not dates:
        return problems
    autorisations = list(Autorisation.objects.filter(utilisateur=utilisateur, activite=activite))
    if not autorisations:
        problems.append(
            _(
                "Vous n'avez pas d'autorisation pour « %(activite)s ». Cochez « demander une autorisation » pour "
                "que l'agence l'examine avec votre demande."
            )
            % {"activite": activite}
        )
        return problems
    uncovered = [d for d in dates if not any(a.debut <= d <= a.fin for a in autorisations)]
    if uncovered:
        problems.append(
            ngettext(
                "Votre autorisation pour « %(activite)s » ne couvre pas le %(date)s (%(n)s date concernée). "
                "Raccourcissez la période ou cochez « demander une autorisation ».",
                "Votre autorisation pour « %(activite)s » ne couvre pas le %(date)s (%(n)s dates concernées). "
                "Raccourcissez la période ou cochez « demander une autorisation ».",
                len(uncovered),
            )
            % {"activite": activite, "date": short_date(uncovered[0]), "n": len(uncovered)}
        )
    return problems


def autorisations_expiring(agence, today=None, days=30):
    today = today or timezone.localdate()
    return (
        Autorisation.objects.filter(utilisateur__agence=agence)
        .expiring(today, days)
        .select_related("utilisateur", "activite")
        .order_by("fin", "utilisateur__nom")
    )


def with_registration_state(queryset, today=None):
    """Annotates `inscrit` (validated this year) and `inscription_en_attente` (asked, not yet validated)."""
    today = today or timezone.localdate()
    this_year = Inscription.objects.filter(utilisateur=OuterRef("pk"), annee=today.year)
    return queryset.annotate(
        inscrit=Exists(this_year.filter(validee=True)),
        inscription_en_attente=Exists(this_year.filter(validee=False)),
    )
