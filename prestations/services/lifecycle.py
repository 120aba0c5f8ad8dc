"""The life of a prestation: recorded (planned or worked), moved, confirmed, validated, cancelled, missed.

`record_prestation` / `update_hours` are THE only ways hours are written: they lock the person's files
(`rulebook.lock_person`) and run every rule (`checks.check_all`) inside one transaction. See docs/prestations.md
and docs/regles.md.
"""

from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ale_platform.dates import short_date, short_time
from ale_platform.history import save_as
from ale_platform.notifications import CANCELLATION, CAP_NEARLY_REACHED, agency_staff, notify
from ale_platform.states import check_transition
from ale_platform.undo import changed_since
from utilisateurs.models import Demande, StatutDemande
from utilisateurs.services import change_statut

from ..models import TRANSITIONS_PRESTATION, Affectation, Prestation, StatutPrestation, TransitionPrestation
from ..rulebook import hour_meters, law_in_force, lock_person
from .checks import check_all, ensure_eligible, fmt_h


def move_to(prestation, vers, *, acting_user, motif="", au_nom_de="", field=None) -> None:
    """Sets the state after checking the move is allowed, and logs it (`TransitionPrestation`); the caller saves.
    Staying in the same state (new hours, a planned slot moved) is not a transition and is not logged."""
    de = prestation.statut
    if vers == Prestation.Statut.DECLAREE:
        prestation.declaree_le = timezone.now()  # a correction of the declaration is dated too
    if de == vers:
        return
    message = _("Une prestation « %(de)s » ne peut pas passer à « %(vers)s ».") % {
        "de": StatutPrestation(de).label,
        "vers": StatutPrestation(vers).label,
    }
    check_transition(TRANSITIONS_PRESTATION, de, vers, {field: [message]} if field else message)
    prestation.statut = vers
    prestation._pending_transition = TransitionPrestation(
        de=de, vers=vers, par=acting_user, motif=motif, au_nom_de=au_nom_de
    )


def save_moved(prestation, acting_user, *, reason="") -> Prestation:
    """Saves the prestation (history row) and the transition `move_to` prepared, in the caller's transaction."""
    save_as(prestation, acting_user, reason=reason)
    log = getattr(prestation, "_pending_transition", None)
    if log is not None:
        log.prestation = prestation
        log.save()
        del prestation._pending_transition
    return prestation


def prior_interview_problem(demande, prestataire, on) -> str | None:
    """Why the worker's assignment to `demande` cannot be planned or worked on `on` yet (None if it can): the
    region's law requires a prior interview between the worker and an ALE adviser before every new assignment
    (Brussels: alepwabru.be "ALE cheques"), and none is recorded."""
    affectation = (
        Affectation.objects.actives().filter(demande=demande, prestataire=prestataire).order_by("-created_at").first()
    )
    if affectation is None or affectation.entretien_prealable_le is not None:
        return None
    agence = prestataire.agence
    if not law_in_force(agence.region, on).entretien_prealable:
        return None
    return _(
        "%(p)s : l'affectation ne peut pas être confirmée avant l'entretien préalable avec un·e conseiller·ère de "
        "l'ALE, que la loi de la région %(region)s exige pour chaque nouvelle affectation. Enregistrez-le d'abord "
        "(date, par qui)."
    ) % {"p": prestataire, "region": agence.get_region_display()}


@transaction.atomic
def record_prestation(
    *,
    prestataire,
    utilisateur,
    activite,
    date,
    debut,
    fin,
    heures,
    acting_user,
    demande=None,
    statut=Prestation.Statut.EFFECTUEE,
    override_reason=None,
) -> Prestation:
    """Records a prestation (planned slot or hours worked) after checking every rule; the only way to add hours."""
    heures = Decimal(str(heures)) if heures is not None else None
    if demande is not None and (problem := prior_interview_problem(demande, prestataire, date)):
        raise ValidationError({NON_FIELD_ERRORS: [problem]})
    worker = lock_person(prestataire)
    checked = check_all(
        prestataire=worker,
        utilisateur=utilisateur,
        activite=activite,
        date=date,
        debut=debut,
        fin=fin,
        heures=heures,
        statut=statut,
        override_reason=override_reason,
    )
    prestation = Prestation(
        agence=worker.agence,
        prestataire=worker,
        utilisateur=utilisateur,
        activite=activite,
        demande=demande,
        date=date,
        debut=debut,
        fin=fin,
        heures=heures,
        statut=statut,
        created_by=acting_user,
        motif_derogation=checked.motif,
    )
    if statut == Prestation.Statut.VALIDEE:
        prestation.validee_le, prestation.validee_par = timezone.now(), acting_user
    if statut == Prestation.Statut.DECLAREE:
        prestation.declaree_le = timezone.now()
    prestation._pending_transition = TransitionPrestation(de="", vers=statut, par=acting_user)
    save_moved(prestation, acting_user)
    _notify_near_caps(worker, date, checked.meters, checked.meters.plus(checked.categorie, heures))
    return prestation


