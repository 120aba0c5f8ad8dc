"""Writes of the Forem liaison: the referral state machine, feedback publication, replies, settings."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ale_platform.history import save_as
from ale_platform.identifiers import validate_niss
from ale_platform.models import AgenceMembership
from ale_platform.notifications import FEEDBACK_PUBLISHED, REFERRAL_RECEIVED, agency_staff, notify
from ale_platform.states import check_transition, next_states
from ale_platform.undo import changed_since
from prestations.planning import review_shared_decline_reason

from .faits import compute_faits, declines, declines_to_review
from .models import (
    TRANSITIONS_ADRESSAGE,
    Adressage,
    CategorieAttente,
    EtatAdressage,
    IssueAdressage,
    ParametresForem,
    ReponseRetour,
    RetourAdressage,
    TransitionAdressage,
)

E = EtatAdressage
MAX_CONVOCATIONS = 2


def allowed_transitions(adressage: Adressage, user) -> list[str]:
    """The target states this user may choose now (staff move the referral on; the adviser can only withdraw)."""
    targets = next_states(TRANSITIONS_ADRESSAGE, adressage.etat)
    if user.is_conseiller:
        return [E.RETIRE] if E.RETIRE in targets and adressage.conseiller.user_id == user.pk else []
    return [t for t in targets if t != E.RETIRE]


def _staff_of(user, agence) -> bool:
    return user.is_superuser or (
        user.is_collaborateur and AgenceMembership.objects.filter(user=user, agence=agence).exists()
    )


def _validate_referral_fields(*, niss, categories, consentement_partage, service):
    errors = {}
    try:
        validate_niss(niss)
    except ValidationError as exc:
        errors["niss"] = exc.messages
    unknown = set(categories) - set(CategorieAttente.values)
    if unknown:
        errors["categories"] = [_("Catégorie inconnue : %(c)s.") % {"c": ", ".join(sorted(unknown))}]
    if not consentement_partage:
        errors["consentement_partage"] = [
            _(
                "Le consentement de la personne au partage d'informations entre l'ALE et son service de l'emploi "
                "(%(service)s) est requis."
            )
            % {"service": service.nom_court}
        ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_adressage(
    *,
    conseiller,
    agence,
    nom,
    prenom,
    niss,
    motif,
    categories=(),
    numero_dossier_forem="",
    telephone="",
    email="",
    consentement_partage,
    date_adressage=None,
    equipe=None,
    acting_user,
) -> Adressage:
    """An adviser refers a job seeker to an agency. One open referral per person and adviser (DB constraint)."""
    if not (acting_user.is_superuser or conseiller.user_id == acting_user.pk):
        raise PermissionDenied
    categories = list(dict.fromkeys(categories))
    _validate_referral_fields(
        niss=niss,
        categories=categories,
        consentement_partage=consentement_partage,
        service=conseiller.bureau.service,
    )
    service = conseiller.bureau.service
    if agence.region != service.region:
        # An office refers only to the agencies of its own service's region (the Forem to Wallonia, Actiris to
        # Brussels, the ADG to the German-speaking Community).
        raise ValidationError(
            {
                "agence": [
                    _("Cette agence n'est pas dans la région de votre service (%(service)s : %(region)s).")
                    % {"service": service.nom_court, "region": service.get_region_display()}
                ]
            }
        )
    if equipe is not None and not conseiller.equipes.filter(pk=equipe.pk).exists():
        raise ValidationError({"equipe": [_("Vous ne faites pas partie de cette équipe.")]})
    if Adressage.objects.open().filter(niss=niss, conseiller=conseiller).exists():
        raise ValidationError({"niss": [_("Vous avez déjà un adressage en cours pour cette personne.")]})
    today = timezone.localdate()
    try:
        with transaction.atomic():
            adressage = Adressage.objects.create(
                conseiller=conseiller,
                bureau=conseiller.bureau,
                agence=agence,
                equipe=equipe,
                nom=nom.strip(),
                prenom=prenom.strip(),
                niss=niss,
                numero_dossier_forem=numero_dossier_forem.strip(),
                telephone=telephone.strip(),
                email=email.strip(),
                motif=motif.strip(),
                categories=categories,
                consentement_partage=True,
                consentement_le=today,
                date_adressage=date_adressage or today,
            )
    except IntegrityError:  # a concurrent duplicate slipped past the check above
        raise ValidationError({"niss": [_("Vous avez déjà un adressage en cours pour cette personne.")]}) from None
    TransitionAdressage.objects.create(adressage=adressage, de="", vers=E.RECU, par=acting_user)
    notify(
        REFERRAL_RECEIVED.code,
        recipients=agency_staff(agence),
        # A link, not the details (docs/privacy.md): no name, NISS nor reason in e-mails or the task store.
        context={
            "title": _("adressage n° %(n)s") % {"n": adressage.pk},
            "lines": [
                _("Bureau (%(service)s) : %(b)s")
                % {"service": conseiller.bureau.service.nom_court, "b": adressage.bureau}
            ],
            "path": reverse("forem_liaison:detail", args=[adressage.pk]),
            "service": conseiller.bureau.service.nom_court,
        },
    )
    return adressage


@transaction.atomic
def transition(*, adressage, vers, motif="", issue="", prestataire=None, acting_user) -> Adressage:
    """Moves a referral to another state, with a row lock and a line in the transition log."""
    adressage = Adressage.objects.select_for_update().select_related("conseiller").get(pk=adressage.pk)
    de = adressage.etat
    if vers not in E.values:
        raise ValidationError({"vers": [_("État inconnu.")]})
    check_transition(
        TRANSITIONS_ADRESSAGE,
        de,
        vers,
        {
            "vers": [
                _("Impossible de passer de « %(de)s » à « %(vers)s ».") % {"de": E(de).label, "vers": E(vers).label}
            ]
        },
    )
    if vers == E.RETIRE:
        if not (acting_user.is_superuser or adressage.conseiller.user_id == acting_user.pk):
            raise PermissionDenied
    elif not _staff_of(acting_user, adressage.agence):
        raise PermissionDenied
    motif = (motif or "").strip()
    errors = {}
    if vers == E.CONVOQUE and de == E.ABSENT:
        sent = adressage.transitions.filter(vers=E.CONVOQUE).count()
        if sent >= MAX_CONVOCATIONS:
            errors["vers"] = [_("Une seconde convocation a déjà été envoyée : clôturez l'adressage.")]
    if vers == E.REFUSE:
        if not motif:
            errors["motif"] = [_("Indiquez le motif du refus ou de la non-éligibilité.")]
        adressage.motif_refus = motif
    if vers == E.CLOTURE:
        if issue not in IssueAdressage.values:
            errors["issue"] = [_("Choisissez l'issue de l'accompagnement.")]
        adressage.issue = issue
    if vers == E.INSCRIT:
        if prestataire is None:
            errors["prestataire"] = [_("Choisissez le dossier prestataire de la personne.")]
        elif prestataire.agence_id != adressage.agence_id:
            errors["prestataire"] = [_("Ce dossier prestataire n'appartient pas à l'agence de l'adressage.")]
        elif prestataire.niss != adressage.niss:
            errors["prestataire"] = [_("Ce dossier prestataire ne porte pas le NISS de la personne adressée.")]
        adressage.prestataire = prestataire
    if errors:
        raise ValidationError(errors)
    if vers == E.CONVOQUE and adressage.premier_contact_le is None:
        adressage.premier_contact_le = timezone.localdate()
    adressage.etat = vers
    save_as(adressage, acting_user, reason=motif)
    TransitionAdressage.objects.create(adressage=adressage, de=de, vers=vers, par=acting_user, motif=motif)
    return adressage


def withdraw(*, adressage, motif="", acting_user) -> Adressage:
    adressage = transition(adressage=adressage, vers=E.RETIRE, motif=motif, acting_user=acting_user)
    # What an undo checks is still the last step (ale_platform/undo.py).
    adressage.undo_state = {"t": adressage.transitions.order_by("-pk").values_list("pk", flat=True).first()}
    return adressage


@transaction.atomic
def undo_withdraw(*, adressage, transition_id, acting_user) -> Adressage:
    """Undoes a withdrawal while it is still the referral's last step (ale_platform/undo.py): back to the state it
    left, logged as a step of its own; only the adviser who owns the referral (as for the withdrawal)."""
    adressage = Adressage.objects.select_for_update().select_related("conseiller").get(pk=adressage.pk)
    if not (acting_user.is_superuser or adressage.conseiller.user_id == acting_user.pk):
        raise PermissionDenied
    last = adressage.transitions.order_by("-pk").first()
    if adressage.etat != E.RETIRE or last is None or last.pk != transition_id or not last.de:
        raise changed_since()
    motif = _("Retrait annulé : l'adressage est rétabli.")
    # The one step outside TRANSITIONS_ADRESSAGE (ale_platform/states.py): back to where the last step came from.
    adressage.etat = last.de
    save_as(adressage, acting_user, reason=motif)
    TransitionAdressage.objects.create(adressage=adressage, de=E.RETIRE, vers=last.de, par=acting_user, motif=motif)
    return adressage


@transaction.atomic
def share_with_equipe(*, adressage, equipe, acting_user) -> Adressage:
    """The adviser shares their referral with one of their teams (or stops sharing with None)."""
    adressage = Adressage.objects.select_for_update().get(pk=adressage.pk)
    if adressage.conseiller.user_id != acting_user.pk:
        raise PermissionDenied
    if equipe is not None and not adressage.conseiller.equipes.filter(pk=equipe.pk).exists():
        raise ValidationError({"equipe": [_("Vous ne faites pas partie de cette équipe.")]})
    adressage.equipe = equipe
    save_as(adressage, acting_user, update_fields=["equipe", "updated_at"])
    return adressage


def _check_retour_fields(periode_debut, periode_fin):
    if periode_fin < periode_debut:
        raise ValidationError({"periode_fin": [_("La fin de la période précède son début.")]})
    if periode_fin > timezone.localdate():
        raise ValidationError({"periode_fin": [_("La période ne peut pas finir dans le futur.")]})


@transaction.atomic
def create_retour(*, adressage, periode_debut, periode_fin, texte, corrige=None, acting_user) -> RetourAdressage:
    """A draft feedback entry: facts and words, never a score. A correction of a published entry is a new entry
    pointing to it."""
    adressage = Adressage.objects.select_for_update().get(pk=adressage.pk)
    if not _staff_of(acting_user, adressage.agence):
        raise PermissionDenied
    if adressage.etat in (E.RECU, E.RETIRE):
        raise ValidationError(_("Un retour n'est possible qu'après la convocation de la personne."))
    if corrige is not None and (corrige.adressage_id != adressage.pk or not corrige.is_published):
        raise ValidationError({"corrige": [_("Seul un retour publié de cet adressage peut être corrigé.")]})
    _check_retour_fields(periode_debut, periode_fin)
    return RetourAdressage.objects.create(
        adressage=adressage,
        auteur=acting_user,
        periode_debut=periode_debut,
        periode_fin=periode_fin,
        texte=texte.strip(),
        corrige=corrige,
    )


def _locked_draft(retour, acting_user) -> RetourAdressage:
    retour = RetourAdressage.objects.select_for_update().select_related("adressage").get(pk=retour.pk)
    if not _staff_of(acting_user, retour.adressage.agence):
        raise PermissionDenied
    if retour.is_published:
        raise ValidationError(_("Un retour publié ne peut plus être modifié : publiez une correction."))
    return retour


@transaction.atomic
def review_decline_reasons(*, retour, motifs: dict[int, str], acting_user) -> int:
    """Staff review the wording of the declines a draft will share with the adviser (`motifs`: affectation pk →
    text). Only the referral's file's declines of the draft's period; each change has its history row."""
    retour = _locked_draft(retour, acting_user)
    worker = retour.adressage.prestataire_id
    if not worker:
        return 0
    rows = {a.pk: a for a in declines(worker, retour.periode_debut, retour.periode_fin)}
    errors, changed = {}, 0
    for pk, texte in motifs.items():
        affectation = rows.get(pk)
        if affectation is None:
            raise PermissionDenied  # another person's, agency's or period's decline
        if affectation.motif_transmis and (texte or "").strip() == affectation.motif_transmis:
            continue  # unchanged: no history row
        try:
            review_shared_decline_reason(affectation=affectation, texte=texte, acting_user=acting_user)
        except ValidationError as exc:
            errors[f"motif-{pk}"] = exc.messages
        else:
            changed += 1
    if errors:
        raise ValidationError(errors)
    return changed


