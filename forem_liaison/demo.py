import datetime

from django.db import transaction

from ale_platform.demo import DemoContext, demo_user
from ale_platform.identifiers import build_niss
from ale_platform.models import Role

from .models import Adressage, BureauForem, Conseiller


@transaction.atomic
def seed(ctx: DemoContext) -> None:
    namur, _ = BureauForem.objects.get_or_create(
        nom="Forem — Direction régionale de Namur", defaults={"commune": "Namur"}
    )
    user = demo_user(
        ctx,
        "conseiller",
        "nathalie.renard@forem.be",
        "Nathalie",
        "Renard",
        Role.CONSEILLER,
        home="Conseillère Forem (Namur)",
    )
    conseiller, _ = Conseiller.objects.get_or_create(user=user, defaults={"bureau": namur})
    referrals = [
        (
            "Gilson",
            "Kevin",
            build_niss(datetime.date(1994, 5, 12), 41),
            9,
            "Reprendre un rythme de travail ; intéressé par le jardinage.",
        ),
        (
            "Mertens",
            "Aurore",
            build_niss(datetime.date(1979, 9, 3), 86),
            23,
            "Insertion sociale après une longue période d'inactivité ; souhaite travailler près de chez elle.",
        ),
    ]
    for nom, prenom, niss, days_ago, motif in referrals:
        Adressage.objects.get_or_create(
            conseiller=conseiller,
            niss=niss,
            defaults={
                "agence": ctx.agences["gembloux"],
                "nom": nom,
                "prenom": prenom,
                "motif": motif,
                "date_adressage": ctx.today - datetime.timedelta(days=days_ago),
            },
        )
