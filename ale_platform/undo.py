"""Undo after a destructive action: a short window, the same person, and only while nothing happened since.

After the action succeeded, the view calls `offer()`: the next page's messages show an "Annuler cette action"
button, a POST to the action's undo URL carrying a signed token. The token names the user, the undo URL and the
`state` the action left (the ids of the log rows it wrote: the last transition of each record it changed). The
undo view reads it back with `read()` (404 when it is not this user's or not this URL's, a French refusal once the
window has passed), fetches the record through the same scoped queryset as the action (404 outside the user's
scope), and calls the app's undo service, which refuses when a record's last logged step is no longer the one the
action wrote. An undo is a logged transition back to the previous state (decision 55), never a row deletion.

Nothing is stored: the token is signed with the secret key and dated (django.core.signing).
"""

import datetime

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

WINDOW = datetime.timedelta(minutes=15)
TOKEN_FIELD = "jeton"  # noqa: S105 - a form field's name
_SESSION_KEY = "ale_undo"
_SALT = "ale_platform.undo"


def offer(request, *, url: str, state: dict) -> None:
    """The page after the action offers to undo it (a POST to `url`), for `WINDOW`, to this user only."""
    token = signing.dumps({"u": request.user.pk, "url": url, "s": state}, salt=_SALT, compress=True)
    request.session[_SESSION_KEY] = {"url": url, "token": token, "minutes": int(WINDOW.total_seconds() // 60)}


def pending(request):
    """The offer for the page being rendered (once, as a message is), else None; read by base.html."""
    session = getattr(request, "session", None)
    return session.pop(_SESSION_KEY, None) if session is not None else None


def read(request) -> dict:
    """The `state` the action left, from the POSTed token; Http404 when the token is not this user's for this URL,
    ValidationError (French) once the window has passed."""
    try:
        data = signing.loads(request.POST.get(TOKEN_FIELD, ""), salt=_SALT, max_age=WINDOW)
    except signing.SignatureExpired:
        raise ValidationError(
            _("Cette action ne peut plus être annulée : le délai de %(m)s minutes est dépassé.")
            % {"m": int(WINDOW.total_seconds() // 60)},
            code="expired",
        ) from None
    except signing.BadSignature:
        raise Http404 from None
    if data.get("u") != request.user.pk or data.get("url") != request.path:
        raise Http404
    return data["s"]


def changed_since() -> ValidationError:
    """The refusal when a record changed after the action (its last logged step is no longer the action's)."""
    return ValidationError(
        _("Cette action ne peut plus être annulée : le dossier a changé depuis. Corrigez-le depuis sa page."),
        code="changed",
    )


def perform(request, undo, *, success: str) -> None:
    """The undo view's work: reads the token, calls `undo(state)` (the app's service) and says what happened."""
    try:
        undo(read(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
