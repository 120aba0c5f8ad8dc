from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "ale_platform.privacy"
    label = "privacy"
    verbose_name = _("Vie privée (RGPD)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import stores

        stores.register()
