"""GDPR: what the platform holds about a client (export) and how an inactive file is anonymised.

Called by ale_platform/privacy (see docs/privacy.md). Prestations and vouchers stay for the statistics and
keep pointing to the anonymised client (its type is kept: the yearly report counts hours per client type).
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ale_platform.geo import privacy as geo_privacy
from ale_platform.languages import recipient_language
from ale_platform.models import TypeUtilisateur
from ale_platform.pdf import render_pdf
from ale_platform.privacy.core import (
    PLACEHOLDER_NOM,
    PLACEHOLDER_TEXTE,
    anonymise_everywhere,
    close_account,
    latest,
    max_of,
)
from ale_platform.privacy.datamap import DELETE, Store, register_store, s
from ale_platform.privacy.models import TypePersonne
from ale_platform.privacy.registry import activity_annotations, extra_files, last_activities

from .extensions import client_prestations, client_yearly_statement
from .models import (
    Autorisation,
    ChangementStatut,
    Contact,
    Creneau,
    Demande,
    Inscription,
    Invitation,
    Site,
    Utilisateur,
)

MAX_RELEVES = 5


def label(utilisateur) -> str:
    return str(utilisateur)


def export_files(utilisateur) -> dict[str, bytes]:
    """The files beside the rows of the data map (`register()`): the yearly statements."""
    u = utilisateur
    files = extra_files(TypePersonne.UTILISATEUR, u)
    years = sorted({d.year for d in client_prestations(u).dates("date", "year")}, reverse=True)[:MAX_RELEVES]
    for year in years or [timezone.localdate().year]:
        context = {"utilisateur": u, "agence": u.agence, "year": year, "now": timezone.localtime()}
        files[f"releves/releve-{year}.pdf"] = render_pdf(
            "utilisateurs/releve.html", context | client_yearly_statement(u, year), language=recipient_language(u)
        )
    return files


def expired(agence, cutoff):
    """Clients without activity nor registration since `cutoff`: (client, last activity)."""
    candidates = (
        Utilisateur.objects.filter(agence=agence)
        .annotate(
            derniere_annee=max_of(Inscription, "utilisateur", "annee"),
            derniere_demande=max_of(Demande, "utilisateur", "created_at"),
            **activity_annotations(TypePersonne.UTILISATEUR),
        )
        .order_by("pk")
    )
    for u in candidates:
        end_of_registration = datetime.date(u.derniere_annee, 12, 31) if u.derniere_annee else None
        last = latest(
            u.created_at, end_of_registration, u.derniere_demande, *last_activities(u, TypePersonne.UTILISATEUR)
        )
        if last < cutoff:
            yield u, last


def anonymise(utilisateur) -> None:
    u = utilisateur
    particulier = u.type == TypeUtilisateur.PARTICULIER
    geo_privacy.forget([u, *u.sites.all()])
    anonymise_everywhere(
        Utilisateur,
        [u.pk],
        {
            "nom": PLACEHOLDER_NOM,
            "prenom": f"#{u.pk}",
            # Placeholders keep the NISS-or-BCE constraint and the per-agency uniqueness, and encode nothing.
            "niss": f"0000{u.pk:07d}" if particulier else "",
            "bce": "" if particulier else f"9{u.pk:09d}",
            "rue": "",
            "code_postal": "",
            "commune": "",
            "telephone": "",
            "email": "",
            **geo_privacy.ERASED,
        },
    )
    # The other rows about them are erased from the data map (`register()`).
    close_account(u.compte)


def _rows(model, path="utilisateur"):
    return {TypePersonne.UTILISATEUR: lambda u: model.objects.filter(**{path: u})}


ADDRESS = s("rue", "code_postal", "commune", "geocodage_note", "geocodage_adresse")


def register() -> None:
    for store in [
        Store(
            "utilisateurs.Utilisateur",
            personal=s("nom", "prenom", "niss", "bce", "telephone", "email") | ADDRESS,
            other=s("geocodage", "type", "langue"),
            rows={TypePersonne.UTILISATEUR: lambda u: Utilisateur.objects.filter(pk=u.pk)},
            export="utilisateur",
            retention=_("la durée de conservation de l'agence après la dernière activité"),
        ),
        Store(
            "utilisateurs.Site",
            personal=s("nom") | ADDRESS,
            other=s("geocodage"),
            rows=_rows(Site),
            erase={"nom": PLACEHOLDER_TEXTE, "rue": PLACEHOLDER_TEXTE, **geo_privacy.ERASED},
            export="sites",
        ),
        Store(
            "utilisateurs.Contact",
            personal=s("nom", "prenom", "fonction", "telephone", "email"),
            rows=_rows(Contact),
            erase=DELETE,  # a contact person is a third party; a contact needs a phone or an e-mail (constraint)
            export="contacts",
        ),
        Store("utilisateurs.Inscription", rows=_rows(Inscription), export="inscriptions"),
        Store("utilisateurs.Autorisation", other=s("numero"), rows=_rows(Autorisation), export="autorisations"),
        Store(
            "utilisateurs.Demande",
            personal=s("description"),
            other=s("statut", "jours"),
            rows=_rows(Demande),
            erase={"description": PLACEHOLDER_TEXTE},
            export="demandes",
        ),
        Store("utilisateurs.Creneau", rows=_rows(Creneau, "demande__utilisateur"), export="creneaux"),
        Store(
            "utilisateurs.ChangementStatut",
            personal=s("motif"),
            other=s("de", "vers"),
            rows=_rows(ChangementStatut, "demande__utilisateur"),
            erase={"motif": PLACEHOLDER_TEXTE},
            export="demandes_changements_statut",
            mentions=s("motif"),
        ),
        Store("utilisateurs.ParametresUtilisateurs"),
        Store("utilisateurs.CongeScolaire", other=s("nom")),
        Store(
            "utilisateurs.Invitation",
            personal=s("email", "token"),
            rows=_rows(Invitation),
            erase=DELETE,
            export="invitations",
            hidden=s("token"),
        ),
    ]:
        register_store(store)
