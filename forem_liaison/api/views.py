"""The API's endpoints. Thin: reads through the office's queryset, writes through `forem_liaison.services`."""

import base64
import binascii
import datetime
import hashlib
import json
from typing import Annotated

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Max, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from ale_platform.models import Agence
from ale_platform.privacy.access_log import log_read
from ale_platform.privacy.models import LectureDonnees, TypePersonne

from .. import services
from ..models import Adressage, Conseiller
from .problems import problem
from .schemas import (
    MAX_ID,
    AdressageDetailOut,
    AdressageIn,
    AgenceOut,
    Etat,
    IsoDate,
    PageAdressages,
    Probleme,
    RetraitIn,
    Rfc3339,
)
from .serialise import adressage_out, detail_out

router = Router(tags=["adressages"])

READ = {401: Probleme, 422: Probleme, 429: Probleme}
CREATE = {400: Probleme, 401: Probleme, 422: Probleme, 429: Probleme}
WITHDRAW = {**CREATE, 404: Probleme}
AdressageId = Annotated[int, Path(ge=1, le=MAX_ID, description="L'identifiant de l'adressage.")]


class BadCursor(Exception):
    pass


def _scoped(request):
    return Adressage.objects.for_bureau(request.auth.bureau).select_related("agence", "conseiller__user")


def _log_reads(request, adressages) -> None:
    """The access log of personal data (docs/privacy.md): one entry per agency whose referrals the token read."""
    by_agence: dict = {}
    for a in adressages:
        by_agence.setdefault(a.agence_id, [a.agence, []])[1].append(a)
    lecteur = f"jeton {request.auth}"
    for agence, rows in by_agence.values():
        log_read(
            request,
            vue=LectureDonnees.Vue.API,
            agence=agence,
            kind=TypePersonne.ADRESSAGE,
            obj=rows[0] if len(rows) == 1 else None,
            nombre=len(rows),
            lecteur=lecteur,
        )


def _etag(data) -> str:
    body = json.dumps(data, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False)
    return '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'


def _conditional(request, response, data, last_modified):
    """ETag and Last-Modified on a read; a 304 (no body) when the client's copy is still current."""
    etag = _etag(data)
    timestamp = last_modified.timestamp() if last_modified else None
    not_modified = get_conditional_response(request, etag=etag, last_modified=timestamp)
    response["ETag"] = etag
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    if not_modified is not None:
        not_modified["ETag"] = etag
        if timestamp is not None:
            not_modified["Last-Modified"] = http_date(timestamp)
        return not_modified
    return None


def _encode_cursor(a: Adressage) -> str:
    return base64.urlsafe_b64encode(f"{a.updated_at.isoformat()}|{a.pk}".encode()).decode().rstrip("=")


