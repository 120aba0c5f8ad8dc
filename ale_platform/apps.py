from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AlePlatformConfig(AppConfig):
    default = True
    name = "ale_platform"
    verbose_name = _("Plateforme et agences")

    def ready(self):
        # The MFA check's session flag follows log-ins and authenticator changes from the first request on.
        from . import access, history, middleware, scoping, search  # noqa: F401 - history, middleware, search: receivers
        from .geo import signals  # noqa: F401 - a saved address is located in the background
        from .sites import sync_site
        from .third_party_labels import apply_french_labels

        scoping.require_agence.provide(access.require_agence)
        apply_french_labels()

        post_migrate.connect(sync_site, sender=self, dispatch_uid="ale_platform.sync_site")


class ALEAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "ale_platform.admin_site.ALEAdminSite"
