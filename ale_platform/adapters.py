from allauth.account.adapter import DefaultAccountAdapter

from .models import Role


class AccountAdapter(DefaultAccountAdapter):
    """Only clients sign up by themselves; staff, advisers and workers get their account from the office."""

    def save_user(self, request, user, form, commit=True):
        user.role = Role.CLIENT
        return super().save_user(request, user, form, commit=commit)
