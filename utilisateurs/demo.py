import datetime

from django.db import transaction

from ale_platform.demo import DemoContext, demo_user
from ale_platform.models import Activite, Role, TypeUtilisateur

from .models import Autorisation, Inscription, Utilisateur

T = TypeUtilisateur
CLIENTS = [
    # agence, type, nom, prénom, rue, CP, commune, e-mail
    (
        "gembloux",
        T.PARTICULIER,
        "Dupont",
        "Anne",
        "Rue Entrée Jacques 22",
        "5030",
        "Gembloux",
        "anne.dupont@example.be",
    ),
    ("gembloux", T.PARTICULIER, "Warnier", "Joseph", "Rue de Mazy 61", "5030", "Gembloux", "j.warnier@example.be"),
    (
        "gembloux",
        T.ENSEIGNEMENT,
        "École communale de Grand-Leez",
        "",
        "Rue de la Croix 1",
        "5031",
        "Grand-Leez",
        "ecole.grandleez@gembloux.be",
    ),
    (
        "gembloux",
        T.AUTORITE_LOCALE,
        "Ville de Gembloux",
        "",
        "Parc d'Épinal 2",
        "5030",
        "Gembloux",
        "population@gembloux.be",
    ),
    (
        "gembloux",
        T.ASBL,
        "Les Amis du Petit-Leez ASBL",
        "",
        "Rue du Petit-Leez 129",
        "5031",
        "Grand-Leez",
        "contact@amispetitleez.be",
    ),
    (
        "gembloux",
        T.AGRICOLE,
        "Ferme de la Sarthe",
        "",
        "Chemin de la Sarthe 4",
        "5030",
        "Lonzée",
        "ferme.sarthe@example.be",
    ),
    (
        "eghezee",
        T.PARTICULIER,
        "Fontaine",
        "Monique",
        "Rue de Namur 7",
        "5310",
        "Éghezée",
        "monique.fontaine@example.be",
    ),
]


@transaction.atomic
def seed(ctx: DemoContext) -> None:
    for agence, type_, nom, prenom, rue, cp, commune, email in CLIENTS:
        Utilisateur.objects.get_or_create(
            agence=ctx.agences[agence],
            email=email,
            defaults={
                "type": type_,
                "nom": nom,
                "prenom": prenom,
                "rue": rue,
                "code_postal": cp,
                "commune": commune,
                "telephone": "081 00 00 00",
            },
        )
    anne = Utilisateur.objects.get(agence=ctx.agences["gembloux"], email="anne.dupont@example.be")
    user = demo_user(
        ctx,
        "client",
        "anne.dupont@example.be",
        "Anne",
        "Dupont",
        Role.CLIENT,
        home="Utilisatrice (particulier, Gembloux)",
    )
    if anne.compte_id is None:
        anne.compte = user
        anne.save(update_fields=["compte"])

    # Every client of the demo is registered for this year, and authorised for the activities of its type.
    for utilisateur in Utilisateur.objects.filter(agence__in=ctx.agences.values()).order_by("pk"):
        agence = utilisateur.agence
        Inscription.objects.get_or_create(
            utilisateur=utilisateur,
            annee=ctx.today.year,
            defaults={
                "cotisation": agence.cotisation_annuelle,
                "payee_le": datetime.date(ctx.today.year, 1, 15),
                "validee": True,
            },
        )
        for activite in Activite.objects.filter(agence=agence).order_by("pk"):
            if activite.allows(utilisateur.type):
                Autorisation.objects.get_or_create(
                    utilisateur=utilisateur,
                    activite=activite,
                    defaults={
                        "numero": f"{4_000_000_000 + utilisateur.pk * 100 + activite.pk % 100:010d}",
                        "debut": datetime.date(ctx.today.year, 1, 1),
                        "fin": datetime.date(ctx.today.year, 12, 31),
                    },
                )
