"""How the prestations app fills the extension points of the apps below it (called from its ready())."""

from ale_platform import extensions as ale_platform_ext
from prestataires import extensions as prestataires_ext
from utilisateurs import extensions as utilisateurs_ext

from . import eligibility_watch, pdf, privacy, selectors, sessions
from .models import Prestation
from .rulebook import hour_meters
from .rulebook.law import agency_price_problems
from .services import cancel_prestation, move_prestation, undo_cancellations


def cancel_planned_sessions(*, demande, dates, acting_user, motif) -> list[int]:
    planned = Prestation.objects.filter(demande=demande, date__in=dates, statut=Prestation.Statut.PLANIFIEE)
    return [
        cancel_prestation(prestation=prestation, acting_user=acting_user, motif=motif).undo_state["t"]
        for prestation in planned
    ]


def move_planned_sessions(*, demande, old_date, date, debut, fin, acting_user, motif) -> None:
    planned = Prestation.objects.filter(demande=demande, date=old_date, statut=Prestation.Statut.PLANIFIEE)
    for prestation in planned:
        move_prestation(prestation=prestation, date=date, debut=debut, fin=fin, acting_user=acting_user, motif=motif)


def monthly_form_pdf(prestataire, year, month) -> tuple[bytes, str]:
    return pdf.formulaire_pdf(prestataire, year, month), pdf.formulaire_filename(prestataire, year, month)


def connect() -> None:
    privacy.register()
    ale_platform_ext.agency_price_problems.provide(agency_price_problems)
    prestataires_ext.hour_meters.provide(hour_meters)
    prestataires_ext.upcoming_prestations.provide(selectors.upcoming_for_worker)
    prestataires_ext.monthly_form_pdf.provide(monthly_form_pdf)
    prestataires_ext.work_after_eligibility.provide(eligibility_watch.work_after_eligibility)
    utilisateurs_ext.client_prestations.provide(selectors.client_prestations)
    utilisateurs_ext.client_yearly_statement.provide(selectors.client_yearly_statement)
    utilisateurs_ext.demande_sessions.provide(sessions.demande_sessions)
    utilisateurs_ext.demande_timeline.provide(sessions.demande_timeline)
    utilisateurs_ext.next_sessions.provide(sessions.next_sessions)
    utilisateurs_ext.cancel_planned_sessions.provide(cancel_planned_sessions)
    utilisateurs_ext.move_planned_sessions.provide(move_planned_sessions)
    utilisateurs_ext.restore_cancelled_sessions.provide(undo_cancellations)
