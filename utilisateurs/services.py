"""Writes on clients' files and requests. Keyword-only, atomic, with the acting user (the audit trail names them)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ale_platform.dates import short_date, short_time
from ale_platform.history import save_as
from ale_platform.languages import save_account_language
from ale_platform.models import Activite
from ale_platform.notifications import (
    INVITATION,
    NEW_REQUEST,
    REQUEST_RECEIVED,
    agency_staff,
    notify,
    notify_address,
)
from ale_platform.states import check_transition
from ale_platform.undo import changed_since

from .extensions import cancel_planned_sessions, move_planned_sessions, restore_cancelled_sessions
from .models import (
    TRANSITIONS_DEMANDE,
    Autorisation,
    ChangementStatut,
    Creneau,
    Demande,
    Inscription,
    Invitation,
    ParametresUtilisateurs,
    StatutDemande,
    Utilisateur,
)
from .selectors import booking_blockers

S = StatutDemande


class DuplicateSubmit(Exception):
    """The same form was submitted twice: the request already exists."""

    def __init__(self, demande):
        super().__init__(str(demande.pk))
        self.demande = demande


# --- client file -------------------------------------------------------------------------------


@transaction.atomic
def request_registration(*, utilisateur: Utilisateur, acting_user, annee: int | None = None) -> Inscription:
    """The client (or staff for them) asks to be registered for the year, at the agency's fee; staff validate."""
    annee = annee or timezone.localdate().year
    inscription, _created = Inscription.objects.get_or_create(
        utilisateur=utilisateur, annee=annee, defaults={"cotisation": utilisateur.agence.cotisation_annuelle}
    )
    return inscription


@transaction.atomic
def validate_registration(*, inscription: Inscription, payee_le: datetime.date | None, acting_user) -> Inscription:
    inscription = Inscription.objects.select_for_update().get(pk=inscription.pk)
    inscription.validee = True
    if payee_le is not None:
        inscription.payee_le = payee_le
    save_as(inscription, acting_user, update_fields=["validee", "payee_le"])
    return inscription


@transaction.atomic
def grant_autorisation(*, utilisateur, activite: Activite, numero, debut, fin, acting_user) -> Autorisation:
    if activite.agence_id != utilisateur.agence_id or not activite.allows(*utilisateur.types_du_lieu):
        raise ValidationError(
            {"activite": _("L'agence ne propose pas cette activité aux utilisateurs de ce type.")}, code="type"
        )
    if fin < debut:
        raise ValidationError({"fin": _("La fin doit suivre le début.")}, code="fin")
    autorisation = Autorisation(utilisateur=utilisateur, activite=activite, numero=numero, debut=debut, fin=fin)
    autorisation.full_clean()
    save_as(autorisation, acting_user)
    return autorisation


@transaction.atomic
def invite_client(*, utilisateur: Utilisateur, email: str, acting_user, base_url: str) -> Invitation:
    invitation = Invitation.objects.create(
        utilisateur=utilisateur,
        email=email,
        created_by=acting_user,
        expire_le=timezone.now() + datetime.timedelta(days=14),
    )
    link = base_url + reverse("utilisateurs:invitation", kwargs={"token": invitation.token})
    agence = utilisateur.agence
    with translation.override(utilisateur.langue):  # written now, in the client's contact language
        context = {
            "subject": _("Votre espace en ligne à %(agence)s") % {"agence": agence.nom},
            "paragraphs": [_("%(agence)s vous invite à consulter votre dossier en ligne.") % {"agence": agence.nom}],
            "links": [
                (
                    _("1. Créez votre compte avec cette adresse e-mail (%(email)s) :") % {"email": email},
                    base_url + reverse("account_signup"),
                ),
                (_("2. Puis ouvrez ce lien pour relier votre compte à votre dossier :"), link),
            ],
            "closing": [_("Ce lien est valable 14 jours.")],
        }
    notify_address(INVITATION.code, email=email, context=context, language=utilisateur.langue)
    return invitation


