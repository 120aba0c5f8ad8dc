from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlePlatformConfig(AppConfig):
    name = "ale_platform"
    verbose_name = _("Plateforme et agences")
