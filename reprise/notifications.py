"""The notification sent to whoever started an import, when it is done (or failed)."""

from django.utils.translation import gettext_lazy as _

from ale_platform.notifications import STAFF, NotificationKind, register

IMPORT_DONE = register(
    NotificationKind(
        "reprise_terminee", _("Fin d'un import de fichier (reprise de données)"), frozenset({STAFF}), optional=False
    )
)
