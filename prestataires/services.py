"""Writes on the worker's file that enforce business rules: status, contract, absences, availability, invitation.

Keyword-only functions taking `acting_user`, atomic, the worker's row locked where two collaborators could race.
"""

import datetime

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ale_platform.dates import short_date
from ale_platform.history import save_as
from ale_platform.models import Role, User
from ale_platform.notifications import BASE_ENDING, INVITATION, MY_BASIS_ENDING, agency_staff, notify
from ale_platform.states import check_transition, next_states

from . import eligibility
from .extensions import work_after_eligibility
from .models import (
    TRANSITIONS_PRESTATAIRE,
    Absence,
    ChangementStatut,
    ContratALE,
    DemiJournee,
    Disponibilite,
    Document,
    LectureRemarques,
    Prestataire,
    StatutPrestataire,
)

S = StatutPrestataire


def allowed_transitions(statut: str) -> list[str]:
    return next_states(TRANSITIONS_PRESTATAIRE, S(statut))


def _lock(prestataire: Prestataire) -> Prestataire:
    return Prestataire.objects.select_for_update().get(pk=prestataire.pk)


@transaction.atomic
def change_statut(
    *, prestataire: Prestataire, statut: str, motif: str, acting_user, date: datetime.date | None = None
) -> ChangementStatut:
    locked = _lock(prestataire)
    current = S(locked.statut)
    if statut not in S.values:
        raise ValidationError({"statut": _("Statut inconnu.")})
    if statut == current:
        raise ValidationError({"statut": _("Le dossier a déjà ce statut.")})
    check_transition(
        TRANSITIONS_PRESTATAIRE,
        current,
        statut,
        {
            "statut": _("Passage de « %(old)s » à « %(new)s » impossible : une étape serait sautée.")
            % {"old": current.label, "new": S(statut).label}
        },
    )
    if statut == S.ACTIF and not locked.contrats.filter(date_signature__isnull=False).exists():
        raise ValidationError({"statut": _("Le contrat de travail ALE doit être signé avant de passer en actif.")})
    if not (motif or "").strip():
        raise ValidationError({"motif": _("Indiquez le motif du changement.")})
    change = ChangementStatut.objects.create(
        prestataire=locked,
        de=current,
        vers=statut,
        date=date or timezone.localdate(),
        motif=motif.strip(),
        par=acting_user,
    )
    locked.statut = statut
    save_as(locked, acting_user, reason=motif, update_fields=["statut"])
    prestataire.statut = statut
    return change


@transaction.atomic
def create_contrat(*, prestataire: Prestataire, date_debut: datetime.date, acting_user) -> ContratALE:
    locked = _lock(prestataire)
    if locked.statut == S.SORTI:
        raise ValidationError({"date_debut": _("Ce dossier est clôturé (sorti) : réinscrivez d'abord la personne.")})
    if locked.contrats.filter(date_fin__isnull=True, date_signature__isnull=True).exists():
        raise ValidationError({"date_debut": _("Un contrat attend déjà sa signature.")})
    return save_as(ContratALE(prestataire=locked, date_debut=date_debut, created_by=acting_user), acting_user)


@transaction.atomic
def sign_contrat(*, contrat: ContratALE, date_signature: datetime.date, acting_user) -> ContratALE:
    """Records the signature date; a worker who was only registered becomes actif."""
    contrat = ContratALE.objects.select_for_update().get(pk=contrat.pk)
    if contrat.date_signature:
        raise ValidationError({"date_signature": _("Ce contrat est déjà signé.")})
    if date_signature > timezone.localdate():
        raise ValidationError({"date_signature": _("La date de signature ne peut pas être dans le futur.")})
    # Eligibility is checked before the contract (honnelles.be, braives.be): on the signature date and on the
    # first day of work.
    for day in sorted({date_signature, contrat.date_debut}):
        refused = eligibility.refusal(contrat.prestataire, day)
        if refused:
            raise ValidationError({"date_signature": refused})
    contrat.date_signature = date_signature
    save_as(contrat, acting_user, update_fields=["date_signature"])
    prestataire = contrat.prestataire
    if prestataire.statut == S.INSCRIT:
        change_statut(
            prestataire=prestataire,
            statut=S.ACTIF,
            motif=_("Contrat de travail ALE signé le %(date)s.") % {"date": short_date(date_signature)},
            acting_user=acting_user,
            date=date_signature,
        )
    return contrat


