"""Coordinates on located records, and the table of known addresses (seeded points and the geocoder's cache)."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class StatutGeocodage(models.TextChoices):
    A_LOCALISER = "a_localiser", _("À localiser")
    TROUVEE = "trouvee", _("Localisée")
    MANUELLE = "manuelle", _("Placée à la main")
    INTROUVABLE = "introuvable", _("Introuvable : à placer à la main")
    AMBIGUE = "ambigue", _("Ambiguë : à vérifier")


# A point is used for distances only when it was found or placed by staff; an ambiguous one is a suggestion.
STATUTS_FIABLES = [StatutGeocodage.TROUVEE, StatutGeocodage.MANUELLE]
STATUTS_A_VERIFIER = [StatutGeocodage.INTROUVABLE, StatutGeocodage.AMBIGUE]


class Localisation(models.Model):
    """The point of a record that has an address (rue, code_postal, commune): filled in the background."""

    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    geocodage = models.CharField(
        _("localisation"), max_length=12, choices=StatutGeocodage.choices, default=StatutGeocodage.A_LOCALISER
    )
    geocodage_note = models.CharField(_("note de localisation"), max_length=300, blank=True)
    # The normalised address the point belongs to: a changed address is located again, an unchanged one is not.
    geocodage_adresse = models.CharField(max_length=400, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def point(self) -> tuple[float, float] | None:
        """(latitude, longitude) when it can be trusted for distances, else None."""
        if self.latitude is None or self.longitude is None or self.geocodage not in STATUTS_FIABLES:
            return None
        return float(self.latitude), float(self.longitude)

    @property
    def a_verifier(self) -> bool:
        return self.geocodage in STATUTS_A_VERIFIER


def localisation_constraints(prefix: str) -> list:
    """Both coordinates or none, within range: the database keeps every located record coherent."""
    return [
        models.CheckConstraint(
            condition=Q(latitude__isnull=True, longitude__isnull=True)
            | Q(
                latitude__gte=Decimal(-90),
                latitude__lte=Decimal(90),
                longitude__gte=Decimal(-180),
                longitude__lte=Decimal(180),
            ),
            name=f"{prefix}_coordonnees_valides",
        ),
        models.CheckConstraint(condition=Q(geocodage__in=StatutGeocodage.values), name=f"{prefix}_geocodage_valide"),
    ]


class AdresseConnue(models.Model):
    """A normalised address and its point: seeded with the demo data, or cached from the real geocoder."""

    class Source(models.TextChoices):
        SEMEE = "semee", _("Données semées")
        GEOCODEUR = "geocodeur", _("Géocodeur")

    adresse = models.CharField(_("adresse normalisée"), max_length=400, unique=True)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    mise_a_jour = models.DateTimeField(_("mise à jour"), auto_now=True)

    class Meta:
        verbose_name = _("adresse connue")
        verbose_name_plural = _("adresses connues")
        ordering = ["adresse"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=Decimal(-90), latitude__lte=Decimal(90))
                & Q(longitude__gte=Decimal(-180), longitude__lte=Decimal(180)),
                name="adresse_connue_coordonnees_valides",
            ),
        ]

    def __str__(self):
        return self.adresse


class Itineraire(models.Model):
    """A travel time from the routing engine between two points for one mode, computed in the background."""

    depart_latitude = models.DecimalField(max_digits=8, decimal_places=5)
    depart_longitude = models.DecimalField(max_digits=9, decimal_places=5)
    arrivee_latitude = models.DecimalField(max_digits=8, decimal_places=5)
    arrivee_longitude = models.DecimalField(max_digits=9, decimal_places=5)
    mode = models.CharField(_("mode"), max_length=12)
    minutes = models.PositiveIntegerField(_("minutes"))
    km = models.DecimalField(_("km"), max_digits=7, decimal_places=2)
    calcule_le = models.DateTimeField(_("calculé le"), auto_now=True)

    class Meta:
        verbose_name = _("itinéraire calculé")
        verbose_name_plural = _("itinéraires calculés")
        constraints = [
            models.UniqueConstraint(
                fields=["arrivee_latitude", "arrivee_longitude", "depart_latitude", "depart_longitude", "mode"],
                name="itineraire_unique",
            ),
        ]

    def __str__(self):
        return f"{self.mode} {self.minutes} min"
