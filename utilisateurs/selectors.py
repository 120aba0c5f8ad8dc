"""Reads about clients that other apps rely on (booking, recording hours)."""

import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Autorisation, Inscription, Utilisateur


def service_blockers(utilisateur: Utilisateur, activite, day: datetime.date) -> list[str]:
    """Why this client may not receive this activity on this day (French, for the user); [] when allowed."""
    problems = []
    if not Inscription.objects.filter(utilisateur=utilisateur).valid_on(day).exists():
        problems.append(_("L'inscription de l'utilisateur pour %(annee)s n'est pas en ordre.") % {"annee": day.year})
    if not Autorisation.objects.filter(utilisateur=utilisateur, activite=activite).valid_on(day).exists():
        problems.append(
            _("L'utilisateur n'a pas d'autorisation valable le %(date)s pour « %(activite)s ».")
            % {"date": day.strftime("%d/%m/%Y"), "activite": activite}
        )
    return problems


def registration_blocker(utilisateur: Utilisateur, today: datetime.date | None = None) -> str | None:
    """The clear message shown when the client's registration for this year is missing or not validated."""
    today = today or timezone.localdate()
    inscription = Inscription.objects.filter(utilisateur=utilisateur, annee=today.year).first()
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


def booking_blockers(utilisateur, activite, dates, *, demande_autorisation=False) -> list[str]:
    """Everything that stops this client from booking this activity on these dates (French messages)."""
    blocker = registration_blocker(utilisateur)
    return ([blocker] if blocker else []) + activity_blockers(
        utilisateur, activite, dates, demande_autorisation=demande_autorisation
    )


def activity_blockers(utilisateur, activite, dates, *, demande_autorisation=False) -> list[str]:
    problems = []
    if activite.agence_id != utilisateur.agence_id or not activite.allows(utilisateur.type) or not activite.active:
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
            _(
                "Votre autorisation pour « %(activite)s » ne couvre pas le %(date)s (%(n)s date(s) concernée(s)). "
                "Raccourcissez la période ou cochez « demander une autorisation »."
            )
            % {"activite": activite, "date": uncovered[0].strftime("%d/%m/%Y"), "n": len(uncovered)}
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