def overlapping_absences(prestataire: Prestataire, debut: datetime.date, fin: datetime.date, exclude=None):
    qs = Absence.objects.filter(prestataire=prestataire, debut__lte=fin, fin__gte=debut)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs


@transaction.atomic
def add_absence(
    *, prestataire: Prestataire, debut: datetime.date, fin: datetime.date, motif: str = "", acting_user
) -> Absence:
    locked = _lock(prestataire)  # two collaborators adding absences at once cannot both pass the check
    if fin < debut:
        raise ValidationError({"fin": _("La fin de l'absence doit suivre son début.")})
    clash = overlapping_absences(locked, debut, fin).first()
    if clash is not None:
        raise ValidationError({"debut": _("Cette absence chevauche celle du %(period)s.") % {"period": str(clash)}})
    return save_as(Absence(prestataire=locked, debut=debut, fin=fin, motif=motif), acting_user)


def slot_key(jour: int, demi: str) -> str:
    return f"{jour}-{demi}"


@transaction.atomic
def set_disponibilites(*, prestataire: Prestataire, slots: list[str], acting_user) -> None:
    """Replaces the weekly half-days; `slots` are "jour-demi_journee" keys (e.g. "0-matin")."""
    locked = _lock(prestataire)
    wanted = set()
    for slot in slots:
        jour, demi = slot.split("-", 1)
        if not (jour.isdigit() and 0 <= int(jour) <= 6 and demi in DemiJournee.values):
            raise ValidationError({"disponibilites": _("Demi-journée inconnue.")})
        wanted.add((int(jour), demi))
    Disponibilite.objects.filter(prestataire=locked).delete()
    Disponibilite.objects.bulk_create(
        [Disponibilite(prestataire=locked, jour=j, demi_journee=d) for j, d in sorted(wanted)]
    )


@transaction.atomic
def read_remarques(*, prestataire: Prestataire, acting_user) -> str:
    """The confidential remarks, for a collaborator of the worker's agency only; the read is logged."""
    if not (acting_user.is_collaborateur and prestataire.agence.memberships.filter(user=acting_user).exists()):
        raise PermissionError("only the agency's collaborators read confidential remarks")
    LectureRemarques.objects.create(prestataire=prestataire, user=acting_user)
    return prestataire.remarques_sensibles


@transaction.atomic
def update_remarques(*, prestataire: Prestataire, texte: str, acting_user) -> None:
    if not (acting_user.is_collaborateur and prestataire.agence.memberships.filter(user=acting_user).exists()):
        raise PermissionError("only the agency's collaborators write confidential remarks")
    locked = _lock(prestataire)
    locked.remarques_sensibles = texte
    save_as(locked, acting_user, update_fields=["remarques_sensibles"])


@transaction.atomic
def add_document(*, prestataire: Prestataire, type: str, titre: str, fichier, acting_user, visible=True) -> Document:
    return Document.objects.create(
        prestataire=prestataire,
        type=type,
        titre=titre,
        fichier=fichier,
        uploaded_by=acting_user,
        visible_prestataire=visible,
    )


@transaction.atomic
def invite_prestataire(*, prestataire: Prestataire, acting_user, base_url: str) -> User:
    """Creates the worker's account (role prestataire, no usable password) and e-mails a link to choose one.

    The link is allauth's password-reset key, so the worker sets a password on allauth's own page.
    """
    locked = _lock(prestataire)
    if locked.compte_id:
        raise ValidationError({"email": _("Ce ou cette prestataire a déjà un compte.")})
    if not locked.email:
        raise ValidationError({"email": _("Encodez d'abord l'adresse e-mail du ou de la prestataire.")})
    if User.objects.filter(email__iexact=locked.email).exists():
        raise ValidationError({"email": _("Un compte existe déjà avec cette adresse e-mail.")})
    user = User(
        email=locked.email, first_name=locked.prenom, last_name=locked.nom, role=Role.PRESTATAIRE, langue=locked.langue
    )
    user.set_unusable_password()
    user.save()
    # The address is the one the agency checked with the person; the link proves it again.
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    locked.compte = user
    save_as(locked, acting_user, update_fields=["compte"])
    prestataire.compte = user
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    agence = locked.agence
    with translation.override(user.langue):  # the text is written now, in the worker's language
        notify(
            INVITATION.code,
            recipients=[user],
            context={
                "subject": _("Votre espace prestataire à %(agence)s") % {"agence": agence.nom},
                "name": locked.prenom,
                "paragraphs": [
                    _(
                        "%(agence)s vous ouvre un espace prestataire : vous y verrez vos prestations à venir, "
                        "vos heures du mois et vos documents."
                    )
                    % {"agence": agence.nom}
                ],
                "links": [(_("Choisissez votre mot de passe en suivant ce lien :"), base_url + path)],
                "closing": [_("Une question ? Appelez-nous au %(tel)s.") % {"tel": agence.telephone}],
            },
        )
    return user


