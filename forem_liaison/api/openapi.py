"""The OpenAPI document says what the API answers: problem+json errors, rate-limit, cache and location headers."""

from .problems import MEDIA_TYPE

INTEGER = {"type": "integer", "minimum": 0}
RATE_LIMIT_HEADERS = {
    "RateLimit-Limit": {"description": "Requêtes permises par fenêtre, pour le bureau.", "schema": INTEGER},
    "RateLimit-Remaining": {"description": "Requêtes encore permises dans la fenêtre.", "schema": INTEGER},
    "RateLimit-Reset": {"description": "Secondes avant qu'une requête se libère.", "schema": INTEGER},
    "RateLimit-Policy": {
        "description": "La politique : « <limite>;w=<fenêtre en secondes> ».",
        "schema": {"type": "string"},
    },
}
CACHE_HEADERS = {
    "ETag": {"description": "Version de la réponse (If-None-Match).", "schema": {"type": "string"}},
    "Last-Modified": {"description": "Dernière modification (If-Modified-Since).", "schema": {"type": "string"}},
}
RETRY_AFTER = {"Retry-After": {"description": "Secondes à attendre.", "schema": INTEGER, "required": True}}
LOCATION = {"Location": {"description": "L'adresse de l'adressage créé.", "schema": {"type": "string"}}}
PROBLEM_DESCRIPTIONS = {
    "400": "Corps illisible (`corps_illisible`), règle de gestion (`regle_metier`) ou curseur (`curseur_invalide`).",
    "401": "Jeton absent, inconnu ou révoqué (`non_authentifie`).",
    "404": "Introuvable pour ce jeton (`introuvable`).",
    "422": "Données invalides (`validation`), détail par champ dans `erreurs`.",
    "429": "Limite du bureau atteinte (`trop_de_requetes`).",
}


def _required(headers: dict) -> dict:
    return {name: spec | {"required": True} for name, spec in headers.items()}


def document_problems_and_headers(schema: dict) -> dict:
    for path in schema["paths"].values():
        for method, operation in path.items():
            for code, answer in operation["responses"].items():
                status = str(code)
                headers = {}
                if status != "401":
                    headers |= _required(RATE_LIMIT_HEADERS)
                if method == "get" and status in ("200", "304"):
                    headers |= CACHE_HEADERS
                if status == "201":
                    headers |= _required(LOCATION)
                if status == "429":
                    headers |= RETRY_AFTER
                if headers:
                    answer["headers"] = headers
                if status.startswith(("4", "5")):
                    answer["description"] = PROBLEM_DESCRIPTIONS.get(status, answer.get("description", ""))
                    answer["content"] = {MEDIA_TYPE: answer["content"]["application/json"]}
                if status == "304":
                    answer["description"] = "Non modifié depuis la version du client (ETag / Last-Modified)."
                    answer.pop("content", None)
    return schema
