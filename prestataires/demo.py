import datetime

from django.db import transaction

from ale_platform.demo import DemoContext, demo_user
from ale_platform.identifiers import build_belgian_iban, build_niss, niss_sex
from ale_platform.models import Activite, Role

from .models import (
    Absence,
    ChangementStatut,
    ContratALE,
    Disponibilite,
    Prestataire,
    RegleEligibilite,
    SituationEligibilite,
)
from .paiement import record_organisme
from .rules import seed_rules

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
    seed_rules(RegleEligibilite)  # normally there from migration 0004; a test flush removes them
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
    for index, (agence, _nom, _prenom, birth, counter, *_rest) in enumerate(WORKERS):
        _enrich(ctx, Prestataire.objects.get(agence=ctx.agences[agence], niss=build_niss(birth, counter)), index, birth)
    _second_file(ctx)
    _situations_that_matter(ctx)
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


DIDIER = (D(1969, 6, 6), 91)  # registered at Éghezée, and at Gembloux too: his hours count together
MARTINE = (D(1966, 7, 2), 48)
LUCAS = (D(2001, 1, 9), 17)
SANDRINE = (D(1975, 3, 21), 142)


def _second_file(ctx: DemoContext) -> None:
    """Didier Lemaire's second registration, at Gembloux: same person (NISS), one set of caps."""
    first = Prestataire.objects.get(agence=ctx.agences["eghezee"], niss=build_niss(*DIDIER))
    second, created = Prestataire.objects.get_or_create(
        agence=ctx.agences["gembloux"],
        niss=first.niss,
        defaults={
            f: getattr(first, f)
            for f in (
                "nom",
                "prenom",
                "rue",
                "code_postal",
                "commune",
                "telephone",
                "email",
                "date_naissance",
                "sexe",
                "mobilite",
                "organisme_paiement",
                "iban",
                "langues_parlees",
            )
        }
        | {"statut": Prestataire.Statut.ACTIF, "date_inscription": D(2025, 3, 1)},
    )
    if created:
        second.activites.set(Activite.objects.filter(agence=second.agence, nom__startswith="Petits travaux"))
        ContratALE.objects.create(prestataire=second, date_debut=D(2025, 3, 15), date_signature=D(2025, 3, 15))
        ChangementStatut.objects.create(
            prestataire=second, de="inscrit", vers="actif", date=D(2025, 3, 15), motif="Contrat signé."
        )
        for situation in first.situations.all():
            situation.pk = None
            situation.prestataire = second
            situation.save()


