"""Reads behind the shared dashboard. Each tile is one aggregate query, whatever the data size."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forem_liaison.models import Adressage
from forem_liaison.selectors import overdue_q
from prestataires.models import Prestataire
from utilisateurs.models import Utilisateur


@dataclass(frozen=True)
class Tile:
    label: str
    value: int
    url: str
    alert: bool = False


def dashboard_tiles(agence) -> list[Tile]:
    workers = Prestataire.objects.filter(agence=agence).aggregate(
        actifs=Count("pk", filter=Q(statut=Prestataire.Statut.ACTIF)),
        inscrits=Count("pk", filter=Q(statut=Prestataire.Statut.INSCRIT)),
    )
    clients = Utilisateur.objects.filter(agence=agence).count()
    referrals = Adressage.objects.filter(agence=agence, etat=Adressage.Etat.RECU).count()
    late = Adressage.objects.filter(overdue_q([agence.pk], timezone.localdate())).count()
    workers_url = reverse("prestataires:list")
    return [
        Tile(_("Prestataires actifs"), workers["actifs"], f"{workers_url}?statut=actif"),
        Tile(_("Prestataires inscrits, sans contrat"), workers["inscrits"], f"{workers_url}?statut=inscrit"),
        Tile(_("Utilisateurs"), clients, reverse("utilisateurs:list")),
        Tile(_("Adressages reçus à traiter"), referrals, reverse("forem_liaison:staff_list"), alert=referrals > 0),
        Tile(
            _("Adressages Forem en retard"), late, reverse("forem_liaison:staff_list") + "?retard=any", alert=late > 0
        ),
    ]
