"""Demo distances: points for the demo's addresses, two walkers around Anne Dupont's garden, and one worker whose
address the geocoder cannot find.

Points are seeded in the table of known addresses (read by the seeded geocoder), then every demo record is
located at once, the way the background task would (the demo runs no task worker). For the open garden request
(Thursday mornings): Claire Lambert lives ~600 m away and walks (≈ 10 min, within her 20 min); Marc Renard lives
~2 km away and walks (≈ 35 min: beyond his 20 min, blocked); Lucas Hubert's address is not among the known
points, so his file is flagged for staff and matching shows "distance inconnue". The demo's prestations get their
distance from the points, so that travel costs show where a trip is beyond 5 km.
"""

import datetime
import zlib
from decimal import Decimal

from django.db import transaction

from ale_platform.demo import DemoContext
from ale_platform.geo.addresses import address_of
from ale_platform.geo.models import AdresseConnue, StatutGeocodage
from ale_platform.geo.services import locate
from ale_platform.identifiers import build_niss
from ale_platform.models import Activite, Agence
from prestataires.models import ChangementStatut, ContratALE, Disponibilite, Prestataire, SituationEligibilite
from utilisateurs.models import Site, Utilisateur

D = datetime.date
SIX = Decimal("0.000001")

# Centres of the demo's villages (approximate), for addresses without a point of their own below.
VILLAGES = {
    "gembloux": (50.5614, 4.6966),
    "grand-leez": (50.5790, 4.7790),
    "sauveniere": (50.5860, 4.7260),
    "lonzee": (50.5480, 4.7230),
    "bossiere": (50.5230, 4.6850),
    "eghezee": (50.5910, 4.9110),
    "leuze": (50.5600, 4.9000),
}
ANNE = (50.5650, 4.6990)
POINTS = {
    "Rue Entrée Jacques 22": ANNE,
    "Rue des Tilleuls 9": (50.5690, 4.7047),  # Claire Lambert: ~600 m from Anne
    "Rue de la Sucrerie 31": (50.5524, 4.6786),  # Marc Renard: ~2 km from Anne
    "Rue du Moulin 8": (50.5600, 4.6950),
    "Rue Docteur Pierard 14": (50.5628, 4.6920),
}
# Lucas Hubert's address stays unknown: the seeded geocoder flags it for staff.
UNKNOWN = {"Place Saint-Guibert 5"}

WALKERS = [
    # nom, prénom, naissance, compteur, rue, maximum (minutes)
    ("Lambert", "Claire", D(1972, 5, 11), 66, "Rue des Tilleuls 9", 20),
    ("Renard", "Marc", D(1970, 9, 3), 77, "Rue de la Sucrerie 31", 20),
]


def _village(commune: str) -> tuple[float, float]:
    key = commune.lower().replace("é", "e").replace("è", "e").replace(" ", "-")
    return VILLAGES.get(key, VILLAGES["gembloux"])


def _point_for(record) -> tuple[float, float] | None:
    if record.rue in UNKNOWN:
        return None
    if record.rue in POINTS:
        return POINTS[record.rue]
    # Elsewhere in the village: a fixed offset from its centre (up to ~700 m), the same at every run.
    lat, lon = _village(record.commune)
    h = zlib.crc32(record.rue.encode())
    return lat + ((h % 1000) / 1000 - 0.5) * 0.012, lon + (((h // 1000) % 1000) / 1000 - 0.5) * 0.018


def _seed_points(records) -> None:
    for record in records:
        address, point = address_of(record), _point_for(record)
        if address and point:
            AdresseConnue.objects.get_or_create(
                adresse=address,
                defaults={
                    "latitude": Decimal(str(point[0])).quantize(SIX),
                    "longitude": Decimal(str(point[1])).quantize(SIX),
                    "source": AdresseConnue.Source.SEMEE,
                },
            )


def _walkers(ctx: DemoContext) -> None:
    agence = ctx.agences["gembloux"]
    jardinage = Activite.objects.filter(agence=agence, nom="Petit jardinage").first()
    for nom, prenom, birth, counter, rue, maximum in WALKERS:
        p, created = Prestataire.objects.get_or_create(
            agence=agence,
            niss=build_niss(birth, counter),
            defaults={
                "nom": nom,
                "prenom": prenom,
                "date_naissance": birth,
                "rue": rue,
                "code_postal": "5030",
                "commune": "Gembloux",
                "statut": Prestataire.Statut.ACTIF,
                "mobilite": "pied",
                "temps_trajet_max": maximum,
                "organisme_paiement": "capac",
                "telephone": "0471 00 00 00",
                "email": f"{prenom.lower()}.{nom.lower()}@example.be",
                "date_inscription": D(2024, 3, 1),
            },
        )
        if not created:
            continue
        if jardinage:
            p.activites.add(jardinage)
        Disponibilite.objects.get_or_create(prestataire=p, jour=3, demi_journee="matin")
        SituationEligibilite.objects.get_or_create(
            prestataire=p,
            base="chomage_45_plus",
            defaults={
                "depuis": D(2023, 6, 1),
                "preuve": "Attestation de l'organisme de paiement",
                "date_preuve": D(2024, 2, 15),
            },
        )
        ContratALE.objects.create(prestataire=p, date_debut=D(2024, 3, 15), date_signature=D(2024, 3, 15))
        ChangementStatut.objects.create(
            prestataire=p, de="inscrit", vers="actif", date=D(2024, 3, 15), motif="Contrat de travail ALE signé."
        )


@transaction.atomic
def seed(ctx: DemoContext) -> None:
    _walkers(ctx)
    agences = list(ctx.agences.values())
    records = [
        *Agence.objects.filter(pk__in=[a.pk for a in agences]),
        *Prestataire.objects.filter(agence__in=agences),
        *Utilisateur.objects.filter(agence__in=agences),
        *Site.objects.filter(utilisateur__agence__in=agences),
    ]
    _seed_points(records)
    for record in records:
        if record.geocodage == StatutGeocodage.A_LOCALISER or record.geocodage_adresse != address_of(record):
            record.geocodage_adresse = address_of(record)
            type(record).objects.filter(pk=record.pk).update(geocodage_adresse=record.geocodage_adresse)
            locate(record)
    _distances(agences)


def _distances(agences) -> None:
    """The demo's prestations get the distance staff would have typed (the estimate): the ALE 4 shows travel costs."""
    from .frais import distance_suggeree, place_of_prestation
    from .models import Prestation

    todo = list(
        Prestation.objects.filter(agence__in=agences, distance_km__isnull=True).select_related(
            "prestataire", "utilisateur", "demande__site"
        )
    )
    for p in todo:
        p.distance_km = distance_suggeree(p.prestataire, place_of_prestation(p))
    Prestation.objects.bulk_update([p for p in todo if p.distance_km is not None], ["distance_km"])
