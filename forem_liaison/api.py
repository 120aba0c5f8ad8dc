"""The JSON API for the Forem's systems, version 1: `/api/v1/`, OpenAPI schema at `/api/v1/openapi.json`.

Authentication: `Authorization: Bearer <token>`, one revocable token per Forem office (`JetonAPI`). A token sees
exactly what the office's advisers see in the portal for their own referrals: the referrals made by the office.
Rate limit: `FOREM_API_RATE_LIMIT` requests per minute and token (cache counter), then 429.
Errors are JSON: `{"detail": [{"loc": [...], "msg": "..."}]}` with a 4xx status.
Feedback carries facts and the ALE's words, never a score of the person.
"""

import datetime
import re
from typing import Annotated, Literal

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Path, Query, Router, Schema, Status
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from pydantic import ConfigDict, field_validator

from ale_platform.models import Agence

from . import services
from .models import (
    Adressage,
    CategorieAttente,
    Conseiller,
    EtatAdressage,
    JetonAPI,
    RetourAdressage,
    hash_token,
)

MAX_ID = 2**31 - 1
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class RateLimited(Exception):
    pass


class BureauToken(HttpBearer):
    def authenticate(self, request, token):
        if not token or len(token) > 200:
            return None
        jeton = JetonAPI.objects.active().select_related("bureau").filter(hashed_token=hash_token(token)).first()
        if jeton is None:
            return None
        limit = getattr(settings, "FOREM_API_RATE_LIMIT", 120)
        key = f"forem-api:{jeton.hashed_token[:24]}:{int(timezone.now().timestamp() // 60)}"
        cache.add(key, 0, timeout=90)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=90)
            count = 1
        if count > limit:
            raise RateLimited
        request.jeton = jeton
        return jeton


api = NinjaAPI(
    title="ALE Platform — API Forem",
    version="1",
    description=__doc__,
    urls_namespace="api_v1",
    docs_url=None,
    openapi_url="/openapi.json",
    auth=BureauToken(),
)


def _error(request, status, msg, loc=None):
    return api.create_response(request, {"detail": [{"loc": loc or [], "msg": str(msg)}]}, status=status)


@api.exception_handler(RateLimited)
def rate_limited(request, exc):
    response = _error(request, 429, "Trop de requêtes : réessayez dans une minute.")
    response["Retry-After"] = "60"
    return response


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return _error(request, 401, "Jeton d'API absent, inconnu ou révoqué.")


@api.exception_handler(NinjaValidationError)
def invalid_payload(request, exc):
    detail = [{"loc": list(e.get("loc", [])), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in exc.errors]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(ValidationError)
def business_error(request, exc):
    if hasattr(exc, "error_dict"):
        detail = [{"loc": ["body", "payload", f], "msg": m} for f, msgs in exc.message_dict.items() for m in msgs]
    else:
        detail = [{"loc": [], "msg": m} for m in exc.messages]
    return api.create_response(request, {"detail": detail}, status=400)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return _error(request, 403, "Action non autorisée pour ce jeton.")


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, "Introuvable.")


# --- Schemas ---------------------------------------------------------------------------------------------------


class Error(Schema):
    detail: list[dict]


class AgenceOut(Schema):
    id: int
    nom: str
    commune: str


class TransitionOut(Schema):
    de: str
    vers: str
    le: datetime.datetime
    motif: str


class MoisOut(Schema):
    mois: str
    heures: str
    seuil_atteint: bool


class RegulariteOut(Schema):
    prestations_effectuees: int = Field(..., description="Prestations effectuées dans la période.")
    absences: int = Field(..., description="Absences de la personne à des prestations prévues.")
    semaines_actives: int = Field(..., description="Semaines de la période avec au moins une prestation.")
    semaines: int = Field(..., description="Semaines (calendrier) que couvre la période.")


class RefusOut(Schema):
    le: datetime.date
    activite: str
    motif: str = Field(..., description="Le motif donné par la personne en déclinant.")


