from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from .models import Langue, Role


class AccountAdapter(DefaultAccountAdapter):
    """Only clients sign up by themselves; staff, advisers and workers get their account from the office."""

    def save_user(self, request, user, form, commit=True):
        user.role = Role.CLIENT
        # The language the visitor chose (or their browser's) before signing up becomes the account's.
        user.langue = translation.get_language() if translation.get_language() in Langue.values else Langue.FR
        return super().save_user(request, user, form, commit=commit)
