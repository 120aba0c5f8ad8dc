"""The rules of access to the ALE (ale-rules.md, "Worker rules"), as seeded data: the 1 January 2026 bases included.

Plain data, imported by migration 0004 and by the demo seeding (which restores them after a test flush).
"""

import datetime

D = datetime.date
RULES = [
    # base, libellé, age_min, age_max, durée (mois), mois requis, fenêtre, du, source
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
        "Décret wallon du 11.12.2025, en vigueur le 1.1.2026 (UVCW, 9.1.2026)",
    ),
]


def seed_rules(regle_model) -> None:
    for base, libelle, age_min, age_max, duree, requis, fenetre, du, source in RULES:
        regle_model.objects.get_or_create(
            base=base,
            en_vigueur_du=du,
            defaults={
                "libelle": libelle,
                "age_min": age_min,
                "age_max": age_max,
                "duree_mois": duree,
                "mois_requis": requis,
                "fenetre_mois": fenetre,
                "source": source,
            },
        )
