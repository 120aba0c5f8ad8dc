import datetime

from django.db import transaction
from django.utils import timezone

from ale_platform.demo import DemoContext, demo_user
from ale_platform.identifiers import build_niss
from ale_platform.models import Role
from prestataires.models import Prestataire

from .faits import compute_faits
from .models import (
    Adressage,
    BureauForem,
    Conseiller,
    EquipeForem,
    ParametresForem,
    ReponseRetour,
    RetourAdressage,
    TransitionAdressage,
)

D = datetime.date


# Reasons typed at some state changes: the adviser reads them, and so does the person in their space.
DEMO_REASONS = {
    "cloture": "Emploi trouvé",
    "absent": "Absent au rendez-vous sans prévenir ; joint par téléphone le lendemain.",
    "entretien": "Entretien d'accueil fait ; souhaite commencer par du jardinage.",
}


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


@transaction.atomic
def seed(ctx: DemoContext) -> None:
    namur, _ = BureauForem.objects.get_or_create(
        nom="Forem — Direction régionale de Namur", defaults={"commune": "Namur"}
    )
    wavre, _ = BureauForem.objects.get_or_create(
        nom="Forem — Direction régionale du Brabant wallon", defaults={"commune": "Wavre"}
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
    user_b = demo_user(
        ctx,
        "conseiller_b",
        "thomas.collignon@forem.be",
        "Thomas",
        "Collignon",
        Role.CONSEILLER,
        home="Conseiller Forem (Brabant wallon)",
    )
    conseiller_b, _ = Conseiller.objects.get_or_create(user=user_b, defaults={"bureau": wavre})
    equipe, _ = EquipeForem.objects.get_or_create(bureau=namur, nom="Équipe insertion — Namur")
    equipe.membres.add(conseiller)

    gembloux, eghezee = ctx.agences["gembloux"], ctx.agences["eghezee"]
    ParametresForem.objects.get_or_create(
        agence=gembloux, defaults={"delai_premier_contact_jours": 10, "periodicite_retour_jours": 30}
    )
    ParametresForem.objects.get_or_create(
        agence=eghezee, defaults={"delai_premier_contact_jours": 15, "periodicite_retour_jours": 45}
    )
    sophie = ctx.users["collaborateur"]
    marc = ctx.users["collaborateur_b"]
    today = ctx.today

    # (adviser, agency, collaborator, name, first name, NISS, days ago, reason, categories, path, outcome, feedback)
    referrals = [
        (
            conseiller,
            gembloux,
            sophie,
            "Gilson",
            "Kevin",
            build_niss(D(1994, 5, 12), 41),
            9,
            "Reprendre un rythme de travail ; intéressé par le jardinage.",
            ["rythme"],
            [],
            "",
            [],
        ),
        (
            conseiller,
            gembloux,
            sophie,
            "Mertens",
            "Aurore",
            build_niss(D(1979, 9, 3), 86),
            23,
            "Insertion sociale après une longue période d'inactivité ; souhaite travailler près de chez elle.",
            ["insertion_sociale", "confiance"],
            [],
            "",
            [],
        ),
        (
            conseiller,
            gembloux,
            sophie,
            "Lambotte",
            "Cédric",
            build_niss(D(1988, 11, 21), 57),
            75,
            "Heures ALE dans le plan d'action ; expérience en entretien d'espaces verts.",
            ["plan_action", "rythme"],
            ["convoque", "entretien", "inscrit", "actif"],
            "",
            [
                "Cédric est venu à l'entretien et s'est inscrit ; il n'a pas encore presté : il attend une "
                "demande de jardinage près de chez lui et a proposé ses matinées. Il aimerait se former à la "
                "taille des haies."
            ],
        ),
        (
            conseiller,
            gembloux,
            sophie,
            "Hanquet",
            "Laetitia",
            build_niss(D(1999, 2, 8), 112),
            52,
            "Première expérience de travail ; pas de permis de conduire.",
            ["premiere_experience"],
            ["convoque", "absent", "convoque", "entretien"],
            "",
            [],
        ),
        (
            conseiller,
            eghezee,
            marc,
            "Wauters",
            "Julien",
            build_niss(D(1985, 7, 30), 23),
            160,
            "Reprendre confiance ; ancien ouvrier du bâtiment.",
            ["confiance", "competences"],
            ["convoque", "entretien", "inscrit", "actif", "cloture"],
            "emploi",
            ["Julien a signé un contrat chez un entrepreneur local ; son accompagnement à l'ALE s'arrête."],
        ),
        (
            conseiller_b,
            eghezee,
            marc,
            "Piron",
            "Sarah",
            build_niss(D(1991, 4, 17), 68),
            6,
            "Réinsertion sociale ; souhaite de petits travaux de repassage.",
            ["insertion_sociale"],
            ["convoque"],
            "",
            [],
        ),
    ]
    for adv, agence, collab, nom, prenom, niss, days_ago, motif, cats, path, issue, feedback in referrals:
        start = today - datetime.timedelta(days=days_ago)
        adressage, created = Adressage.objects.get_or_create(
            conseiller=adv,
            niss=niss,
            defaults={
                "bureau": adv.bureau,
                "agence": agence,
                "nom": nom,
                "prenom": prenom,
                "motif": motif,
                "categories": cats,
                "numero_dossier_forem": f"FO-{niss[:6]}-{niss[-3:]}",
                "telephone": "0470 12 34 56",
                "consentement_partage": True,
                "consentement_le": start,
                "date_adressage": start,
                "equipe": equipe if adv == conseiller and nom == "Lambotte" else None,
            },
        )
        if not created:
            continue
        TransitionAdressage.objects.create(adressage=adressage, de="", vers="recu", par=adv.user, le=_at(start))
        previous, step = "recu", max(days_ago // (len(path) + 1), 1)
        for i, vers in enumerate(path, start=1):
            day = start + datetime.timedelta(days=i * step)
            if vers == "inscrit":
                adressage.prestataire, _ = Prestataire.objects.get_or_create(
                    agence=agence,
                    niss=niss,
                    defaults={
                        "nom": nom,
                        "prenom": prenom,
                        "rue": "Rue de la Station 12",
                        "code_postal": "5030",
                        "commune": agence.commune,
                    },
                )
            if vers == "convoque" and adressage.premier_contact_le is None:
                adressage.premier_contact_le = day
            TransitionAdressage.objects.create(
                adressage=adressage,
                de=previous,
                vers=vers,
                par=collab,
                le=_at(day, 9 + i),
                motif=DEMO_REASONS.get(vers, ""),
            )
            previous = vers
        adressage.etat, adressage.issue = previous, issue
        for texte in feedback:
            debut, fin = start, min(today, start + datetime.timedelta(days=days_ago - 5))
            retour = RetourAdressage.objects.create(
                adressage=adressage,
                auteur=collab,
                periode_debut=debut,
                periode_fin=fin,
                texte=texte,
                faits=compute_faits(adressage, debut, fin),
                statut=RetourAdressage.Statut.PUBLIE,
                publie_le=_at(fin, 16),
            )
            adressage.dernier_retour_le = fin
            ReponseRetour.objects.create(retour=retour, auteur=adv.user, texte="Merci pour ce retour détaillé.")
        adressage.save()
    # The referred worker reads in their own space what the ALE shared about them.
    cedric = Prestataire.objects.filter(agence=gembloux, niss=build_niss(D(1988, 11, 21), 57)).first()
    if cedric is not None:
        account = demo_user(
            ctx,
            "prestataire_adresse",
            "cedric.lambotte@example.be",
            "Cédric",
            "Lambotte",
            Role.PRESTATAIRE,
            home="Prestataire adressé par le Forem (Cédric Lambotte, Gembloux)",
        )
        if cedric.compte_id is None:
            cedric.compte = account
            cedric.save(update_fields=["compte"])
