from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from allauth.core.internal.ratelimit import get_ip
from django.utils import translation

from .models import Langue, Role

# A failed log-in counts against the account *from this address* (ACCOUNT_RATE_LIMITS["login_failed"], per key) and
# against the account from anywhere, with a looser limit (["login_failed_account"]): one person's typos in a shared
# office (an ALE, a school, a CPAS behind one public address) no longer lock out their colleagues, and guessing one
# account's password from many addresses stays limited.
ACCOUNT_WIDE_ACTION = "login_failed_account"


class AccountAdapter(DefaultAccountAdapter):
    """Only clients sign up by themselves; staff, advisers and workers get their account from the office."""

    def save_user(self, request, user, form, commit=True):
        user.role = Role.CLIENT
        # The language the visitor chose (or their browser's) before signing up becomes the account's.
        user.langue = translation.get_language() if translation.get_language() in Langue.values else Langue.FR
        return super().save_user(request, user, form, commit=commit)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        return f"{self._account_key(request, **credentials)}:{get_ip(request)}"

    def _account_key(self, request, **credentials) -> str:
        return super()._get_login_attempts_cache_key(request, **credentials)

    def pre_authenticate(self, request, **credentials) -> None:
        account_usage = ratelimit.consume(
            request, app="allauth.account", action=ACCOUNT_WIDE_ACTION, key=self._account_key(request, **credentials)
        )
        if not account_usage:
            raise self.validation_error("too_many_login_attempts")
        try:
            super().pre_authenticate(request, **credentials)
        except Exception:
            account_usage.rollback()
            raise
        self._login_failed_account_usage = account_usage

    def _rollback_login_failed_rl_usage(self) -> None:
        super()._rollback_login_failed_rl_usage()
        usage = getattr(self, "_login_failed_account_usage", None)
        if usage:
            usage.rollback()

    def _delete_login_attempts_cached_email(self, request, **credentials) -> None:
        # After a successful password reset, the account starts afresh from every address.
        super()._delete_login_attempts_cached_email(request, **credentials)
        ratelimit.clear(
            request, app="allauth.account", action=ACCOUNT_WIDE_ACTION, key=self._account_key(request, **credentials)
        )