class FaitsOut(Schema):
    """Facts computed by the platform, frozen at publication. Never a score (see the API description)."""

    rendez_vous_honores: int = 0
    rendez_vous_manques: int = 0
    inscrit_ale: bool = False
    heures_par_mois: list[MoisOut] = []
    heures_toutes_ale: bool = Field(
        False,
        description="true : les heures de chaque mois sont celles de la personne dans toutes les ALE (même NISS), "
        "comme le seuil les compte ; false : retour publié avant, heures du seul dossier de cette ALE.",
    )
    seuil_heures: str = "45"
    regularite: RegulariteOut | None = Field(None, description="Absent des retours publiés avant son suivi.")
    prestations_refusees: int | None = Field(None, description="null : retour publié avant le suivi des refus.")
    refus: list[RefusOut] | None = Field(None, description="null : retour publié avant le suivi des refus.")


class ReponseOut(Schema):
    auteur: str
    texte: str
    le: datetime.datetime


class RetourOut(Schema):
    id: int
    periode_debut: datetime.date
    periode_fin: datetime.date
    publie_le: datetime.datetime
    texte: str
    faits: FaitsOut
    corrige: int | None
    reponses: list[ReponseOut]


class AdressageOut(Schema):
    id: int
    nom: str
    prenom: str
    niss: str
    numero_dossier_forem: str
    conseiller: str
    agence: AgenceOut
    date_adressage: datetime.date
    categories: list[str]
    motif: str
    etat: str
    etat_libelle: str
    issue: str
    motif_refus: str


class AdressageDetailOut(AdressageOut):
    transitions: list[TransitionOut]
    retours: list[RetourOut]


def _clean_text(value: str) -> str:
    if CONTROL.search(value):
        raise ValueError("caractères de contrôle interdits")
    return value


class AdressageIn(Schema):
    model_config = ConfigDict(extra="forbid")

    conseiller_email: str = Field(..., max_length=254, description="L'adresse du conseiller (du même bureau).")
    agence_id: int = Field(..., ge=1, le=MAX_ID)
    nom: str = Field(..., min_length=1, max_length=100)
    prenom: str = Field(..., min_length=1, max_length=100)
    niss: str = Field(..., pattern=r"^[0-9]{11}$")
    numero_dossier_forem: str = Field("", max_length=30)
    telephone: str = Field("", max_length=30)
    email: str = Field("", max_length=254)
    motif: str = Field(..., min_length=1, max_length=5000)
    categories: list[Literal[tuple(CategorieAttente.values)]] = Field(default_factory=list, max_length=10)  # type: ignore[valid-type]
    consentement_partage: bool

    @field_validator("nom", "prenom", "numero_dossier_forem", "telephone", "motif", "conseiller_email", "email")
    @classmethod
    def no_control_chars(cls, value: str) -> str:
        return _clean_text(value)

    @field_validator("nom", "prenom", "motif")
    @classmethod
    def not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("ne peut pas être vide")
        return value

    @field_validator("email")
    @classmethod
    def valid_email(cls, value: str) -> str:
        if value:
            try:
                validate_email(value)
            except ValidationError:
                raise ValueError("adresse e-mail invalide") from None
        return value


class RetraitIn(Schema):
    model_config = ConfigDict(extra="forbid")

    motif: str = Field("", max_length=2000)

    @field_validator("motif")
    @classmethod
    def no_control_chars(cls, value: str) -> str:
        return _clean_text(value)


# --- Serialisation ---------------------------------------------------------------------------------------------


def _adressage_out(a: Adressage) -> dict:
    return {
        "id": a.pk,
        "nom": a.nom,
        "prenom": a.prenom,
        "niss": a.niss,
        "numero_dossier_forem": a.numero_dossier_forem,
        "conseiller": a.conseiller.user.email,
        "agence": {"id": a.agence.pk, "nom": a.agence.nom, "commune": a.agence.commune},
        "date_adressage": a.date_adressage,
        "categories": list(a.categories),
        "motif": a.motif,
        "etat": a.etat,
        "etat_libelle": str(a.get_etat_display()),
        "issue": a.issue,
        "motif_refus": a.motif_refus,
    }


