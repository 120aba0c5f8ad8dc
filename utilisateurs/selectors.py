"""Reads about clients that other apps rely on (booking, recording hours)."""

import datetime

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
