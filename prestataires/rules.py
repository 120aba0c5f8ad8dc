"""The rules of access to the ALE in Wallonia (ale-rules.md, "Worker rules"), as seeded data, 2026 bases included.

Plain data, imported by migration 0004 and by the demo seeding (which restores them after a test flush).
"""

import datetime

D = datetime.date
RULES = [
    # base, libellé, age_min, age_max, durée (mois), mois requis, fenêtre, du, source, allocations requises
    # (route (b) of 2026 also needs a Forem referral on record: REFERRAL_REQUIRED)
    (
        "chomage_moins_45",
        "Chômeur·se complet·e indemnisé·e depuis au moins 2 ans (moins de 45 ans)",
        None,
        45,
        24,
        None,
        None,
        D(2016, 1, 1),
        "AR 25.11.1991 art. 79 ; missions reprises par le Forem au 1.1.2016",
        False,
    ),
    (
        "chomage_45_plus",
        "Chômeur·se complet·e indemnisé·e depuis au moins 6 mois (45 ans ou plus)",
        45,
        None,
        6,
        None,
        None,
        D(2016, 1, 1),
        "AR 25.11.1991 art. 79 ; missions reprises par le Forem au 1.1.2016",
        False,
    ),
    (
        "chomage_24_36",
        "Allocations pendant au moins 24 des 36 mois précédant l'inscription",
        None,
        None,
        0,
        24,
        36,
        D(2016, 1, 1),
        "AR 25.11.1991 art. 79",
        False,
    ),
    (
        "ris",
        "Bénéficiaire du revenu d'intégration (CPAS) inscrit·e comme demandeur·se d'emploi inoccupé·e",
        None,
        None,
        0,
        None,
        None,
        D(2016, 1, 1),
        "AR 17.12.1999",
        False,
    ),
    (
        "forem_12m_allocations",
        "Demandeur·se d'emploi inoccupé·e inscrit·e au Forem depuis au moins 12 mois et allocataire (au moins un jour)",
        None,
        None,
        12,
        None,
        None,
        D(2016, 1, 1),
        "Variante wallonne (aleoreye.be, alewaterloo.be) ; décision : en vigueur depuis la reprise par le Forem",
        True,
    ),
    (
        "forem_12_mois",
        "Demandeur·se d'emploi inoccupé·e inscrit·e au Forem depuis au moins 12 mois, même sans allocations",
        None,
        None,
        12,
        None,
        None,
        D(2026, 1, 1),
        "Décret wallon du 11.12.2025, en vigueur le 1.1.2026 (UVCW, 9.1.2026)",
        False,
    ),
    (
        "faible_employabilite",
        "Faible ou très faible employabilité, adressé·e à l'ALE par le Forem",
        None,
        None,
        0,
        None,
        None,
        D(2026, 1, 1),
        "Décret wallon du 11.12.2025, en vigueur le 1.1.2026 (UVCW, 9.1.2026) : avec allocations de chômage, "
        "d'insertion ou de sauvegarde",
        True,
    ),
]


# The bases that count only with a Forem referral ("adressage") on record for the person: route (b) of 2026 is for
# people the Forem judges ALE relevant and refers to the ALE (UVCW, 9.1.2026; boutiquedegestion.be).
REFERRAL_REQUIRED = {"faible_employabilite"}


def seed_rules(regle_model) -> None:
    """Writes RULES (idempotent). Fields a historical model state does not have yet are left out."""
    names = {f.name for f in regle_model._meta.get_fields()}
    for base, libelle, age_min, age_max, duree, requis, fenetre, du, source, allocations in RULES:
        key = {"base": base, "en_vigueur_du": du, **({"region": "wallonie"} if "region" in names else {})}
        values = {
            "allocations_requises": allocations,
            "libelle": libelle,
            "age_min": age_min,
            "age_max": age_max,
            "duree_mois": duree,
            "mois_requis": requis,
            "fenetre_mois": fenetre,
            "source": source,
            "adressage_requis": base in REFERRAL_REQUIRED,
        }
        regle_model.objects.update_or_create(**key, defaults={k: v for k, v in values.items() if k in names})


def seeded_rules(region: str) -> list:
    """RULES as unsaved `RegleEligibilite` objects (Wallonia's only)."""
    from .models import RegleEligibilite

    if region != "wallonie":
        return []
    return [
        RegleEligibilite(
            region=region,
            base=base,
            libelle=libelle,
            age_min=age_min,
            age_max=age_max,
            duree_mois=duree,
            mois_requis=requis,
            fenetre_mois=fenetre,
            en_vigueur_du=du,
            source=source,
            allocations_requises=allocations,
            adressage_requis=base in REFERRAL_REQUIRED,
        )
        for base, libelle, age_min, age_max, duree, requis, fenetre, du, source, allocations in RULES
    ]