def _decode_cursor(value: str) -> tuple[datetime.datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        stamp, pk = raw.split("|")
        moment = parse_datetime(stamp)
        if moment is None or moment.tzinfo is None:
            raise BadCursor
        return moment, int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise BadCursor from exc


@router.get("/agences", response={200: list[AgenceOut], 401: Probleme, 429: Probleme}, url_name="agences")
def list_agences(request):
    """The agencies a referral can be sent to: those of the region of the token's public employment service."""
    return [{"id": a.pk, "nom": a.nom, "commune": a.commune} for a in request.auth.bureau.agences().order_by("nom")]


@router.get(
    "/adressages",
    response={200: PageAdressages, 304: None, 400: Probleme, **READ},
    url_name="adressages",
)
def list_adressages(
    request,
    response: HttpResponse,
    etat: Annotated[Etat | None, Query(description="Seulement les adressages dans cet état.")] = None,
    depuis: Annotated[IsoDate | None, Query(description="Adressés à cette date ou après (AAAA-MM-JJ).")] = None,
    modifie_depuis: Annotated[
        Rfc3339 | None,
        Query(description="Synchronisation : modifiés à cet instant ou après (RFC 3339 avec fuseau)."),
    ] = None,
    limite: Annotated[int, Query(ge=1, le=200, description="Taille de la page (1 à 200).")] = 50,
    curseur: Annotated[
        str | None, Query(max_length=200, pattern=r"^[A-Za-z0-9_-]+$", description="Repris du lien « suivant ».")
    ] = None,
):
    """The office's referrals, one page at a time, oldest change first (`modifie_le`, then `id`).

    Follow `suivant` until it is null. For an incremental sync, pass the greatest `modifie_le` already read as
    `modifie_depuis`: every referral changed since (state, published feedback, reply, anonymisation) comes back.
    """
    qs = _scoped(request)
    if etat:
        qs = qs.filter(etat=etat)
    if depuis:
        qs = qs.filter(date_adressage__gte=depuis)
    if modifie_depuis:
        qs = qs.filter(updated_at__gte=modifie_depuis)
    total = qs.count()
    page_qs = qs.order_by("updated_at", "pk")
    if curseur:
        try:
            moment, pk = _decode_cursor(curseur)
        except BadCursor:
            return problem(
                "curseur_invalide",
                erreurs=[{"loc": ["query", "curseur"], "code": "curseur_invalide", "message": _("Curseur inconnu.")}],
            )
        page_qs = page_qs.filter(Q(updated_at__gt=moment) | Q(updated_at=moment, pk__gt=pk))
    rows = list(page_qs[: limite + 1])
    page, more = rows[:limite], len(rows) > limite
    suivant = None
    if more:
        params = request.GET.copy()
        params["curseur"] = _encode_cursor(page[-1])
        suivant = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    data = {"total": total, "limite": limite, "suivant": suivant, "resultats": [adressage_out(a) for a in page]}
    _log_reads(request, page)
    last = qs.aggregate(last=Max("updated_at"))["last"]
    return _conditional(request, response, data, last) or data


@router.post("/adressages", response={201: AdressageDetailOut, **CREATE}, url_name="adressages_create")
def create_adressage(request, response: HttpResponse, payload: AdressageIn):
    """Refers a job seeker on behalf of one of the office's advisers.

    400 (`regle_metier`): the adviser is not an active adviser of the token's office, the agency does not exist or
    is not in the region of the office's public employment service, or the adviser already has an open referral
    for this NISS.
    """
    conseiller = (
        Conseiller.objects.select_related("user", "bureau")
        .filter(bureau=request.auth.bureau, user__email__iexact=payload.conseiller_email, user__is_active=True)
        .first()
    )
    if conseiller is None:
        raise ValidationError(
            {"conseiller_email": [_("Aucun·e conseiller·ère actif·ve de ce bureau à cette adresse.")]}
        )
    agence = Agence.objects.filter(pk=payload.agence_id).first()
    if agence is None:
        raise ValidationError({"agence_id": [_("Aucune agence avec cet identifiant.")]})
    service = request.auth.bureau.service
    if agence.region != service.region:
        raise ValidationError(
            {
                "agence_id": [
                    _("Cette agence n'est pas dans la région de votre service (%(service)s : %(region)s).")
                    % {"service": service.nom_court, "region": service.get_region_display()}
                ]
            }
        )
    data = payload.model_dump(exclude={"conseiller_email", "agence_id"})
    data["email"] = data["email"] or ""
    adressage = services.create_adressage(conseiller=conseiller, agence=agence, acting_user=conseiller.user, **data)
    response["Location"] = reverse("api_v1:adressage", kwargs={"adressage_id": adressage.pk})
    return Status(201, detail_out(_scoped(request).get(pk=adressage.pk)))


@router.get(
    "/adressages/{adressage_id}",
    response={200: AdressageDetailOut, 304: None, 404: Probleme, **READ},
    url_name="adressage",
)
def get_adressage(request, response: HttpResponse, adressage_id: AdressageId):
    """One referral with its state history and its published feedback (with the replies)."""
    adressage = get_object_or_404(_scoped(request), pk=adressage_id)
    data = detail_out(adressage)
    _log_reads(request, [adressage])
    return _conditional(request, response, data, adressage.updated_at) or data


@router.post(
    "/adressages/{adressage_id}/retrait", response={200: AdressageDetailOut, **WITHDRAW}, url_name="adressage_retrait"
)
def withdraw_adressage(request, adressage_id: AdressageId, payload: RetraitIn):
    """The adviser withdraws the referral.

    400 (`regle_metier`): the referral is already closed, refused or withdrawn.
    """
    adressage = get_object_or_404(_scoped(request), pk=adressage_id)
    services.withdraw(adressage=adressage, motif=payload.motif, acting_user=adressage.conseiller.user)
    return detail_out(_scoped(request).get(pk=adressage.pk))