@transaction.atomic
def claim_invitation(*, invitation: Invitation, acting_user) -> Utilisateur:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    utilisateur = Utilisateur.objects.select_for_update().get(pk=invitation.utilisateur_id)
    if not invitation.is_usable:
        raise ValidationError(_("Cette invitation a expiré ou a déjà été utilisée. Demandez-en une nouvelle."))
    if utilisateur.compte_id is not None:
        raise ValidationError(_("Ce dossier est déjà relié à un compte."))
    if Utilisateur.objects.filter(compte=acting_user).exists():
        raise ValidationError(_("Votre compte est déjà relié à un dossier."))
    utilisateur.compte = acting_user
    save_as(utilisateur, acting_user, update_fields=["compte"])
    save_account_language(acting_user, utilisateur.langue)  # the agency's pages and e-mails, in the file's language
    invitation.utilisee_le = timezone.now()
    invitation.save(update_fields=["utilisee_le"])
    return utilisateur


# --- requests ------------------------------------------------------------------------------------


@transaction.atomic
def create_demande(
    *,
    utilisateur: Utilisateur,
    activite: Activite,
    description: str,
    nombre_prestataires: int,
    creneaux: list[tuple[datetime.date, datetime.time, datetime.time]],
    cle_idempotence,
    acting_user,
    site=None,
    demande_autorisation: bool = False,
    recurrence=None,
) -> Demande:
    """Records a request and its wished dates; the same idempotency key twice raises DuplicateSubmit."""
    existing = Demande.objects.filter(cle_idempotence=cle_idempotence).first()
    if existing is not None:
        raise DuplicateSubmit(existing)
    Utilisateur.objects.select_for_update().get(pk=utilisateur.pk)
    if not creneaux:
        raise ValidationError(_("La demande ne contient aucune date."), code="no_dates")
    problems = booking_blockers(
        utilisateur, activite, [c[0] for c in creneaux], demande_autorisation=demande_autorisation
    )
    if problems:
        raise ValidationError(problems)
    demande = Demande(
        agence=utilisateur.agence,
        utilisateur=utilisateur,
        activite=activite,
        description=description,
        nombre_prestataires=nombre_prestataires,
        site=site,
        demande_autorisation=demande_autorisation,
        cle_idempotence=cle_idempotence,
        created_by=acting_user,
    )
    if recurrence is not None:
        demande.recurrente = True
        demande.jours = recurrence.jours
        demande.intervalle_semaines = recurrence.intervalle
        demande.periode_debut = recurrence.debut
        demande.periode_fin = recurrence.fin
        demande.semaines_scolaires = recurrence.semaines_scolaires
    try:
        with transaction.atomic():
            save_as(demande, acting_user)
    except IntegrityError:
        existing = Demande.objects.filter(cle_idempotence=cle_idempotence).first()
        if existing is not None:
            raise DuplicateSubmit(existing) from None
        raise
    Creneau.objects.bulk_create(Creneau(demande=demande, date=d, debut=h1, fin=h2) for d, h1, h2 in creneaux)
    by_staff = acting_user is not None and not acting_user.is_client
    ChangementStatut.objects.create(
        demande=demande,
        de="",
        vers=S.NOUVELLE,
        motif=_("Demande encodée par l'agence pour le client.") if by_staff else _("Demande envoyée en ligne."),
        par=acting_user,
    )
    first = min(creneaux)
    first_date = f"{short_date(first[0])} {short_time(first[1])}-{short_time(first[2])}"
    if not by_staff:
        notify(
            NEW_REQUEST.code,
            recipients=agency_staff(demande.agence),
            # A link, not the details: no description, address or status in e-mails or the task store (docs/privacy.md).
            context={
                "title": _("%(activite)s, demande n° %(n)s") % {"activite": activite.nom, "n": demande.pk},
                # The e-mail names the client, read at sending (utilisateurs.notifications); the store keeps the id.
                "demande": demande.pk,
                "lines": [first_date],
                "path": reverse("utilisateurs:staff_demande", args=[demande.pk]),
            },
        )
    notify(
        REQUEST_RECEIVED.code,
        recipients=[utilisateur.compte] if utilisateur.compte_id else [],
        context={
            "title": activite.nom,
            "agence": str(demande.agence),
            "lines": [
                _("Première date souhaitée : %(date)s") % {"date": first_date},
                _("Nombre de dates : %(n)s") % {"n": len(creneaux)},
            ],
            "path": reverse("utilisateurs:demande", args=[demande.pk]),
        },
    )
    return demande