def _detail_out(a: Adressage) -> dict:
    retours = RetourAdressage.objects.published().filter(adressage=a).prefetch_related("reponses__auteur")
    return _adressage_out(a) | {
        "transitions": [{"de": t.de, "vers": t.vers, "le": t.le, "motif": t.motif} for t in a.transitions.all()],
        "retours": [
            {
                "id": r.pk,
                "periode_debut": r.periode_debut,
                "periode_fin": r.periode_fin,
                "publie_le": r.publie_le,
                "texte": r.texte,
                "faits": r.faits,
                "corrige": r.corrige_id,
                "reponses": [
                    {"auteur": rep.auteur.get_full_name() or rep.auteur.email, "texte": rep.texte, "le": rep.created_at}
                    for rep in r.reponses.all()
                ],
            }
            for r in retours
        ],
    }


def _scoped(request):
    return Adressage.objects.for_bureau(request.jeton.bureau).select_related("agence", "conseiller__user")


# --- Endpoints -------------------------------------------------------------------------------------------------

router = Router(tags=["adressages"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error, 429: Error}


@router.get("/agences", response={200: list[AgenceOut], **ERRORS}, url_name="agences")
def list_agences(request):
    """The agencies a referral can be sent to."""
    return [{"id": a.pk, "nom": a.nom, "commune": a.commune} for a in Agence.objects.order_by("nom")]


@router.get("/adressages", response={200: list[AdressageOut], **ERRORS}, url_name="adressages")
def list_adressages(
    request,
    etat: Annotated[Literal[tuple(EtatAdressage.values)] | None, Query()] = None,  # type: ignore[valid-type]
    depuis: Annotated[datetime.date | None, Query()] = None,
):
    """The office's referrals, most recent first (at most 500)."""
    qs = _scoped(request)
    if etat:
        qs = qs.filter(etat=etat)
    if depuis:
        qs = qs.filter(date_adressage__gte=depuis)
    return [_adressage_out(a) for a in qs[:500]]


@router.post("/adressages", response={201: AdressageDetailOut, **ERRORS}, url_name="adressages_create")
def create_adressage(request, payload: AdressageIn):
    """Refers a job seeker on behalf of one of the office's advisers."""
    conseiller = (
        Conseiller.objects.select_related("user", "bureau")
        .filter(bureau=request.jeton.bureau, user__email__iexact=payload.conseiller_email, user__is_active=True)
        .first()
    )
    if conseiller is None:
        message = _("Aucun·e conseiller·ère actif·ve de ce bureau à cette adresse.")
        raise ValidationError({"conseiller_email": [message]})
    agence = get_object_or_404(Agence, pk=payload.agence_id)
    data = payload.model_dump(exclude={"conseiller_email", "agence_id"})
    adressage = services.create_adressage(conseiller=conseiller, agence=agence, acting_user=conseiller.user, **data)
    return Status(201, _detail_out(_scoped(request).get(pk=adressage.pk)))


@router.get("/adressages/{adressage_id}", response={200: AdressageDetailOut, **ERRORS}, url_name="adressage")
def read_adressage(request, adressage_id: Annotated[int, Path(ge=1, le=MAX_ID)]):
    """One referral with its state history and its published feedback."""
    return _detail_out(get_object_or_404(_scoped(request), pk=adressage_id))


@router.post(
    "/adressages/{adressage_id}/retrait", response={200: AdressageDetailOut, **ERRORS}, url_name="adressage_retrait"
)
def withdraw_adressage(request, adressage_id: Annotated[int, Path(ge=1, le=MAX_ID)], payload: RetraitIn):
    """The adviser withdraws the referral (only while it is open)."""
    adressage = get_object_or_404(_scoped(request), pk=adressage_id)
    services.withdraw(adressage=adressage, motif=payload.motif, acting_user=adressage.conseiller.user)
    return _detail_out(_scoped(request).get(pk=adressage.pk))


api.add_router("/", router)
