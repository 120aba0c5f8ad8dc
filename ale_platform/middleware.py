from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz")
# allauth pages that change how one logs in: not before the second factor is set up and used in this session (else
# whoever holds the password alone could take the account over by changing its e-mail address or password).
MFA_FIRST_URL_NAMES = ("account_email", "account_change_password", "account_set_password")
# Set in the session once the user is known to have TOTP, so that requests skip the lookup. Cleared when they remove
# it themselves (signals below); an authenticator deleted by an administrator takes effect at the next log-in.
MFA_CHECKED = "_ale_mfa_checked"
# Set in the session once this session has passed the second factor (at log-in, at a re-authentication, or by
# activating TOTP with a valid code). Owning an authenticator is not enough: every log-in path must use it.
MFA_PASSED = "_ale_mfa_passed"


class RequireMFAMiddleware:
    """Collaborators, Forem advisers and superusers set up two-factor authentication, and use it in every session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.ALE_REQUIRE_MFA
            and user.is_authenticated
            and user.must_use_mfa
            and (not request.path.startswith(MFA_EXEMPT_PREFIXES) or _changes_credentials(request.path))
        ):
            if not _has_totp(request, user):
                messages.warning(
                    request,
                    _(
                        "Votre rôle donne accès à des données personnelles : activez d'abord la "
                        "double authentification (application d'authentification)."
                    ),
                )
                return redirect(reverse("mfa_activate_totp"))
            if not session_passed_mfa(request, user):
                messages.warning(request, _("Confirmez votre identité avec le code de votre application."))
                return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def _changes_credentials(path: str) -> bool:
    return path in {reverse(name) for name in MFA_FIRST_URL_NAMES}


def _has_totp(request, user) -> bool:
    if request.session.get(MFA_CHECKED) == user.pk:
        return True
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        request.session[MFA_CHECKED] = user.pk
        return True
    return False


def session_passed_mfa(request, user) -> bool:
    if request.session.get(MFA_PASSED) == user.pk:
        return True
    if any(record.get("method") == "mfa" for record in get_authentication_records(request, user)):
        request.session[MFA_PASSED] = user.pk
        return True
    return False


def mark_mfa_passed(session, user) -> None:
    session[MFA_PASSED] = user.pk


@receiver(user_logged_in)
def remember_totp_check(sender, request, user, **kwargs):
    # Whether the user has TOTP, looked up once at log-in; this says nothing of whether this session used it.
    if request is not None and hasattr(request, "session") and getattr(user, "must_use_mfa", False):
        _has_totp(request, user)


@receiver(authenticator_added)
def remember_mfa_check(sender, request, user, **kwargs):
    # Activating TOTP takes a valid code: this session has passed the second factor.
    if request is not None and hasattr(request, "session") and getattr(user, "must_use_mfa", False):
        _has_totp(request, user)
        mark_mfa_passed(request.session, user)


@receiver(authenticator_removed)
def forget_mfa_check(sender, request, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session.pop(MFA_CHECKED, None)
        request.session.pop(MFA_PASSED, None)
