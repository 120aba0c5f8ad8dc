"""The navigation of each role. Every entry is a URL name; the current page is marked for screen readers."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


STAFF = [
    NavItem(_("Tableau de bord"), "dashboard"),
    NavItem(_("Prestataires"), "prestataires:list"),
    NavItem(_("Utilisateurs"), "utilisateurs:list"),
    NavItem(_("Demandes"), "utilisateurs:demande_list"),
    NavItem(_("Prestations"), "prestations:list"),
    NavItem(_("Clôture du mois"), "prestations:cloture"),
    NavItem(_("Chèques ALE"), "prestations:cheques"),
    NavItem(_("Adressages"), "forem_liaison:staff_list"),
    NavItem(_("Rapports"), "yearly_report"),
]
# Added for the collaborators who administer at least one agency.
AGENCY_ADMIN = [NavItem(_("Reprise de données"), "reprise:index")]
CONSEILLER = [
    NavItem(_("Mes adressages"), "forem_liaison:conseiller_home"),
    NavItem(_("Adresser une personne"), "forem_liaison:conseiller_create"),
]
CLIENT = [
    NavItem(_("Mon espace"), "utilisateurs:espace"),
    NavItem(_("Réserver"), "utilisateurs:reserver"),
    NavItem(_("Mes prestations"), "prestations:client"),
]
PRESTATAIRE = [
    NavItem(_("Mon espace"), "prestataires:espace"),
    NavItem(_("Déclarer mes heures"), "prestations:declarer"),
    NavItem(_("Mon planning"), "prestations:mes_prestations"),
    NavItem(_("Mes affectations"), "prestations:mes_affectations"),
]


def nav_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    if user.is_collaborateur or user.is_superuser:
        return STAFF
    if user.is_conseiller:
        return CONSEILLER
    if user.is_client:
        return CLIENT
    if user.is_prestataire:
        return PRESTATAIRE
    return []
