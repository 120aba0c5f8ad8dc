from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz")


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
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
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
