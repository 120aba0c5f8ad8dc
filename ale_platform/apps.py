from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AlePlatformConfig(AppConfig):
    default = True
    name = "ale_platform"
    verbose_name = _("Plateforme et agences")


class ALEAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "ale_platform.admin_site.ALEAdminSite"