@transaction.atomic
def change_statut(*, demande: Demande, statut: str, motif: str, acting_user) -> Demande:
    demande = Demande.objects.select_for_update().get(pk=demande.pk)
    check_transition(
        TRANSITIONS_DEMANDE,
        demande.statut,
        statut,
        _("Une demande « %(de)s » ne peut pas passer à « %(vers)s ».")
        % {"de": demande.get_statut_display(), "vers": S(statut).label},
    )
    if not motif.strip():
        raise ValidationError(_("Expliquez ce changement (le client le lit)."), code="motif")
    ChangementStatut.objects.create(
        demande=demande, de=demande.statut, vers=statut, motif=motif.strip(), par=acting_user
    )
    demande.statut = statut
    save_as(demande, acting_user, reason=motif, update_fields=["statut"])
    return demande


def cancellation_deadline(creneau: Creneau) -> datetime.datetime:
    hours = ParametresUtilisateurs.for_agence(creneau.demande.agence).delai_annulation_heures
    return creneau.starts_at - datetime.timedelta(hours=hours)


def can_cancel(creneau: Creneau, now=None) -> bool:
    return not creneau.annule and (now or timezone.now()) < cancellation_deadline(creneau)


@transaction.atomic
def cancel_demande(*, demande: Demande, motif: str, acting_user) -> Demande:
    """The client cancels the whole request; every wished date still to come must be before the deadline."""
    demande = Demande.objects.select_for_update().get(pk=demande.pk)
    if not demande.is_open:
        raise ValidationError(_("Cette demande est déjà terminée ou annulée."), code="closed")
    now = timezone.now()
    delai = ParametresUtilisateurs.for_agence(demande.agence).delai_annulation_heures
    upcoming = [c for c in demande.creneaux.actifs() if c.starts_at > now]
    if upcoming and not all(can_cancel(c, now) for c in upcoming):
        raise ValidationError(
            _(
                "Trop tard pour annuler en ligne : l'agence demande %(h)s heures de préavis. "
                "Annulez les séances suivantes une à une ou téléphonez à l'agence."
            )
            % {"h": delai},
            code="deadline",
        )
    Creneau.objects.filter(pk__in=[c.pk for c in upcoming]).update(annule=True, annule_le=now)
    sessions = _cancel_planned_sessions(demande, [c.date for c in upcoming], acting_user)
    demande = change_statut(
        demande=demande, statut=S.ANNULEE, motif=motif.strip() or _("Annulée par le client."), acting_user=acting_user
    )
    # What an undo checks is still the last step of each record (ale_platform/undo.py).
    demande.undo_state = {"c": last_change_id(demande), "cr": [c.pk for c in upcoming], "p": sessions}
    return demande


def last_change_id(demande: Demande) -> int | None:
    """The id of the request's last logged status change (an undo checks it is still the one it undoes)."""
    return demande.changements.order_by("-pk").values_list("pk", flat=True).first()


@transaction.atomic
def undo_cancel_demande(*, demande: Demande, state: dict, acting_user) -> Demande:
    """Undoes the client's cancellation of a request while nothing changed since (ale_platform/undo.py): the request
    goes back to the status it had (a logged step), its wished dates come back, and the sessions the cancellation
    cancelled are planned again (their rules checked again, worker and client told)."""
    demande = Demande.objects.select_for_update().get(pk=demande.pk)
    last = demande.changements.order_by("-pk").first()
    if demande.statut != S.ANNULEE or last is None or last.pk != state["c"] or not last.de:
        raise changed_since()
    creneaux = Creneau.objects.filter(demande=demande, pk__in=state["cr"], annule=True)
    if creneaux.count() != len(state["cr"]):
        raise changed_since()
    restore_cancelled_sessions(demande=demande, transition_ids=state["p"], acting_user=acting_user)
    for creneau in creneaux:
        creneau.annule, creneau.annule_le = False, None
        save_as(creneau, acting_user, update_fields=["annule", "annule_le"])
    motif = _("Annulation annulée par le client : la demande est rétablie.")
    # The one step outside TRANSITIONS_DEMANDE (ale_platform/states.py): back to where the last step came from.
    ChangementStatut.objects.create(demande=demande, de=S.ANNULEE, vers=last.de, motif=motif, par=acting_user)
    demande.statut = last.de
    save_as(demande, acting_user, reason=motif, update_fields=["statut"])
    return demande


