"""A person's language: the switcher's view, the account's stored choice, the language of what is sent to them.

Before log-in the language comes from the switcher's cookie or the browser (Django's LocaleMiddleware); after
log-in the account's `langue` wins, so the choice follows the person to another device. E-mails and PDFs are
rendered in their recipient's language (`recipient_language`), not in the language of whoever triggered them.
"""

from django.conf import settings
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from .models import Langue, Region, User

# The language a new file of an agency starts in: the region's administrative language; Brussels is bilingual
# (French and Dutch), so its files start in French and the staff picks Dutch for a Dutch-speaking client.
REGION_LANGUAGE = {Region.WALLONIE: Langue.FR, Region.BRUXELLES: Langue.FR, Region.GERMANOPHONE: Langue.DE}


def agency_language(agence) -> str:
    """The default contact language of a new client or worker file of `agence`."""
    return REGION_LANGUAGE.get(getattr(agence, "region", None), Langue.FR)


def recipient_language(person) -> str:
    """The language to write to `person`: an account's `langue`, or a file's contact `langue`, else French."""
    code = getattr(person, "langue", None) or getattr(getattr(person, "compte", None), "langue", None)
    return code if code in Langue.values else Langue.FR


def save_account_language(user, code: str) -> None:
    if code in Langue.values and user.langue != code:
        user.langue = code
        user.save(update_fields=["langue"])


class AccountLanguageMiddleware:
    """After LocaleMiddleware and authentication: a logged-in person sees the language stored on their account."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.langue in Langue.values:
            translation.activate(user.langue)
            request.LANGUAGE_CODE = user.langue
        return self.get_response(request)


@require_POST
def language_switch(request):
    """Django's set_language (cookie, safe redirect to `next`), and the choice kept on the account."""
    response = set_language(request)
    code = request.POST.get("language", "")
    if request.user.is_authenticated and code in dict(settings.LANGUAGES):
        save_account_language(User.objects.get(pk=request.user.pk), code)
    return response