@transaction.atomic
def update_retour(*, retour, periode_debut, periode_fin, texte, acting_user) -> RetourAdressage:
    retour = _locked_draft(retour, acting_user)
    _check_retour_fields(periode_debut, periode_fin)
    retour.periode_debut, retour.periode_fin = periode_debut, periode_fin
    retour.texte = texte.strip()
    retour.save()
    return retour


@transaction.atomic
def publish_retour(*, retour, acting_user) -> RetourAdressage:
    """Freezes the facts, publishes the entry and e-mails the adviser once the transaction is committed."""
    retour = _locked_draft(retour, acting_user)
    adressage = Adressage.objects.select_for_update().get(pk=retour.adressage_id)
    retour.adressage = adressage
    to_review = declines_to_review(retour)
    if to_review:
        raise ValidationError(
            ngettext(
                "Relisez d'abord le motif du refus transmis au conseiller ou à la conseillère (%(n)d à relire).",
                "Relisez d'abord les motifs des refus transmis au conseiller ou à la conseillère (%(n)d à relire).",
                to_review,
            )
            % {"n": to_review}
        )
    retour.faits = compute_faits(adressage, retour.periode_debut, retour.periode_fin)
    retour.statut = RetourAdressage.Statut.PUBLIE
    retour.publie_le = timezone.now()
    retour.save()
    today = timezone.localdate()
    if adressage.dernier_retour_le is None or adressage.dernier_retour_le < today:
        adressage.dernier_retour_le = today
    adressage.save(update_fields=["dernier_retour_le", "updated_at"])  # a new entry is a change, even the same day
    retour.adressage = adressage
    notify_adviser(retour)
    return retour