def _notify_near_caps(worker, day, before, after) -> None:
    """Tells the agency's staff when this prestation brought the person to ≥ 80 % of a cap (month or year), for
    a month or year not already over: a past period's cap is history that nobody can act on any more (and
    recording months of past work, as the demo's seed does, would send one identical e-mail per month)."""
    today = timezone.localdate()
    year_label = after.year.label
    year_open = day.year >= today.year
    month_open = (day.year, day.month) >= (today.year, today.month)
    was = {m.label for m in before.meters if m.near or m.over}
    crossed = [
        m
        for m in after.meters
        if (m.near or m.over) and m.label not in was and (year_open if m.label == year_label else month_open)
    ]
    if not crossed:
        return
    periods = {True: str(day.year), False: formats.date_format(day, "YEAR_MONTH_FORMAT")}
    notify(
        CAP_NEARLY_REACHED.code,
        recipients=agency_staff(worker.agence),
        context={
            "title": _("dossier prestataire n° %(n)s") % {"n": worker.pk},
            "lines": [
                _("%(label)s (%(period)s) : %(used)s h sur %(cap)s h")
                % {
                    "label": m.label.capitalize(),
                    "period": periods[m.label == year_label],
                    "used": fmt_h(m.used),
                    "cap": fmt_h(m.cap),
                }
                for m in crossed
            ],
            "path": reverse("prestataires:detail", args=[worker.pk]),
        },
    )


def _notify_cancellation(prestation, what: str) -> None:
    p = prestation
    context = {
        "title": f"{p.activite.nom}, {short_date(p.date)} {short_time(p.debut)}-{short_time(p.fin)}",
        "lines": [what],  # no names: each reads who and where on the platform (docs/privacy.md)
    }
    notify(
        CANCELLATION.code,
        recipients=[p.prestataire.compte],
        context={**context, "path": reverse("prestations:mes_prestations")},
    )
    notify(
        CANCELLATION.code, recipients=[p.utilisateur.compte], context={**context, "path": reverse("prestations:client")}
    )


@transaction.atomic
def update_hours(
    *,
    prestation,
    acting_user,
    heures,
    debut=None,
    fin=None,
    date=None,
    statut=Prestation.Statut.EFFECTUEE,
    override_reason=None,
    motif="",
    au_nom_de="",
) -> Prestation:
    """Writes the real hours of a slot (or moves it, with statut planifiée), with every check of a new recording."""
    worker = lock_person(prestation.prestataire)
    prestation = (
        Prestation.objects.select_for_update(of=("self",))
        .select_related("utilisateur", "activite")
        .get(pk=prestation.pk)
    )
    if prestation.statut == Prestation.Statut.VALIDEE:
        raise ValidationError(
            {"heures": [_("Cette prestation est déjà validée : ses heures ne peuvent plus changer.")]}
        )
    heures = Decimal(str(heures)) if heures is not None else None
    date = date or prestation.date
    debut = debut or prestation.debut
    fin = fin or prestation.fin
    derogation = check_all(
        prestataire=worker,
        utilisateur=prestation.utilisateur,
        activite=prestation.activite,
        date=date,
        debut=debut,
        fin=fin,
        heures=heures,
        statut=statut,
        override_reason=override_reason,
        exclude_pk=prestation.pk,
    ).motif
    move_to(prestation, statut, acting_user=acting_user, motif=motif, au_nom_de=au_nom_de, field="heures")
    prestation.date, prestation.debut, prestation.fin, prestation.heures = date, debut, fin, heures
    if derogation:
        prestation.motif_derogation = derogation
    return save_moved(prestation, acting_user, reason=motif)


