from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz")
# Set in the session at log-in (or when TOTP is activated) once the user is known to have TOTP, so that requests
# skip the lookup. Cleared when they remove it themselves (signals below); an authenticator deleted by an
# administrator takes effect at the next log-in, which then asks for a new one.
MFA_CHECKED = "_ale_mfa_checked"


class RequireMFAMiddleware:
    """Collaborators, Forem advisers and superusers must set up two-factor authentication before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.ALE_REQUIRE_MFA
            and user.is_authenticated
            and user.must_use_mfa
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and not _has_totp(request, user)
        ):
            messages.warning(
                request,
                _(
                    "Votre rôle donne accès à des données personnelles : activez d'abord la "
                    "double authentification (application d'authentification)."
                ),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


def _has_totp(request, user) -> bool:
    if request.session.get(MFA_CHECKED) == user.pk:
        return True
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        request.session[MFA_CHECKED] = user.pk
        return True
    return False


@receiver(user_logged_in)
@receiver(authenticator_added)
def remember_mfa_check(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session") and getattr(user, "must_use_mfa", False):
        _has_totp(request, user)


@receiver(authenticator_removed)
def forget_mfa_check(sender, request, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session.pop(MFA_CHECKED, None)
