"""The data map's entries for the core: Django's, allauth's and the task queue's tables, and ale_platform's own.

The apps register their own models from their `privacy.register()` (see `datamap.py`).
"""

from django.utils.translation import gettext_lazy as _

from .datamap import DELETE, Store, register_store, s
from .models import TypePersonne

PEOPLE_WITH_ACCOUNTS = (TypePersonne.PRESTATAIRE, TypePersonne.UTILISATEUR)


def _account_rows(model_label, path="user_id"):
    from django.apps import apps

    def rows(person):
        return apps.get_model(model_label).objects.filter(**{path: person.compte_id})

    return {kind: rows for kind in PEOPLE_WITH_ACCOUNTS}


def _notifications_to_account() -> dict:
    """The notifications queued for the person's account (`deliver_notification(code, user_ids, context)`); the
    task results are pruned after `TACHES_CONSERVATION_JOURS` days, so this reads a bounded table."""
    from django_tasks_db.models import DBTaskResult

    def to_account(result, account_id) -> bool:
        args = (result.args_kwargs or {}).get("args") or []
        return len(args) > 1 and isinstance(args[1], list) and account_id in args[1]

    def rows(person):
        if person.compte_id is None:
            return DBTaskResult.objects.none()
        sent = DBTaskResult.objects.filter(task_path="ale_platform.notifications.deliver_notification")
        ids = [r.pk for r in sent.only("pk", "args_kwargs").iterator() if to_account(r, person.compte_id)]
        return DBTaskResult.objects.filter(pk__in=ids)

    return {kind: rows for kind in PEOPLE_WITH_ACCOUNTS}


def _logged_about(model) -> dict:
    """An access log's rows about a person: those naming their file by kind and id."""

    def rows_for(kind):
        return lambda person: model.objects.filter(type_personne=kind, objet_id=person.pk)

    return {kind: rows_for(kind) for kind in TypePersonne.values}


def register() -> None:
    from .models import ExportDonnees, LectureDonnees

    for store in [
        # Django
        Store(
            "admin.LogEntry",
            personal=s("object_repr", "change_message"),
            other=s("object_id"),
            mentions=s("object_repr", "change_message"),
            retention=_("ADMIN_LOG_CONSERVATION_MOIS mois (défaut 24), puis supprimé chaque nuit"),
            note=_("Les entrées sur les lignes de la personne : exportées, noms effacés à l'anonymisation."),
        ),
        Store("auth.Permission", other=s("name", "codename")),
        Store("auth.Group", other=s("name")),
        Store("contenttypes.ContentType", other=s("app_label", "model")),
        Store("sites.Site", other=s("domain", "name")),
        Store(
            "sessions.Session",
            personal=s("session_data"),
            other=s("session_key"),
            retention=_("jusqu'à expiration, puis supprimée chaque nuit (clearsessions) ; révoquée à l'anonymisation"),
        ),
        # allauth
        Store(
            "account.EmailAddress",
            personal=s("email"),
            rows=_account_rows("account.EmailAddress"),
            erase=DELETE,
            export="adresses_email",
        ),
        Store("account.EmailConfirmation", other=s("key"), note=_("supprimée avec l'adresse e-mail")),
        Store(
            "mfa.Authenticator",
            personal=s("data"),
            other=s("type"),
            rows=_account_rows("mfa.Authenticator"),
            erase=DELETE,
            export="authentification_forte",
            hidden=s("data"),
        ),
        # The task queue: a task's arguments and result may name people (older rows, or free text).
        Store(
            "django_tasks_database.DBTaskResult",
            personal=s("args_kwargs", "return_value", "traceback"),
            other=s("status", "task_path", "worker_ids", "queue_name", "backend_name", "exception_class_path"),
            mentions=s("args_kwargs", "return_value", "traceback"),
            rows=_notifications_to_account(),
            export="notifications_envoyees",
            retention=_("TACHES_CONSERVATION_JOURS jours après la fin (défaut 30), puis supprimée chaque nuit"),
        ),
        # ale_platform
        Store(
            "ale_platform.User",
            personal=s("first_name", "last_name", "email", "password"),
            other=s("role", "langue"),
            rows=_account_rows("ale_platform.User", "pk"),
            export="compte",
            hidden=s("password"),
            note=_("désactivé, e-mail et noms effacés (aussi dans son historique), sessions révoquées"),
        ),
        Store(
            "ale_platform.Agence",
            other=s(
                "geocodage",
                "geocodage_note",
                "geocodage_adresse",
                "nom",
                "bce",
                "rue",
                "code_postal",
                "commune",
                "communes_desservies",
                "email",
                "telephone",
                "iban",
                "region",
            ),
        ),
        Store("ale_platform.ServicePublicEmploi", other=s("code", "region", "nom", "nom_court", "site")),
        Store("ale_platform.AgenceMembership"),
        Store("ale_platform.Activite", other=s("nom", "description", "categorie", "types_utilisateurs")),
        Store(
            "ale_platform.PreferenceNotification",
            other=s("kind", "mode"),
            rows=_account_rows("ale_platform.PreferenceNotification"),
            erase=DELETE,
            export="preferences_notifications",
        ),
        Store(
            "ale_platform.NotificationEnAttente",
            personal=s("context"),
            other=s("kind"),
            rows=_account_rows("ale_platform.NotificationEnAttente"),
            erase=DELETE,
            export="notifications_en_attente",
            mentions=s("context"),
            retention=_("jusqu'au résumé quotidien suivant"),
        ),
        Store(
            "ale_platform.AdresseConnue",
            personal=s("adresse"),
            other=s("source"),
            note=_("cache du géocodage, effacé avec l'adresse (geo.privacy.forget)"),
        ),
        Store("ale_platform.Itineraire", other=s("mode"), note=_("effacé avec le point (geo.privacy.forget)")),
        # privacy
        Store("privacy.ParametresConfidentialite"),
        Store(
            "privacy.ExportDonnees",
            personal=s("personne"),
            other=s("type_personne"),
            rows=_logged_about(ExportDonnees),
            export="exports_de_ses_donnees",
            mentions=s("personne"),
            retention=_("JOURNAL_CONSERVATION_MOIS mois (défaut 24)"),
        ),
        Store("privacy.Anonymisation", other=s("type_personne")),
        Store(
            "privacy.LectureDonnees",
            other=s("type_personne", "vue", "chemin", "lecteur"),
            rows=_logged_about(LectureDonnees),
            export="lectures_de_son_dossier",
            retention=_("JOURNAL_CONSERVATION_MOIS mois (défaut 24)"),
        ),
    ]:
        register_store(store)
