import datetime

from django.db import transaction

from ale_platform.demo import DemoContext, demo_user
from ale_platform.identifiers import build_bce, build_niss
from ale_platform.models import Activite, Role, TypeUtilisateur

from .models import (
    Autorisation,
    ChangementStatut,
    CongeScolaire,
    Contact,
    Creneau,
    Demande,
    Inscription,
    ParametresUtilisateurs,
    Site,
    StatutDemande,
    Utilisateur,
)

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


# Fédération Wallonie-Bruxelles school holidays (calendar reformed in 2022), as data.
# School holidays of the Wallonia-Brussels Federation's calendar, as in 2026 (name, first day, last day); the
# demo lays them on the years around today, each period moved to the same weekday (a demo, not the decree).
CONGES_2026 = [
    ("Congé de détente", (2026, 2, 16), (2026, 2, 27)),
    ("Vacances de printemps", (2026, 5, 4), (2026, 5, 15)),
    ("Vacances d'été", (2026, 7, 4), (2026, 8, 23)),
    ("Congé d'automne", (2026, 10, 19), (2026, 10, 30)),
    ("Vacances d'hiver", (2026, 12, 21), (2027, 1, 1)),
]


def conges(today: datetime.date) -> list[tuple[str, datetime.date, datetime.date]]:
    """The demo's school holidays from last year to next year, whatever today is."""
    result = []
    for year in (today.year - 1, today.year, today.year + 1):
        for nom, debut, fin in CONGES_2026:
            first, last = datetime.date(*debut), datetime.date(*fin)
            moved = datetime.date(year, first.month, first.day)
            moved += datetime.timedelta(days=(first.weekday() - moved.weekday() + 3) % 7 - 3)
            shift = moved - first
            label = f"{nom} {year}-{year + 1}" if nom == "Vacances d'hiver" else f"{nom} {year}"
            result.append((label, moved, last + shift))
    return result


SITES = {
    "ecole.grandleez@gembloux.be": [
        ("Implantation de Grand-Leez", "Rue de la Croix 1", "5031", "Grand-Leez"),
        ("Implantation de Sauvenière", "Rue de la Station 12", "5030", "Sauvenière"),
    ],
    "population@gembloux.be": [
        ("Hôtel de ville", "Parc d'Épinal 2", "5030", "Gembloux"),
        ("Salle polyvalente de Lonzée", "Rue de Lonzée 40", "5030", "Lonzée"),
    ],
}
CONTACTS = {
    "ecole.grandleez@gembloux.be": (
        "Martine",
        "Collard",
        "Directrice",
        "081 64 12 30",
        "direction.grandleez@gembloux.be",
    ),
    "population@gembloux.be": ("Olivier", "Hennaut", "Service des travaux", "081 62 55 11", "travaux@gembloux.be"),
    "contact@amispetitleez.be": ("Claire", "Delvaux", "Présidente", "0475 12 34 56", ""),
    "ferme.sarthe@example.be": ("Pierre", "Lambotte", "Exploitant", "0478 98 76 54", ""),
}


def _identifier(i: int, type_: str) -> dict:
    if type_ == TypeUtilisateur.PARTICULIER:
        return {"niss": build_niss(datetime.date(1950 + i * 7, 1 + i % 12, 3 + i), 2 * i + 2), "bce": ""}
    return {"niss": "", "bce": build_bce(2_200_000 + i * 1_311)}