def notify_adviser(retour) -> None:
    """Through the platform's notification registry: sent once the transaction commits, by background task."""
    adressage = retour.adressage
    notify(
        FEEDBACK_PUBLISHED.code,
        recipients=[adressage.conseiller.user],
        context={
            "title": _("adressage n° %(n)s") % {"n": adressage.pk},
            "lines": [
                _("Agence : %(agence)s") % {"agence": adressage.agence.nom},
                _("Période du %(debut)s au %(fin)s")
                % {
                    "debut": date_format(retour.periode_debut, "SHORT_DATE_FORMAT"),
                    "fin": date_format(retour.periode_fin, "SHORT_DATE_FORMAT"),
                },
            ],
            "path": reverse("forem_liaison:detail", args=[adressage.pk]),
        },
    )


@transaction.atomic
def reply_to_retour(*, retour, texte, acting_user) -> ReponseRetour:
    """A short reply under a published entry, by an adviser who sees the referral or a collaborator of the agency."""
    retour = RetourAdressage.objects.select_related("adressage").get(pk=retour.pk)
    if not retour.is_published:
        raise ValidationError(_("On ne peut répondre qu'à un retour publié."))
    visible = Adressage.objects.for_user(acting_user).filter(pk=retour.adressage_id).exists()
    if not visible:
        raise PermissionDenied
    texte = (texte or "").strip()
    if not texte:
        raise ValidationError({"texte": [_("Écrivez votre réponse.")]})
    if len(texte) > 2000:
        raise ValidationError({"texte": [_("La réponse ne peut dépasser 2000 caractères.")]})
    reponse = ReponseRetour.objects.create(retour=retour, auteur=acting_user, texte=texte)
    Adressage.objects.filter(pk=retour.adressage_id).touch()
    return reponse


@transaction.atomic
def update_parametres(*, agence, delai_premier_contact_jours, periodicite_retour_jours, acting_user):
    """Only an administrator of the agency changes its deadlines."""
    is_admin = (
        acting_user.is_superuser
        or AgenceMembership.objects.filter(user=acting_user, agence=agence, is_admin=True).exists()
    )
    if not is_admin:
        raise PermissionDenied
    params, _created = ParametresForem.objects.select_for_update().get_or_create(agence=agence)
    params.delai_premier_contact_jours = delai_premier_contact_jours
    params.periodicite_retour_jours = periodicite_retour_jours
    params.full_clean()
    save_as(params, acting_user)
    return params


def default_periode(adressage: Adressage) -> tuple[datetime.date, datetime.date]:
    last = adressage.retours.filter(statut=RetourAdressage.Statut.PUBLIE).order_by("-periode_fin").first()
    debut = last.periode_fin + datetime.timedelta(days=1) if last else adressage.date_adressage
    fin = max(timezone.localdate(), debut)
    return debut, fin
