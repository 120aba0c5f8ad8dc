"""French names for the third-party apps and models that the admin shows (allauth, django-tasks-db, auth).

Their own names are English or translated unevenly ("Task Results", "Authenticators"). Only `_meta`'s
display names change here, not `original_attrs`: migrations (which read the latter) stay as the packages ship.
"""

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy

# Django 6.1's strings that Django's own nl and de catalogues do not translate yet (a missing Dutch string would
# fall back on French, the LANGUAGE_CODE): listed here so that makemessages puts them in ours; French still
# comes from Django's fr catalogue.
DJANGO_STRINGS = [
    gettext_noop("- Select an option -"),
    gettext_noop("Search %(name)s"),
    # django.tasks' result statuses (the admin's list of background tasks)
    pgettext_lazy("Task", "Ready"),
    pgettext_lazy("Task", "Running"),
    pgettext_lazy("Task", "Failed"),
    pgettext_lazy("Task", "Successful"),
]

APP_NAMES = {
    "auth": _("Groupes et permissions"),
    "account": _("Adresses e-mail des comptes"),
    "mfa": _("Double authentification"),
    "django_tasks_database": _("Tâches en arrière-plan"),
}

MODEL_NAMES = {
    ("auth", "group"): (_("groupe"), _("groupes")),
    ("account", "emailaddress"): (_("adresse e-mail"), _("adresses e-mail")),
    ("account", "emailconfirmation"): (_("confirmation d'adresse e-mail"), _("confirmations d'adresse e-mail")),
    ("mfa", "authenticator"): (_("méthode d'authentification"), _("méthodes d'authentification")),
    ("django_tasks_database", "dbtaskresult"): (_("tâche en arrière-plan"), _("tâches en arrière-plan")),
    ("sites", "site"): (_("site de la plateforme"), _("sites de la plateforme")),
}

# Column headers and filters of the admin's task list ("TASK NAME", "Par status" otherwise).
FIELD_NAMES = {
    ("django_tasks_database", "dbtaskresult"): {
        "id": _("identifiant"),
        "status": _("état"),
        "enqueued_at": _("mise en file le"),
        "started_at": _("commencée le"),
        "finished_at": _("terminée le"),
        "args_kwargs": _("arguments"),
        "priority": _("priorité"),
        "task_path": _("chemin de la tâche"),
        "worker_ids": _("processus"),
        "queue_name": _("file"),
        "backend_name": _("moteur"),
        "run_after": _("pas avant le"),
        "return_value": _("résultat"),
        "exception_class_path": _("exception"),
        "traceback": _("trace de l'erreur"),
    },
}
PROPERTY_NAMES = {("django_tasks_database", "dbtaskresult"): {"task_name": _("tâche")}}


def apply_french_labels() -> None:
    for label, name in APP_NAMES.items():
        if label in apps.app_configs:
            apps.get_app_config(label).verbose_name = name
    for (app_label, model_name), (singular, plural) in MODEL_NAMES.items():
        try:
            meta = apps.get_model(app_label, model_name)._meta
        except LookupError:
            continue
        meta.verbose_name, meta.verbose_name_plural = singular, plural
    for (app_label, model_name), names in FIELD_NAMES.items():
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        for field_name, label in names.items():
            model._meta.get_field(field_name).verbose_name = label
        for attribute, label in PROPERTY_NAMES.get((app_label, model_name), {}).items():
            getattr(model, attribute).fget.short_description = label