_AS_READ = object()


def basis_end_recorded(situation, *, previous=_AS_READ, today: datetime.date | None = None) -> bool:
    """The one trigger when a basis gets an end date, or a new one, whatever the path: typed in the staff form or
    the admin (the model's save signal), imported (`reprise`: the save signal for a changed row, the importer's
    after-write step for a new one, written in bulk), computed (any later save). Tells the worker at once, in plain
    words, and staff with the planned slots after the end (`announce_basis_end`). A second call for the same end
    date is a no-op. `previous`: the end date before this write when the caller knows it (None for a row just
    inserted in bulk), else the one the record was read with."""
    if previous is _AS_READ:
        previous = getattr(situation, "_loaded_jusqu_au", None)
    situation._loaded_jusqu_au = situation.jusqu_au
    if situation.jusqu_au is None or situation.jusqu_au == previous:
        return False
    return announce_basis_end(situation, today or timezone.localdate())


def _slots_after(worker, end: datetime.date) -> list[str]:
    """The dates of the worker's planned or unvalidated prestations after `end` on which no basis covers them."""
    days = sorted({risk.prestation.date for risk in work_after_eligibility(prestataire=worker)})
    return [short_date(day) for day in days if day > end]


def announce_basis_end(situation, today: datetime.date) -> bool:
    """Tells the agency's staff and the worker (in plain words) that a basis ends, when no other basis takes over
    the day after; staff read the dates of the slots planned after it (a link, no name or basis: docs/privacy.md).
    Called at once when the end date is recorded (`basis_end_recorded`), then 30 and 7 days before by the daily
    task (`tasks.notify_bases_ending`). Returns whether anyone was told."""
    if situation.jusqu_au is None or situation.jusqu_au < today:
        return False
    worker = situation.prestataire
    if not any(b.fin == situation.jusqu_au for b in eligibility.bases_ending(worker, today)):
        return False
    end = short_date(situation.jusqu_au)
    after = _slots_after(worker, situation.jusqu_au)
    dates = ", ".join(after)
    staff_lines = [_("Une base d'éligibilité prend fin le %(date)s.") % {"date": end}]
    if after:
        staff_lines.append(
            ngettext(
                "%(n)s prestation prévue après cette date, à annuler, confier à un·e autre prestataire ou couvrir "
                "par une autre base : %(dates)s.",
                "%(n)s prestations prévues après cette date, à annuler, confier à un·e autre prestataire ou couvrir "
                "par une autre base : %(dates)s.",
                len(after),
            )
            % {"n": len(after), "dates": dates}
        )
    notify(
        BASE_ENDING.code,
        recipients=agency_staff(worker.agence),
        context={
            "title": _("dossier prestataire n° %(n)s") % {"n": worker.pk},
            "lines": staff_lines,
            "path": reverse("prestataires:detail", args=[worker.pk]),
            "service": worker.agence.service_emploi.nom_court,
        },
    )
    account = worker.compte
    # The worker's text is written now, in their language (decision 52).
    with translation.override(getattr(account, "langue", None) or worker.langue or None):
        worker_lines = (
            [
                _("Vous avez du travail prévu après cette date : %(dates)s. L'ALE vous contactera à ce sujet.")
                % {"dates": dates}
            ]
            if after
            else []
        )
        title = _("jusqu'au %(date)s") % {"date": end}
    notify(
        MY_BASIS_ENDING.code,
        recipients=[account],
        context={
            "title": title,
            "lines": worker_lines,
            "path": reverse("prestataires:espace"),
            "service": worker.agence.service_emploi.nom_court,
        },
    )
    return True


def on_situation_saved(sender, instance, raw=False, **kwargs):
    """post_save of `SituationEligibilite` (connected in `apps.ready`): every save that records an end date."""
    if not raw:
        basis_end_recorded(instance)
