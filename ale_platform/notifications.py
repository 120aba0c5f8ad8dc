"""E-mail notifications through one registry of kinds.

`notify(code, recipients=..., context=...)` is called by services inside their transaction; the e-mails are
queued only after the transaction commits (nothing goes out for a rolled-back write) and sent by a background
task. Each user can turn off the optional kinds, or receive the digestible ones once a day.
"""

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .extensions import Registry
from .languages import recipient_language
from .models import Role

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NotificationKind:
    code: str
    label: str
    roles: frozenset[str]  # who may receive it ("staff" = collaborators)
    optional: bool = True  # the user may turn it off
    digestible: bool = False  # may be grouped in the daily digest instead
    listed: bool = True  # offered on the preferences page (an invitation comes before any account)

    def template(self, part: str) -> str:
        return f"notifications/{self.code}/{part}"


STAFF = "staff"
REGISTRY: dict[str, NotificationKind] = {}


def register(kind: NotificationKind) -> NotificationKind:
    if kind.code in REGISTRY:
        raise ValueError(f"notification kind {kind.code!r} registered twice")
    REGISTRY[kind.code] = kind
    return kind


NEW_REQUEST = register(
    NotificationKind(
        "nouvelle_demande", _("Nouvelle demande de prestation d'un utilisateur"), frozenset({STAFF}), digestible=True
    )
)
# To the client, right after their request was recorded: the proof that it reached the agency, and what comes next.
REQUEST_RECEIVED = register(
    NotificationKind(
        "demande_recue", _("Accusé de réception de votre demande"), frozenset({Role.CLIENT}), optional=False
    )
)
ASSIGNMENT = register(
    NotificationKind(
        "attribution", _("Attribution d'une prestation"), frozenset({Role.PRESTATAIRE, Role.CLIENT}), optional=False
    )
)
CANCELLATION = register(
    NotificationKind(
        "annulation",
        _("Annulation ou déplacement d'une prestation"),
        frozenset({STAFF, Role.PRESTATAIRE, Role.CLIENT}),
        optional=False,
        digestible=True,
    )
)
REMINDER = register(
    NotificationKind(
        "rappel_veille", _("Rappel la veille d'une prestation"), frozenset({Role.PRESTATAIRE, Role.CLIENT})
    )
)
FEEDBACK_PUBLISHED = register(
    NotificationKind(
        "retour_publie", _("Nouveau retour de l'ALE sur un adressage"), frozenset({Role.CONSEILLER}), digestible=True
    )
)
REFERRAL_RECEIVED = register(
    NotificationKind(
        "adressage_recu", _("Nouvel adressage reçu du service de l'emploi"), frozenset({STAFF}), digestible=True
    )
)
CAP_NEARLY_REACHED = register(
    NotificationKind(
        "plafond_proche", _("Prestataire proche d'un plafond d'heures"), frozenset({STAFF}), digestible=True
    )
)
# To a person who has no account yet, or has not chosen a password: never optional, not in anyone's preferences.
INVITATION = register(
    NotificationKind(
        "invitation",
        _("Invitation à un espace en ligne"),
        frozenset({Role.CLIENT, Role.PRESTATAIRE}),
        optional=False,
        listed=False,
    )
)

BASE_ENDING = register(
    NotificationKind(
        "base_eligibilite_fin",
        _("Base d'éligibilité d'un·e prestataire qui prend fin"),
        frozenset({STAFF}),
        digestible=True,
    )
)

# To the agency admins and the superusers when a scheduled task failed: never optional, not a preference.
TASK_FAILED = register(
    NotificationKind("tache_en_echec", _("Tâche planifiée en échec"), frozenset({STAFF}), optional=False, listed=False)
)

# The month without retyping (prestations.services.declarations): a client is told of each declaration and, once
# a week, of what is left to confirm, both with a no-login link; staff of a dispute; before the agency's closing
# day, workers who have not declared and clients who have not confirmed.
DECLARATION = register(
    NotificationKind("prestation_declaree", _("Prestation déclarée par le·la prestataire"), frozenset({Role.CLIENT}))
)
TO_CONFIRM_DIGEST = register(
    NotificationKind(
        "prestations_a_confirmer", _("Résumé hebdomadaire des prestations à confirmer"), frozenset({Role.CLIENT})
    )
)
DISPUTE = register(
    NotificationKind("prestation_contestee", _("Prestation contestée par un·e utilisateur·rice"), frozenset({STAFF}))
)
MONTH_CLOSING = register(
    NotificationKind(
        "cloture_mois",
        _("Rappel avant la clôture du mois (déclarer ou confirmer)"),
        frozenset({Role.PRESTATAIRE, Role.CLIENT}),
    )
)

MY_BASIS_ENDING = register(
    NotificationKind(
        "ma_base_eligibilite_fin",
        _("Votre droit de travailler pour l'ALE qui prend fin"),
        frozenset({Role.PRESTATAIRE}),
        optional=False,
        listed=False,  # mandatory: the worker must know before the end, nothing to choose
    )
)


def kinds_for(user) -> list[NotificationKind]:
    roles = {user.role} | ({STAFF} if user.is_collaborateur or user.is_superuser else set())
    return [kind for kind in REGISTRY.values() if kind.listed and kind.roles & roles]


