"""Columns several files share: the address, the client's and the worker's identifier."""

from django.utils.translation import gettext_lazy as _l

from ..champs import Champ

ADRESSE = [
    Champ(
        "rue",
        _l("Rue et numéro"),
        ("adresse", "rueetnumero", "straat", "adres", "straatennummer"),
        required=True,
        example="Rue de la Station 12",
    ),
    Champ(
        "code_postal",
        _l("Code postal"),
        ("cp", "postcode", "codepost"),
        required=True,
        example="5030",
        allowed=_l("4 chiffres, entre 1000 et 9999"),
    ),
    Champ(
        "commune",
        _l("Commune"),
        ("localite", "ville", "gemeente", "woonplaats", "plaats"),
        required=True,
        example="Gembloux",
    ),
    Champ(
        "telephone",
        _l("Téléphone"),
        ("tel", "gsm", "telefoon", "telefoonnummer", "portable", "telnr"),
        example="081 12 34 56",
    ),
    Champ(
        "email",
        _l("E-mail"),
        ("mail", "courriel", "adresseemail", "emailadres", "adresseelectronique"),
        example="nom@example.be",
    ),
]

CLIENT = Champ(
    "client",
    _l("NISS ou BCE du client"),
    (
        "client",
        "utilisateur",
        "niss",
        "bce",
        "nissoubce",
        "identifiant",
        "klant",
        "gebruiker",
        "insz",
        "ondernemingsnummer",
        "rijksregisternummer",
        "numerodentreprise",
        "bceduclient",
        "nissduclient",
        "identifiantduclient",
    ),
    required=True,
    kind="identifiant",
    example="85.07.30-033.28",
    allowed=_l("le NISS (particulier) ou le numéro BCE (personne morale) d'un client déjà importé"),
)

PRESTATAIRE = Champ(
    "prestataire",
    _l("NISS du prestataire"),
    (
        "niss",
        "nissprestataire",
        "nissduprestataire",
        "prestataire",
        "travailleur",
        "nisstravailleur",
        "insz",
        "inszprestataire",
        "werknemer",
        "inszwerknemer",
        "rijksregisternummer",
        "numeronational",
        "registrenational",
    ),
    required=True,
    kind="niss",
    example="85.07.30-033.28",
    allowed=_l("le NISS d'un prestataire déjà importé dans l'agence"),
)
