"""The importers, one module per kind of file, around a shared base (`base`); importing the package registers
them all in `IMPORTEURS`."""

from . import (
    autorisations,
    cheques,
    contacts,
    contrats,
    inscriptions,
    prestataires,
    prestations,
    sites,
    situations,
    utilisateurs,  # noqa: F401 — each module registers its importer
)
from .base import (
    ACTIVITY_FIELDS,
    CONFLICT_ERROR,
    IMPORTEURS,
    TECHNICAL_ERROR,
    Importeur,
    ImportRefuse,
    Ligne,
    Resultat,
    guess_mapping,
    missing_required,
    write,
)

__all__ = [
    "ACTIVITY_FIELDS",
    "CONFLICT_ERROR",
    "IMPORTEURS",
    "TECHNICAL_ERROR",
    "ImportRefuse",
    "Importeur",
    "Ligne",
    "Resultat",
    "autorisations",
    "cheques",
    "contacts",
    "contrats",
    "guess_mapping",
    "inscriptions",
    "missing_required",
    "prestataires",
    "prestations",
    "sites",
    "situations",
    "write",
]
