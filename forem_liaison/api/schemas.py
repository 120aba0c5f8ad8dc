"""The API's request and response schemas: what the OpenAPI document says is exactly what is validated."""

import datetime
import re
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict

from ale_platform.identifiers import validate_niss

from ..models import CategorieAttente, EtatAdressage, IssueAdressage

MAX_ID = 2**31 - 1
# No control characters (tab, line feed and carriage return are text); "not blank" = at least one visible character.
NO_CONTROL = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
NOT_BLANK = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*[^\s\x00-\x08\x0b\x0c\x0e-\x1f\x7f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([Zz]|[+-]\d{2}:\d{2})")

Etat = Literal[tuple(EtatAdressage.values)]  # type: ignore[valid-type]
Categorie = Literal[tuple(CategorieAttente.values)]  # type: ignore[valid-type]
Issue = Literal[tuple(IssueAdressage.values)]  # type: ignore[valid-type]


def _iso_date_only(value):
    if isinstance(value, str) and not ISO_DATE.fullmatch(value):
        raise ValueError("date attendue au format AAAA-MM-JJ")
    return value


def _rfc3339_only(value):
    if isinstance(value, str) and not RFC3339.fullmatch(value):
        raise ValueError("date et heure attendues au format RFC 3339 avec fuseau (ex. 2026-12-01T08:00:00Z)")
    return value


def _valid_niss(value: str) -> str:
    try:
        validate_niss(value)
    except ValidationError as exc:
        raise ValueError(exc.messages[0]) from None
    return value


def _valid_email(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError:
        raise ValueError("adresse e-mail invalide") from None
    return value


IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date_only)]
Rfc3339 = Annotated[datetime.datetime, BeforeValidator(_rfc3339_only)]
Niss = Annotated[
    str,
    Field(
        pattern=r"^[0-9]{11}$",
        json_schema_extra={"format": "niss"},
        description="NISS (registre national ou BIS) : 11 chiffres, clé de contrôle modulo 97 vérifiée.",
    ),
    AfterValidator(_valid_niss),
]
Email = Annotated[
    str, Field(min_length=3, max_length=254, json_schema_extra={"format": "email"}), AfterValidator(_valid_email)
]


# --- Out -----------------------------------------------------------------------------------------------------


class AgenceOut(Schema):
    id: int
    nom: str
    commune: str


class ConseillerOut(Schema):
    id: int = Field(..., description="Identifiant stable du conseiller ou de la conseillère sur la plateforme.")
    email: str
    nom: str


class TransitionOut(Schema):
    id: int = Field(..., description="Identifiant stable du changement d'état (pour dédoublonner entre deux lectures).")
    de: Etat | None = Field(..., description="null pour la création de l'adressage.")
    vers: Etat
    le: datetime.datetime
    motif: str = Field(..., description="Le motif écrit par l'auteur du changement, tel quel (peut être vide).")
    par: str = Field(..., description="Qui a fait le changement : son nom (ou son adresse), comme sur le portail.")


class MoisOut(Schema):
    mois: str = Field(..., pattern=r"^\d{4}-\d{2}$", description="Mois (AAAA-MM).")
    heures: float = Field(..., description="Heures prestées dans le mois, toutes ALE confondues si heures_toutes_ale.")
    seuil_atteint: bool


class RegulariteOut(Schema):
    prestations_effectuees: int = Field(..., description="Prestations effectuées dans la période.")
    absences: int = Field(..., description="Absences de la personne à des prestations prévues.")
    semaines_actives: int = Field(..., description="Semaines de la période avec au moins une prestation.")
    semaines: int = Field(..., description="Semaines (calendrier) que couvre la période.")


class RefusOut(Schema):
    le: datetime.date
    activite: str
    motif: str = Field(..., description="Le motif du refus, tel que l'ALE l'a relu pour le Forem.")


class FaitsOut(Schema):
    """Facts computed by the platform, frozen at publication. Never a score of the person."""

    rendez_vous_honores: int
    rendez_vous_manques: int
    inscrit_ale: bool
    heures_par_mois: list[MoisOut]
    heures_toutes_ale: bool = Field(
        ...,
        description="true : les heures de chaque mois sont celles de la personne dans toutes les ALE (même NISS), "
        "comme le seuil les compte ; false : retour publié avant, heures du seul dossier de cette ALE.",
    )
    seuil_heures: float = Field(..., description="Seuil mensuel d'heures de l'évaluation du Forem (en heures).")
    regularite: RegulariteOut | None = Field(..., description="null : publié avant son suivi, ou sans dossier.")
    prestations_refusees: int | None = Field(..., description="null : retour publié avant le suivi des refus.")
    refus: list[RefusOut] | None = Field(..., description="null : retour publié avant le suivi des refus.")