def _situations_that_matter(ctx: DemoContext) -> None:
    """Martine's basis ends this month (federal time limit on benefits); Lucas is a 2026 route (a) worker
    without allowances and without a known payment body; Sandrine's route (b) rests on her allowances and on
    the Forem's referral on record (forem_liaison.demo)."""
    month_end = (ctx.today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    SituationEligibilite.objects.filter(prestataire__niss=build_niss(*MARTINE), jusqu_au__isnull=True).update(
        jusqu_au=month_end
    )
    Prestataire.objects.filter(niss=build_niss(*LUCAS)).update(organisme_paiement="a_confirmer", cpas="")
    SituationEligibilite.objects.filter(prestataire__niss=build_niss(*SANDRINE)).update(avec_allocations=True)
    for p in Prestataire.objects.filter(agence__in=ctx.agences.values()).exclude(organisme_paiement=""):
        record_organisme(prestataire=p, depuis=p.date_inscription)


# Per worker (same order as WORKERS): eligibility basis and since when, activities (first words), half-days,
# mobility, payment body, language.
PROFILES = [
    (
        "chomage_45_plus",
        D(2024, 9, 1),
        ["Petit jardinage", "Petits travaux"],
        ["0-matin", "0-apres_midi", "2-matin", "4-matin"],
        "voiture",
        "fgtb",
        "fr",
    ),
    (
        "chomage_45_plus",
        D(2023, 3, 1),
        ["Garde d'enfants", "Surveillance de midi"],
        ["0-apres_midi", "1-apres_midi", "3-apres_midi", "4-apres_midi"],
        "pied",
        "csc",
        "fr",
    ),
    (
        "chomage_moins_45",
        D(2023, 5, 1),
        ["Aide lors", "Petits travaux"],
        ["1-matin", "3-matin", "5-matin"],
        "velo",
        "capac",
        "fr",
    ),
    (
        "ris",
        D(2025, 2, 1),
        ["Aide administrative", "Garde d'enfants"],
        ["0-matin", "1-matin", "2-matin"],
        "transports",
        "cpas",
        "fr",
    ),
    (
        "forem_12_mois",
        D(2025, 1, 15),
        ["Travaux saisonniers"],
        ["0-matin", "1-matin", "2-matin", "3-matin", "4-matin"],
        "velo",
        "a_confirmer",
        "nl",
    ),
    ("chomage_24_36", D(2022, 1, 1), ["Accompagnement de personnes"], ["2-apres_midi"], "voiture", "cgslb", "fr"),
    (
        "chomage_45_plus",
        D(2024, 1, 1),
        ["Petit jardinage", "Travaux saisonniers"],
        ["0-matin", "3-matin"],
        "voiture",
        "fgtb",
        "fr",
    ),
    (
        "faible_employabilite",
        D(2026, 2, 10),
        ["Surveillance de midi", "Accompagnement sur le chemin"],
        ["0-matin", "1-matin", "3-matin", "4-matin"],
        "pied",
        "csc",
        "de",
    ),
]


def _enrich(ctx: DemoContext, p: Prestataire, index: int, birth: datetime.date) -> None:
    base, since, activites, slots, mobilite, organisme, langue = PROFILES[index]
    if not p.date_naissance:
        p.date_naissance = birth
        p.sexe = niss_sex(p.niss) or ""
        p.langue = langue
        p.mobilite = mobilite
        p.distance_max_km = 10 if mobilite in ("voiture", "velo") else None
        p.communes_mobilite = [p.commune] if mobilite == "pied" else []
        p.organisme_paiement = organisme
        p.cpas = "CPAS de Gembloux" if organisme == "cpas" else ""
        p.iban = build_belgian_iban(63, 1_000_000 + index * 7919)
        p.date_inscription = since + datetime.timedelta(days=30)
        p.langues_parlees = {"fr": "français", "nl": "néerlandais, français", "de": "allemand, français"}[langue]
        p.formations = "Premiers secours (Croix-Rouge, 2025)" if index % 2 == 0 else ""
        p.save()
        chosen = [a for a in Activite.objects.filter(agence=p.agence) if any(a.nom.startswith(w) for w in activites)]
        p.activites.set(chosen)
    SituationEligibilite.objects.get_or_create(
        prestataire=p,
        base=base,
        defaults={
            "depuis": since,
            "mois_indemnises": 26 if base == "chomage_24_36" else None,
            "preuve": "Attestation du CPAS" if base == "ris" else "Attestation de l'organisme de paiement",
            "date_preuve": since + datetime.timedelta(days=20),
        },
    )
    for slot in slots:
        jour, demi = slot.split("-", 1)
        Disponibilite.objects.get_or_create(prestataire=p, jour=int(jour), demi_journee=demi)
    if p.statut in (Prestataire.Statut.ACTIF, Prestataire.Statut.SUSPENDU) and not p.contrats.exists():
        signed = p.date_inscription + datetime.timedelta(days=14)
        ContratALE.objects.create(prestataire=p, date_debut=signed, date_signature=signed)
        ChangementStatut.objects.create(
            prestataire=p, de="inscrit", vers="actif", date=signed, motif="Contrat de travail ALE signé."
        )
        if p.statut == Prestataire.Statut.SUSPENDU:
            ChangementStatut.objects.create(
                prestataire=p,
                de="actif",
                vers="suspendu",
                date=ctx.today - datetime.timedelta(days=20),
                motif="Incapacité de travail (certificat médical).",
            )
            p.remarques_sensibles = "Certificat médical jusqu'à fin du mois ; éviter les travaux lourds au retour."
            p.save(update_fields=["remarques_sensibles"])
    if index in (0, 3):
        debut = ctx.today + datetime.timedelta(days=10 + index)
        if not Absence.objects.filter(prestataire=p).exists():
            Absence.objects.create(prestataire=p, debut=debut, fin=debut + datetime.timedelta(days=4), motif="Congé")
