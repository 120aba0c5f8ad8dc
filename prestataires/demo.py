import datetime

from django.db import transaction

from ale_platform.demo import DemoContext, demo_user
from ale_platform.identifiers import build_niss
from ale_platform.models import Role

from .models import Prestataire

D = datetime.date
WORKERS = [
    # agence, nom, prénom, naissance, compteur, rue, CP, commune, statut
    ("gembloux", "Lejeune", "Jean", D(1971, 2, 14), 33, "Rue du Moulin 8", "5030", "Gembloux", "actif"),
    ("gembloux", "Dethier", "Martine", D(1966, 7, 2), 48, "Chaussée de Namur 112", "5030", "Gembloux", "actif"),
    ("gembloux", "Bodart", "Yannick", D(1988, 11, 23), 105, "Rue de la Station 3", "5031", "Grand-Leez", "actif"),
    ("gembloux", "Collignon", "Fatima", D(1983, 4, 30), 212, "Rue des Champs 27", "5030", "Sauvenière", "inscrit"),
    ("gembloux", "Hubert", "Lucas", D(2001, 1, 9), 17, "Place Saint-Guibert 5", "5030", "Gembloux", "inscrit"),
    ("gembloux", "Pirard", "Nadine", D(1962, 12, 18), 64, "Rue Chapelle-Dieu 40", "5030", "Gembloux", "suspendu"),
    ("eghezee", "Lemaire", "Didier", D(1969, 6, 6), 91, "Rue de la Gare 19", "5310", "Éghezée", "actif"),
    ("eghezee", "Thiry", "Sandrine", D(1975, 3, 21), 142, "Rue du Village 2", "5310", "Leuze", "actif"),
]


@transaction.atomic
def seed(ctx: DemoContext) -> None:
    for agence, nom, prenom, birth, counter, rue, cp, commune, statut in WORKERS:
        Prestataire.objects.get_or_create(
            agence=ctx.agences[agence],
            niss=build_niss(birth, counter),
            defaults={
                "nom": nom,
                "prenom": prenom,
                "rue": rue,
                "code_postal": cp,
                "commune": commune,
                "statut": statut,
                "telephone": "0470 12 34 56",
                "email": f"{prenom.lower()}.{nom.lower()}@example.be",
            },
        )
    jean = Prestataire.objects.get(agence=ctx.agences["gembloux"], niss=build_niss(D(1971, 2, 14), 33))
    user = demo_user(
        ctx,
        "prestataire",
        "jean.lejeune@example.be",
        "Jean",
        "Lejeune",
        Role.PRESTATAIRE,
        home="Prestataire (Jean Lejeune, Gembloux)",
    )
    if jean.compte_id is None:
        jean.compte = user
        jean.save(update_fields=["compte"])
