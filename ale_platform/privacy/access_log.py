"""The log of reads of personal data (`LectureDonnees`): a person's file page, a list export, the Forem API, an
admin page. Read by the agency admins in the journal (`/rgpd/journal/`); kept `JOURNAL_CONSERVATION_MOIS` months.

Views call `log_read()` once the object was found in the reader's scope (a 404 or 403 is not a read). Only ids and
the path are stored, never the query string (a searched name): the log holds no personal data of the person read.
"""

from .models import LectureDonnees
from .registry import KINDS

Vue = LectureDonnees.Vue


def log_read(
    request, *, vue: str, agence, kind: str, obj=None, nombre: int = 1, lecteur: str = ""
) -> LectureDonnees | None:
    """`lecteur` names a reader without an account (the Forem API's token); otherwise the logged-in user."""
    user = getattr(request, "user", None)
    par = user if user is not None and user.is_authenticated else None
    if agence is None or (par is None and not lecteur):
        return None
    return LectureDonnees.objects.create(
        agence_id=agence.pk,
        type_personne=kind,
        objet_id=getattr(obj, "pk", None),
        nombre=nombre,
        vue=vue,
        chemin=request.path[:300],
        par=par,
        lecteur=lecteur[:150],
    )


def kind_of(model) -> str | None:
    return next((kind for kind, k in KINDS.items() if k.model is model), None)


def log_admin_read(request, model, object_id) -> None:
    """An admin change page of a person's file (worker, client, referral)."""
    kind = kind_of(model)
    if kind is None:
        return
    obj = model._default_manager.filter(pk=object_id).select_related("agence").first()
    if obj is not None:
        log_read(request, vue=Vue.ADMIN, agence=obj.agence, kind=kind, obj=obj)
