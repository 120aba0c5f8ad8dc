"""One error shape under /api/v1/: RFC 9457 problem details (`application/problem+json`).

Every error carries `status`, a machine-readable `code` (also in `type`, a URN) and a French `title`/`detail`;
validation errors list each field in `erreurs` with its location, its own code and a French message.
"""

import json
import logging

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:ale-platform:api:probleme:"

# code -> (status, title). The codes are the API's contract: clients branch on them, never on the French text.
PROBLEMS = {
    "corps_illisible": (400, gettext_lazy("Corps de requête illisible : envoyez un objet JSON.")),
    "regle_metier": (400, gettext_lazy("La demande enfreint une règle de gestion.")),
    "curseur_invalide": (400, gettext_lazy("Curseur de pagination invalide : reprenez le lien « suivant ».")),
    "non_authentifie": (401, gettext_lazy("Jeton d'API absent, inconnu ou révoqué.")),
    "interdit": (403, gettext_lazy("Action non autorisée pour ce jeton.")),
    "introuvable": (404, gettext_lazy("Introuvable.")),
    "methode_non_permise": (405, gettext_lazy("Méthode HTTP non permise sur cette adresse.")),
    "validation": (422, gettext_lazy("Données invalides : voyez la liste des erreurs.")),
    "trop_de_requetes": (429, gettext_lazy("Trop de requêtes pour ce bureau : réessayez après le délai indiqué.")),
    "erreur_interne": (500, gettext_lazy("Erreur interne : l'équipe de la plateforme a été prévenue.")),
}

# Pydantic error types -> French messages (the field is named by `loc`).
FIELD_MESSAGES = {
    "missing": gettext_lazy("Champ obligatoire."),
    "extra_forbidden": gettext_lazy("Champ inconnu."),
    "string_type": gettext_lazy("Texte attendu."),
    "string_too_short": gettext_lazy("Texte trop court."),
    "string_too_long": gettext_lazy("Texte trop long."),
    "string_pattern_mismatch": gettext_lazy("Format invalide (valeur vide ou caractères de contrôle interdits)."),
    "int_type": gettext_lazy("Nombre entier attendu."),
    "int_parsing": gettext_lazy("Nombre entier attendu."),
    "greater_than_equal": gettext_lazy("Valeur trop petite."),
    "less_than_equal": gettext_lazy("Valeur trop grande."),
    "bool_type": gettext_lazy("Booléen attendu (true ou false)."),
    "bool_parsing": gettext_lazy("Booléen attendu (true ou false)."),
    "literal_error": gettext_lazy("Valeur non permise."),
    "enum": gettext_lazy("Valeur non permise."),
    "list_type": gettext_lazy("Liste attendue."),
    "too_long": gettext_lazy("Liste trop longue."),
    "model_type": gettext_lazy("Objet JSON attendu."),
    "model_attributes_type": gettext_lazy("Objet JSON attendu."),
    "dict_type": gettext_lazy("Objet JSON attendu."),
    "date_type": gettext_lazy("Date attendue (AAAA-MM-JJ)."),
    "date_parsing": gettext_lazy("Date attendue (AAAA-MM-JJ)."),
    "date_from_datetime_parsing": gettext_lazy("Date attendue (AAAA-MM-JJ)."),
    "datetime_type": gettext_lazy("Date et heure attendues (RFC 3339, avec fuseau)."),
    "datetime_parsing": gettext_lazy("Date et heure attendues (RFC 3339, avec fuseau)."),
}


def problem(code: str, detail=None, *, status: int | None = None, erreurs=None, instance: str = "") -> HttpResponse:
    """The problem+json response for `code` (see PROBLEMS)."""
    default_status, title = PROBLEMS[code]
    status = status or default_status
    body = {
        "type": TYPE_PREFIX + code,
        "title": str(title),
        "status": status,
        "code": code,
        "detail": str(detail) if detail else str(title),
    }
    if instance:
        body["instance"] = instance
    if erreurs is not None:
        body["erreurs"] = erreurs
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=MEDIA_TYPE)


def field_errors(pydantic_errors) -> list[dict]:
    """ninja's validation errors as `erreurs` entries: where, a code, a French message."""
    out = []
    for error in pydantic_errors:
        kind = error.get("type", "")
        message = error.get("ctx", {}).get("error") if kind == "value_error" else None
        out.append(
            {
                "loc": [str(part) for part in error.get("loc", [])],
                "code": kind,
                "message": str(message or FIELD_MESSAGES.get(kind) or _("Valeur invalide.")),
            }
        )
    return out


def business_errors(exc) -> list[dict]:
    """A Django ValidationError from the services as `erreurs` entries (field errors point into the body)."""
    if hasattr(exc, "error_dict"):
        return [
            {"loc": ["body", field] if field != "__all__" else ["body"], "code": "regle_metier", "message": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"loc": ["body"], "code": "regle_metier", "message": message} for message in exc.messages]