class ReponseOut(Schema):
    id: int = Field(..., description="Identifiant stable de la réponse.")
    auteur: str
    texte: str | None = Field(..., description="null : réponse d'un retour anonymisé.")
    le: datetime.datetime


class RetourOut(Schema):
    id: int
    periode_debut: datetime.date
    periode_fin: datetime.date
    publie_le: datetime.datetime
    auteur: str = Field(..., description="Qui a publié le retour à l'ALE.")
    anonymise: bool = Field(
        ..., description="true : le retour a été anonymisé (RGPD) ; texte et faits ne sont plus disponibles (null)."
    )
    texte: str | None
    faits: FaitsOut | None
    corrige: int | None = Field(..., description="L'identifiant du retour que celui-ci corrige.")
    reponses: list[ReponseOut]


class AdressageOut(Schema):
    id: int
    modifie_le: datetime.datetime = Field(
        ...,
        description="Dernière modification de tout ce que l'API montre de l'adressage (état, retour publié, "
        "réponse, anonymisation). À utiliser avec `modifie_depuis`.",
    )
    anonymise: bool = Field(
        ...,
        description="true : adressage anonymisé (RGPD) ; les données de la personne valent null, "
        "rien n'est inventé à leur place.",
    )
    nom: str | None
    prenom: str | None
    niss: str | None
    numero_dossier_forem: str | None
    conseiller: ConseillerOut
    agence: AgenceOut
    date_adressage: datetime.date
    categories: list[Categorie]
    motif: str | None
    etat: Etat
    etat_libelle: str
    issue: Issue | None = Field(..., description="L'issue d'un adressage clôturé ; null sinon.")
    issue_libelle: str | None
    motif_refus: str | None


class AdressageDetailOut(AdressageOut):
    transitions: list[TransitionOut]
    retours: list[RetourOut]


class PageAdressages(Schema):
    total: int = Field(..., description="Nombre d'adressages qui répondent aux filtres (toutes pages).")
    limite: int
    suivant: str | None = Field(..., description="Lien de la page suivante ; null sur la dernière page.")
    resultats: list[AdressageOut]


class ErreurChamp(Schema):
    loc: list[str] = Field(..., description="Où : « body », « query » ou « path », puis le champ.")
    code: str = Field(..., description="Code machine de l'erreur (type pydantic ou « regle_metier »).")
    message: str = Field(..., description="Message en français.")


class Probleme(Schema):
    """RFC 9457 problem details, served as `application/problem+json` for every error under /api/v1/."""

    type: str = Field(..., description="URN du problème : urn:ale-platform:api:probleme:<code>.")
    title: str
    status: int
    code: str = Field(..., description="Code machine stable (voir la description de l'API).")
    detail: str = Field(..., description="Explication en français.")
    instance: str | None = None
    erreurs: list[ErreurChamp] | None = None


# --- In ------------------------------------------------------------------------------------------------------


class AdressageIn(Schema):
    model_config = ConfigDict(extra="forbid")

    conseiller_email: Email = Field(..., description="L'adresse d'un conseiller ou d'une conseillère du bureau.")
    agence_id: int = Field(..., ge=1, le=MAX_ID)
    nom: str = Field(..., min_length=1, max_length=100, pattern=NOT_BLANK)
    prenom: str = Field(..., min_length=1, max_length=100, pattern=NOT_BLANK)
    niss: Niss
    numero_dossier_forem: str = Field("", max_length=30, pattern=NO_CONTROL)
    telephone: str = Field("", max_length=30, pattern=NO_CONTROL)
    email: Email | None = None
    motif: str = Field(..., min_length=1, max_length=5000, pattern=NOT_BLANK)
    categories: list[Categorie] = Field(default_factory=list, max_length=10)
    consentement_partage: Literal[True] = Field(
        ..., description="La personne accepte que l'ALE et le Forem échangent sur son parcours : obligatoire."
    )


class RetraitIn(Schema):
    model_config = ConfigDict(extra="forbid")

    motif: str = Field("", max_length=2000, pattern=NO_CONTROL)
