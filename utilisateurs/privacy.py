"""GDPR: what the platform holds about a client (export) and how an inactive file is anonymised.

Called by ale_platform/privacy (see docs/privacy.md). Prestations and vouchers stay for the statistics and
keep pointing to the anonymised client (its type is kept: the yearly report counts hours per client type).
"""

import datetime

from django.utils import timezone

from ale_platform.geo import privacy as geo_privacy
from ale_platform.languages import recipient_language
from ale_platform.models import TypeUtilisateur
from ale_platform.pdf import render_pdf
from ale_platform.privacy.core import (
    PLACEHOLDER_NOM,
    PLACEHOLDER_TEXTE,
    anonymise_everywhere,
    close_account,
    delete_history,
    dump,
    history_of,
    latest,
    max_of,
)
from ale_platform.privacy.models import TypePersonne
from ale_platform.privacy.registry import activity_annotations, extra_files, last_activities

from .extensions import client_prestations, client_yearly_statement
from .models import ChangementStatut, Contact, Demande, Inscription, Invitation, Site, Utilisateur

MAX_RELEVES = 5


def label(utilisateur) -> str:
    return str(utilisateur)


def export_files(utilisateur) -> dict[str, bytes]:
    u = utilisateur
    demandes = Demande.objects.filter(utilisateur=u).order_by("pk")
    files = {
        "utilisateur.json": dump([u]),
        "utilisateur_historique.json": dump(history_of(Utilisateur, [u.pk])),
        "sites.json": dump(u.sites.all()),
        "contacts.json": dump(u.contacts.all()),
        "inscriptions.json": dump(u.inscriptions.all()),
        "autorisations.json": dump(u.autorisations.all()),
        "demandes.json": dump(demandes),
        "demandes_historique.json": dump(history_of(Demande, demandes.values_list("pk", flat=True))),
        "demandes_changements_statut.json": dump(ChangementStatut.objects.filter(demande__utilisateur=u)),
        **extra_files(TypePersonne.UTILISATEUR, u),
    }
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
    anonymise_everywhere(
        Site,
        u.sites.values_list("pk", flat=True),
        {"nom": PLACEHOLDER_TEXTE, "rue": PLACEHOLDER_TEXTE, **geo_privacy.ERASED},
    )
    anonymise_everywhere(
        Contact,
        u.contacts.values_list("pk", flat=True),
        {"nom": PLACEHOLDER_NOM, "prenom": "", "fonction": "", "telephone": "", "email": ""},
    )
    demandes = Demande.objects.filter(utilisateur=u).values_list("pk", flat=True)
    anonymise_everywhere(Demande, demandes, {"description": PLACEHOLDER_TEXTE})
    anonymise_everywhere(
        ChangementStatut,
        ChangementStatut.objects.filter(demande__utilisateur=u).values_list("pk", flat=True),
        {"motif": PLACEHOLDER_TEXTE},
    )
    invitations = list(Invitation.objects.filter(utilisateur=u).values_list("pk", flat=True))
    Invitation.objects.filter(pk__in=invitations).delete()
    delete_history(Invitation, invitations)
    close_account(u.compte)