@transaction.atomic
def move_creneau(*, creneau: Creneau, date, debut, fin, acting_user) -> Creneau:
    """The client moves one wished date, up to the agency's deadline before the old one."""
    creneau = Creneau.objects.select_for_update().select_related("demande__agence").get(pk=creneau.pk)
    demande = creneau.demande
    delai = ParametresUtilisateurs.for_agence(demande.agence).delai_annulation_heures
    if not demande.is_open or creneau.annule:
        raise ValidationError(_("Cette séance ne peut plus être déplacée."), code="closed")
    if not can_cancel(creneau):
        raise ValidationError(
            _("Trop tard pour déplacer cette séance en ligne (%(h)s heures de préavis) : téléphonez à l'agence.")
            % {"h": delai},
            code="deadline",
        )
    errors = {}
    new_start = timezone.make_aware(datetime.datetime.combine(date, debut))
    if new_start < timezone.now() + datetime.timedelta(hours=delai):
        errors["date"] = _("La nouvelle date doit laisser %(h)s heures de préavis à l'agence.") % {"h": delai}
    if fin <= debut:
        errors["fin"] = _("L'heure de fin doit suivre l'heure de début.")
    if Creneau.objects.filter(demande=demande, date=date, debut=debut).exclude(pk=creneau.pk).exists():
        errors["date"] = _("Cette demande a déjà une séance à ce moment.")
    if not errors:
        problems = booking_blockers(
            demande.utilisateur, demande.activite, [date], demande_autorisation=demande.demande_autorisation
        )
        if problems:
            errors["date"] = problems
    if errors:
        raise ValidationError(errors)
    old_date = creneau.date
    creneau.date, creneau.debut, creneau.fin = date, debut, fin
    save_as(creneau, acting_user, update_fields=["date", "debut", "fin"])
    _move_planned_sessions(demande, old_date, creneau, acting_user)
    return creneau


def _cancel_planned_sessions(demande: Demande, dates, acting_user) -> list[int]:
    """The prestations already planned for cancelled wished dates are cancelled too (worker and client notified);
    the ids of the cancellations' logged steps."""
    return cancel_planned_sessions(
        demande=demande, dates=dates, acting_user=acting_user, motif=_("Annulée en ligne par le client.")
    )


def _move_planned_sessions(demande: Demande, old_date, creneau: Creneau, acting_user) -> None:
    """A session already planned for the moved date follows it, if the worker can (caps, other work)."""
    try:
        move_planned_sessions(
            demande=demande,
            old_date=old_date,
            date=creneau.date,
            debut=creneau.debut,
            fin=creneau.fin,
            acting_user=acting_user,
            motif=_("Déplacée en ligne par le client."),
        )
    except ValidationError as exc:
        raise ValidationError(
            {
                "date": _(
                    "Le ou la prestataire prévu·e ne peut pas venir à ce moment (%(why)s). "
                    "Choisissez un autre moment ou téléphonez à l'agence."
                )
                % {"why": " ".join(exc.messages)}
            }
        ) from exc


@transaction.atomic
def cancel_creneau(*, creneau: Creneau, acting_user) -> Creneau:
    """The client cancels one wished date of a recurrence, up to the agency's deadline."""
    creneau = Creneau.objects.select_for_update().select_related("demande__agence").get(pk=creneau.pk)
    if not creneau.demande.is_open:
        raise ValidationError(_("Cette demande est déjà terminée ou annulée."), code="closed")
    if creneau.annule:
        raise ValidationError(_("Cette séance est déjà annulée."), code="already")
    if not can_cancel(creneau):
        delai = ParametresUtilisateurs.for_agence(creneau.demande.agence).delai_annulation_heures
        raise ValidationError(
            _("Trop tard pour annuler cette séance en ligne (%(h)s heures de préavis) : téléphonez à l'agence.")
            % {"h": delai},
            code="deadline",
        )
    creneau.annule = True
    creneau.annule_le = timezone.now()
    save_as(creneau, acting_user, update_fields=["annule", "annule_le"])
    _cancel_planned_sessions(creneau.demande, [creneau.date], acting_user)
    if not creneau.demande.creneaux.actifs().exists():
        change_statut(
            demande=creneau.demande,
            statut=S.ANNULEE,
            motif=_("Toutes les séances ont été annulées par le client."),
            acting_user=acting_user,
        )
    return creneau