def agency_staff(agence) -> list:
    """The active collaborators of `agence` (recipients of the staff kinds)."""
    from .models import User

    return list(
        User.objects.filter(memberships__agence=agence, role=Role.COLLABORATEUR, is_active=True)
        .distinct()
        .order_by("pk")
    )


def admins_to_alert() -> list:
    """The active superusers and agency admins: told when a scheduled task fails."""
    from django.db.models import Q

    from .models import User

    admins = Q(is_superuser=True) | Q(role=Role.COLLABORATEUR, memberships__is_admin=True)
    return list(User.objects.filter(admins, is_active=True).distinct().order_by("pk"))


def alert_staff_of_failure(task_name: str, failures: list[str]) -> None:
    """Names only what failed (steps, kinds and ids); the details are in the server's log and the task's result."""
    notify(
        TASK_FAILED.code,
        recipients=admins_to_alert(),
        context={"title": task_name, "lines": failures[:50], "path": "/admin/django_tasks_database/dbtaskresult/"},
    )


# What an e-mail may name that the stored context must not (the task queue and digests keep only ids): an app adds,
# per kind, a function of the stored context returning what is read from the database at sending time.
SENDING_CONTEXT = Registry("notification context read at sending")


def _sending_context(code: str, context: dict) -> dict:
    extra: dict = {}
    for read in SENDING_CONTEXT[code]:
        extra |= read(context)
    return extra


def notify(code: str, *, recipients: Iterable, context: dict) -> None:
    """Queue `code` for `recipients` once the current transaction commits. `context` must be JSON-serialisable."""
    kind = REGISTRY[code]
    user_ids = sorted({user.pk for user in recipients if user is not None and user.email})
    if user_ids:
        transaction.on_commit(lambda: deliver_notification.enqueue(kind.code, user_ids, context))


def notify_address(code: str, *, email: str, context: dict, language: str | None = None) -> None:
    """Queue `code` for an e-mail address without an account (an invitation) once the transaction commits,
    written in `language` (the person's file's), else French."""
    kind = REGISTRY[code]
    transaction.on_commit(lambda: deliver_to_address.enqueue(kind.code, email, context, language))


@task()
def deliver_to_address(code: str, email: str, context: dict, language: str | None = None) -> None:
    kind = REGISTRY[code]
    with translation.override(language or settings.LANGUAGE_CODE):
        _send_to(email, kind.template("subject.txt"), kind.template("body.txt"), kind.template("body.html"), context)


@task()
def deliver_notification(code: str, user_ids: list[int], context: dict) -> int:
    """Sends the e-mail now, or parks it for the digest, according to each user's preference."""
    from .models import NotificationEnAttente, PreferenceNotification, User

    kind = REGISTRY[code]
    modes = dict(PreferenceNotification.objects.filter(user_id__in=user_ids, kind=code).values_list("user_id", "mode"))
    sent = 0
    at_sending = None
    for user in User.objects.filter(pk__in=user_ids, is_active=True):
        mode = modes.get(user.pk, PreferenceNotification.Mode.IMMEDIAT)
        if mode == PreferenceNotification.Mode.DESACTIVE and kind.optional:
            continue
        if mode == PreferenceNotification.Mode.DIGEST and kind.digestible:
            NotificationEnAttente.objects.create(user=user, kind=code, context=context)
            continue
        if at_sending is None:
            at_sending = _sending_context(code, context)
        _send(
            user,
            kind.template("subject.txt"),
            kind.template("body.txt"),
            kind.template("body.html"),
            {**context, **at_sending, "user": user, "kind": kind},
        )
        sent += 1
    return sent


@task()
def send_daily_digests() -> int:
    """One e-mail per user with everything parked since the last digest. A user whose e-mail fails keeps their
    entries for the next digest; the others are sent; the admins are told; the next run is planned regardless."""
    from .models import NotificationEnAttente, User
    from .scheduling import enqueue_next

    try:
        pending = NotificationEnAttente.objects.order_by("user_id", "created_at")
        by_user: dict[int, list] = {}
        for item in pending:
            by_user.setdefault(item.user_id, []).append(item)
        users = User.objects.in_bulk(list(by_user))
        sent, failed = 0, []
        for user_id, items in by_user.items():
            try:
                entries = [{"kind": REGISTRY[i.kind], "context": i.context, "created_at": i.created_at} for i in items]
                _send(
                    users[user_id],
                    "notifications/digest/subject.txt",
                    "notifications/digest/body.txt",
                    "notifications/digest/body.html",
                    {"user": users[user_id], "entries": entries},
                )
            except Exception:
                logger.exception("digest failed for user #%s", user_id)
                failed.append(f"user #{user_id}")
                continue
            NotificationEnAttente.objects.filter(pk__in=[i.pk for i in items]).delete()
            sent += 1
        if failed:
            alert_staff_of_failure("send_daily_digests", failed)
        return sent
    finally:
        enqueue_next(send_daily_digests, datetime.time(7, 0))


def _send(user, subject_template, text_template, html_template, context) -> None:
    """In the recipient's language, whoever's action (and language) queued it."""
    with translation.override(recipient_language(user)):
        _send_to(user.email, subject_template, text_template, html_template, context)


def _send_to(email, subject_template, text_template, html_template, context) -> None:
    context = {**context, "site_url": settings.SITE_URL}
    subject = " ".join(render_to_string(subject_template, context).split())
    message = EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=render_to_string(text_template, context),
        to=[email],
    )
    message.attach_alternative(render_to_string(html_template, context), "text/html")
    message.send()