@transaction.atomic
def seed(ctx: DemoContext) -> None:
    for nom, debut, fin in conges(ctx.today):
        CongeScolaire.objects.get_or_create(debut=debut, defaults={"nom": nom, "fin": fin})
    for i, (agence, type_, nom, prenom, rue, cp, commune, email) in enumerate(CLIENTS):
        Utilisateur.objects.get_or_create(
            agence=ctx.agences[agence],
            email=email,
            defaults={
                **_identifier(i, type_),
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

    # Every client of the demo is registered for each year of the demo's history (last year too in its first
    # weeks), and authorised for the activities of its type over those years.
    for utilisateur in Utilisateur.objects.filter(agence__in=ctx.agences.values()).order_by("pk"):
        agence = utilisateur.agence
        for annee in ctx.years:
            Inscription.objects.get_or_create(
                utilisateur=utilisateur,
                annee=annee,
                defaults={
                    "cotisation": agence.cotisation_annuelle,
                    "payee_le": datetime.date(annee, 1, 15),
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
                        "debut": datetime.date(ctx.years[0], 1, 1),
                        "fin": datetime.date(ctx.years[-1], 12, 31),
                    },
                )

    for agence in ctx.agences.values():
        ParametresUtilisateurs.objects.get_or_create(agence=agence, defaults={"delai_annulation_heures": 48})
    gembloux = ctx.agences["gembloux"]
    for email, sites in SITES.items():
        utilisateur = Utilisateur.objects.get(agence=gembloux, email=email)
        for nom, rue, cp, commune in sites:
            Site.objects.get_or_create(
                utilisateur=utilisateur, nom=nom, defaults={"rue": rue, "code_postal": cp, "commune": commune}
            )
    for email, (prenom, nom, fonction, tel, mail) in CONTACTS.items():
        utilisateur = Utilisateur.objects.get(agence=gembloux, email=email)
        Contact.objects.get_or_create(
            utilisateur=utilisateur,
            nom=nom,
            prenom=prenom,
            defaults={"fonction": fonction, "telephone": tel, "email": mail},
        )

    # One authorisation that expires within 30 days (listed for staff), and a client whose registration lapsed.
    warnier = Utilisateur.objects.get(agence=gembloux, email="j.warnier@example.be")
    jardinage = Activite.objects.get(agence=gembloux, nom="Petit jardinage")
    Autorisation.objects.filter(utilisateur=warnier, activite=jardinage).update(
        fin=ctx.today + datetime.timedelta(days=12)
    )
    ferme = Utilisateur.objects.get(agence=gembloux, email="ferme.sarthe@example.be")
    Inscription.objects.filter(utilisateur=ferme, annee=ctx.today.year).update(validee=False, payee_le=None)

    _seed_demandes(ctx, anne, user)


def _seed_demandes(ctx: DemoContext, anne: Utilisateur, anne_user) -> None:
    sophie = ctx.users.get("collaborateur")
    gembloux = ctx.agences["gembloux"]
    ecole = Utilisateur.objects.get(agence=gembloux, email="ecole.grandleez@gembloux.be")
    S = StatutDemande
    demandes = [
        # (client, activity, key, description, statuses, day offset, created by)
        (
            anne,
            "Petit jardinage",
            "0b9f3c1e-5d1a-4c53-9a57-000000000001",
            "Tonte de la pelouse et taille de la haie.",
            [S.NOUVELLE],
            9,
            anne_user,
        ),
        (
            anne,
            "Aide administrative",
            "0b9f3c1e-5d1a-4c53-9a57-000000000002",
            "Aide pour classer les papiers de la mutuelle.",
            [S.NOUVELLE, S.EN_RECHERCHE],
            16,
            anne_user,
        ),
        (
            ecole,
            "Surveillance de midi et accueil extrascolaire",
            "0b9f3c1e-5d1a-4c53-9a57-000000000003",
            "Surveillance du temps de midi, cour de l'implantation de Sauvenière.",
            [S.NOUVELLE, S.EN_RECHERCHE, S.ATTRIBUEE, S.PLANIFIEE],
            4,
            sophie,
        ),
        (
            anne,
            "Petits travaux d'entretien",
            "0b9f3c1e-5d1a-4c53-9a57-000000000004",
            "Repeindre la clôture du jardin.",
            [S.NOUVELLE, S.ANNULEE],
            20,
            anne_user,
        ),
    ]
    motifs = {
        S.EN_RECHERCHE: "L'agence cherche un·e prestataire disponible.",
        S.ATTRIBUEE: "Un·e prestataire a accepté la mission.",
        S.PLANIFIEE: "Les séances sont planifiées.",
        S.ANNULEE: "Annulée par le client : travaux faits en famille.",
    }
    for utilisateur, activite_nom, key, description, statuts, offset, by in demandes:
        activite = Activite.objects.get(agence=gembloux, nom=activite_nom)
        demande, created = Demande.objects.get_or_create(
            cle_idempotence=key,
            defaults={
                "agence": gembloux,
                "utilisateur": utilisateur,
                "activite": activite,
                "description": description,
                "statut": statuts[-1],
                "site": utilisateur.sites.order_by("nom").last(),
                "created_by": by,
            },
        )
        if not created:
            continue
        day = ctx.today + datetime.timedelta(days=offset)
        Creneau.objects.create(
            demande=demande,
            date=day,
            debut=datetime.time(13, 0),
            fin=datetime.time(16, 0),
            annule=statuts[-1] == S.ANNULEE,
            annule_le=None if statuts[-1] != S.ANNULEE else demande.created_at,
        )
        previous = ""
        for statut in statuts:
            ChangementStatut.objects.create(
                demande=demande,
                de=previous,
                vers=statut,
                motif=motifs.get(
                    statut, "Demande envoyée en ligne." if by == anne_user else "Demande encodée par l'agence."
                ),
                par=by if statut in (S.NOUVELLE, S.ANNULEE) else sophie,
            )
            previous = statut
