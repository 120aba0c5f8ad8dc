"""The JSON API for the Forem's systems, version 1: `/api/v1/`.

- **Schema** `/api/v1/openapi.json` (OpenAPI 3.1), **reference page** `/api/v1/docs` (served by the platform).
- **Authentication**: `Authorization: Bearer <jeton>`, revocable tokens per Forem office. A token sees exactly the
  referrals made by its office's advisers.
- **Errors**: always `application/problem+json` (RFC 9457) with a stable `code` and a French `detail`; validation
  errors list each field in `erreurs`. Codes: `corps_illisible` (400), `regle_metier` (400), `curseur_invalide`
  (400), `non_authentifie` (401), `introuvable` (404, also unknown addresses and trailing slashes),
  `methode_non_permise` (405), `validation` (422), `trop_de_requetes` (429), `erreur_interne` (500).
- **Rate limit**: per office, all its tokens together, over a sliding minute. Each answer carries `RateLimit-Limit`,
  `RateLimit-Remaining`, `RateLimit-Reset` and `RateLimit-Policy`; a 429 adds `Retry-After` (seconds).
- **Pagination**: `GET /adressages` answers a page (`total`, `limite`, `suivant`); follow `suivant` to the end.
- **Incremental sync**: every referral has `modifie_le`, which changes with every state change, published feedback,
  reply or anonymisation; `?modifie_depuis=<the greatest modifie_le read>` returns only what changed since.
  Reads carry `ETag` and `Last-Modified` and answer 304 to `If-None-Match` / `If-Modified-Since`.
- **Anonymised data** (GDPR) is flagged `anonymise: true` and its personal fields are null: nothing is invented.
- Feedback carries facts and the ALE's words, never a score of the person.
"""

import functools
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from .auth import BureauToken
from .openapi import document_problems_and_headers
from .problems import MEDIA_TYPE, business_errors, field_errors, problem
from .schemas import RetourOut  # noqa: F401  (part of the module's public surface)
from .throttle import BureauRateThrottle
from .views import router

logger = logging.getLogger(__name__)

STATUS_CODES = {
    400: "corps_illisible",
    401: "non_authentifie",
    403: "interdit",
    404: "introuvable",
    405: "methode_non_permise",
    429: "trop_de_requetes",
}


class ForemAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        return operation.view_func.__name__

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix="", path_params=path_params)
        return document_problems_and_headers(schema)

    def _get_urls(self):
        patterns = super()._get_urls()
        for pattern in patterns:
            pattern.callback = _problem_view(pattern.callback)
        patterns.append(re_path(r"^(?P<chemin>.*)$", _problem_view(_unknown_path), name="introuvable"))
        return patterns


@csrf_exempt  # token-authenticated API: a POST to an unknown address is a 404 problem, not a CSRF page
def _unknown_path(request, chemin=""):
    raise Http404


def _problem_view(view):
    """Any error answer under /api/v1/, even outside an operation (unknown path, wrong method), is a problem;
    every answer to a counted request carries the rate-limit headers."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            response = problem("introuvable", instance=request.path)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(MEDIA_TYPE):
            allow = response.get("Allow")
            response = problem(
                STATUS_CODES.get(response.status_code, "erreur_interne"),
                status=response.status_code,
                instance=request.path,
            )
            if allow:
                response["Allow"] = allow
        for name, value in getattr(request, "rate_limit_headers", {}).items():
            response.setdefault(name, value)
        return response

    return wrapper


api = ForemAPI(
    title="ALE Platform — API Forem",
    version="1",
    description=__doc__,
    urls_namespace="api_v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
    servers=[{"url": "/api/v1", "description": "Cette plateforme"}],
    auth=BureauToken(),
    throttle=[BureauRateThrottle()],
)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    response = problem("non_authentifie", instance=request.path)
    response["WWW-Authenticate"] = 'Bearer realm="api-forem"'
    return response


@api.exception_handler(Throttled)
def throttled(request, exc):
    return problem("trop_de_requetes", instance=request.path)


@api.exception_handler(HttpError)
def http_error(request, exc):
    # ninja raises HttpError(400) for a body that is not JSON.
    return problem(STATUS_CODES.get(exc.status_code, "erreur_interne"), status=exc.status_code, instance=request.path)


@api.exception_handler(NinjaValidationError)
def invalid_payload(request, exc):
    return problem("validation", erreurs=field_errors(exc.errors), instance=request.path)


@api.exception_handler(ValidationError)
def business_error(request, exc):
    errors = business_errors(exc)
    return problem(
        "regle_metier", errors[0]["message"] if len(errors) == 1 else None, erreurs=errors, instance=request.path
    )


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return problem("interdit", instance=request.path)


@api.exception_handler(Http404)
def not_found(request, exc):
    return problem("introuvable", instance=request.path)


@api.exception_handler(Exception)
def server_error(request, exc):
    logger.exception("Erreur interne de l'API Forem", exc_info=exc)
    return problem("erreur_interne", instance=request.path)


api.add_router("/", router)