@transaction.atomic
def move_prestation(*, prestation, date, debut, fin, acting_user, heures=None, motif="", override_reason=None):
    """Moves a planned slot; its history keeps the old date and times. The worker and the client are told."""
    if prestation.statut != Prestation.Statut.PLANIFIEE:
        raise ValidationError({"date": [_("Seule une prestation planifiée peut être déplacée.")]})
    old = f"{short_date(prestation.date)} {short_time(prestation.debut)}-{short_time(prestation.fin)}"
    moved = update_hours(
        prestation=prestation,
        acting_user=acting_user,
        heures=heures or prestation.heures,
        date=date,
        debut=debut,
        fin=fin,
        statut=Prestation.Statut.PLANIFIEE,
        override_reason=override_reason,
        motif=motif,
    )
    _notify_cancellation(moved, _("Déplacée ; elle était prévue le %(old)s.") % {"old": old})
    return moved


@transaction.atomic
def validate_prestation(*, prestation, acting_user) -> Prestation:
    """Staff validate hours recorded (statut effectuée): they become final and due to be covered by vouchers."""
    prestation = Prestation.objects.select_for_update().select_related("prestataire__agence").get(pk=prestation.pk)
    if prestation.statut != Prestation.Statut.EFFECTUEE:
        raise ValidationError(
            _("Seule une prestation aux heures encodées peut être validée (statut actuel : %(s)s).")
            % {"s": prestation.get_statut_display()}
        )
    ensure_eligible(prestation, acting_user=acting_user)
    _ensure_within_caps(prestation)
    move_to(prestation, Prestation.Statut.VALIDEE, acting_user=acting_user)
    prestation.validee_le, prestation.validee_par = timezone.now(), acting_user
    save_moved(prestation, acting_user)
    if prestation.demande_id:
        finish_demande_if_done(demande=prestation.demande, acting_user=acting_user)
    return prestation


def _ensure_within_caps(prestation) -> None:
    """Refuses to validate hours of a month (or year) whose hours, every started hour counted whole, pass a cap:
    the cap pays no more vouchers than its hours (couvin.be: 45 h declared = 184,50 € a month). Recording already
    refuses it; hours recorded before that rule, or imported, are caught here."""
    meters = hour_meters([prestation.prestataire], on=prestation.date)[prestation.prestataire_id]
    over = [m for m in meters.meters if m.over]
    if over:
        raise ValidationError(
            {
                "heures": [
                    _(
                        "%(rule)s dépassé : %(used)s h déclarées (chaque heure entamée compte) pour %(cap)s h "
                        "payables. Corrigez ou annulez des heures de la période avant de valider."
                    )
                    % {"rule": m.rule_name, "used": fmt_h(m.used), "cap": fmt_h(m.cap)}
                    for m in over
                ]
            }
        )


@transaction.atomic
def confirm_hours(*, prestation, acting_user, motif="", au_nom_de="") -> Prestation:
    """The client confirms the hours of a past slot, planned or declared by the worker (they become the hours
    worked); online, from an e-mailed link (`motif` says so) or through staff (`au_nom_de`)."""
    prestation = Prestation.objects.select_for_update().select_related("prestataire__agence").get(pk=prestation.pk)
    if prestation.statut not in (Prestation.Statut.PLANIFIEE, Prestation.Statut.DECLAREE, Prestation.Statut.EFFECTUEE):
        raise ValidationError(
            _("Ces heures ne peuvent plus être confirmées (statut : %(s)s).") % {"s": prestation.get_statut_display()}
        )
    if prestation.date > timezone.localdate():
        raise ValidationError(_("Une prestation future ne peut pas encore être confirmée."))
    ensure_eligible(prestation, acting_user=acting_user)
    motif = motif or _("Confirmée par l'utilisateur")
    move_to(prestation, Prestation.Statut.EFFECTUEE, acting_user=acting_user, motif=motif, au_nom_de=au_nom_de)
    prestation.confirmee_le = timezone.now()
    return save_moved(prestation, acting_user, reason=motif)


@transaction.atomic
def cancel_prestation(*, prestation, acting_user, motif) -> Prestation:
    prestation = Prestation.objects.select_for_update().get(pk=prestation.pk)
    if prestation.statut in (Prestation.Statut.VALIDEE, Prestation.Statut.ANNULEE, Prestation.Statut.ABSENCE):
        raise ValidationError(_("Cette prestation ne peut plus être annulée."))
    if not (motif or "").strip():
        raise ValidationError({"motif": [_("Indiquez le motif de l'annulation.")]})
    move_to(prestation, Prestation.Statut.ANNULEE, acting_user=acting_user, motif=motif)
    save_moved(prestation, acting_user, reason=motif)
    _notify_cancellation(prestation, _("Annulée. Motif : %(motif)s") % {"motif": motif.strip()})
    # What an undo checks is still the last step (ale_platform/undo.py).
    prestation.undo_state = {"t": prestation.transitions.order_by("-pk").values_list("pk", flat=True).first()}
    return prestation


@transaction.atomic
def undo_cancellation(*, prestation, transition_id, acting_user) -> Prestation:
    """Undoes a cancellation while it is still the prestation's last step (ale_platform/undo.py): back to the state
    it left, logged as a step of its own, after the rules of that state (overlap, caps, eligibility) are checked
    again; the worker and the client are told, as they were told of the cancellation."""
    # Only the prestation's row is locked: PostgreSQL refuses FOR UPDATE on the nullable side of the outer joins
    # (a worker or client without an account); the person's files are locked by `lock_person` below.
    prestation = (
        Prestation.objects.select_for_update(of=("self",))
        .select_related("prestataire__compte", "utilisateur__compte", "activite")
        .get(pk=prestation.pk)
    )
    last = prestation.transitions.order_by("-pk").first()
    if prestation.statut != Prestation.Statut.ANNULEE or last is None or last.pk != transition_id or not last.de:
        raise changed_since()
    worker = lock_person(prestation.prestataire)
    check_all(
        prestataire=worker,
        utilisateur=prestation.utilisateur,
        activite=prestation.activite,
        date=prestation.date,
        debut=prestation.debut,
        fin=prestation.fin,
        heures=prestation.heures,
        statut=last.de,
        override_reason=_("Annulation annulée"),  # a holiday was already accepted before the cancellation
        exclude_pk=prestation.pk,
    )
    motif = _("Annulation annulée : la prestation est rétablie.")
    # The one step outside TRANSITIONS_PRESTATION (ale_platform/states.py): back to where the last step came from.
    prestation.statut = last.de
    prestation._pending_transition = TransitionPrestation(
        de=Prestation.Statut.ANNULEE, vers=last.de, par=acting_user, motif=motif
    )
    save_moved(prestation, acting_user, reason=motif)
    _notify_cancellation(prestation, motif)
    return prestation


def undo_cancellations(*, demande, transition_ids, acting_user) -> None:
    """Undoes the cancellations of a request's sessions an action made (each named by its logged step)."""
    for transition_id in transition_ids:
        prestation = Prestation.objects.filter(demande=demande, transitions__pk=transition_id).first()
        if prestation is None:
            raise changed_since()
        undo_cancellation(prestation=prestation, transition_id=transition_id, acting_user=acting_user)


@transaction.atomic
def record_no_show(*, prestation, acting_user, absence_de, motif="", au_nom_de="") -> Prestation:
    """A worker or a client did not show up: recorded as such, the hours stop counting. Staff record it on a
    planned slot, or settle a disputed one so; the worker declares it on a planned or declared slot."""
    prestation = Prestation.objects.select_for_update().get(pk=prestation.pk)
    if absence_de not in ("prestataire", "utilisateur"):
        raise ValidationError({"absence_de": [_("Précisez qui était absent·e.")]})
    allowed = (Prestation.Statut.PLANIFIEE, Prestation.Statut.DECLAREE, Prestation.Statut.CONTESTEE)
    if prestation.statut not in allowed:
        raise ValidationError(_("Seule une prestation planifiée peut être marquée comme absence."))
    motif = motif or _("Absence")
    move_to(prestation, Prestation.Statut.ABSENCE, acting_user=acting_user, motif=motif, au_nom_de=au_nom_de)
    prestation.absence_de = absence_de
    return save_moved(prestation, acting_user, reason=motif)


# Sessions still to be worked or settled: a request is not finished while one is planned, declared or disputed.
PENDING = [Prestation.Statut.PLANIFIEE, Prestation.Statut.DECLAREE, Prestation.Statut.CONTESTEE]


def finish_demande_if_done(*, demande: Demande, acting_user) -> Demande:
    """A planned request whose sessions are all worked (none planned, no wished date to come) is finished."""
    if demande.statut != StatutDemande.PLANIFIEE:
        return demande
    sessions = Prestation.objects.filter(demande=demande)
    worked = sessions.filter(statut__in=[Prestation.Statut.EFFECTUEE, Prestation.Statut.VALIDEE])
    if (
        not worked.exists()
        or sessions.filter(statut__in=PENDING).exists()
        or demande.creneaux.actifs().filter(date__gt=timezone.localdate()).exists()
    ):
        return demande
    motif = _("Toutes les séances sont prestées.")
    return change_statut(demande=demande, statut=StatutDemande.TERMINEE, motif=motif, acting_user=acting_user)
