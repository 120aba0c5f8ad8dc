"""The rules of access to the ALE by region, as seeded data (ale-rules.md): Wallonia ("Worker rules", 2026 bases
included), Brussels and the German-speaking Community ("Brussels and the German-speaking Community").

Plain data, imported by migrations (0004, then the regions' migration) and by the demo seeding (which restores them
after a test flush). A region's list holds only what its sources give: no row is borrowed from another region.
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
# Brussels: the ALEs are under Actiris since 1.1.2018; alepwabru.be lists the federal access conditions (AR
# 25.11.1991 art. 79): 2 years' full unemployment under 45, 6 months from 45, 24 of the last 36 months, the RIS.
# No 2026 Brussels change is sourced.
_BRUSSELS_SOURCE = "alepwabru.be (conditions d'accès, AR 25.11.1991 art. 79) ; ALE sous Actiris depuis le 1.1.2018"
BRUSSELS_RULES = [
    (*rule[:7], D(2018, 1, 1), f"{_BRUSSELS_SOURCE} ; {rule[8]}" if rule[0] == "ris" else _BRUSSELS_SOURCE, rule[9])
    for rule in RULES
    if rule[0] in ("chomage_moins_45", "chomage_45_plus", "chomage_24_36", "ris")
]
# The German-speaking Community: registered as a job seeker for 1 year under 45, 6 months from 45, from the first
# day with social or health barriers (adg.be). The LBAs are part of the ADG since 2018; the rule's own start date is
# not sourced: 1.1.2018 here.
_DG_SOURCE = "ADG (adg.be) : accès aux LBA ; LBA intégrées à l'ADG depuis 2018 (date d'effet de la règle non sourcée)"
GERMAN_SPEAKING_RULES = [
    (
        "inscrit_1_an_moins_45",
        "Demandeur·se d'emploi inscrit·e à l'ADG depuis au moins 1 an (moins de 45 ans)",
        None,
        45,
        12,
        None,
        None,
        D(2018, 1, 1),
        _DG_SOURCE,
        False,
    ),
    (
        "inscrit_6_mois_45_plus",
        "Demandeur·se d'emploi inscrit·e à l'ADG depuis au moins 6 mois (45 ans ou plus)",
        45,
        None,
        6,
        None,
        None,
        D(2018, 1, 1),
        _DG_SOURCE,
        False,
    ),
    (
        "freins_sociaux_sante",
        "Demandeur·se d'emploi inscrit·e à l'ADG avec des freins sociaux ou de santé : dès le premier jour",
        None,
        None,
        0,
        None,
        None,
        D(2018, 1, 1),
        _DG_SOURCE,
        False,
    ),
]

BY_REGION = {"wallonie": RULES, "bruxelles": BRUSSELS_RULES, "germanophone": GERMAN_SPEAKING_RULES}


def seed_rules(regle_model) -> None:
    """Writes every region's rules (idempotent). Fields a historical model state does not have yet are left out;
    without the region field (migration 0004) only Wallonia's."""
    names = {f.name for f in regle_model._meta.get_fields()}
    for region, rules in BY_REGION.items():
        if "region" not in names and region != "wallonie":
            continue
        for base, libelle, age_min, age_max, duree, requis, fenetre, du, source, allocations in rules:
            key = {"base": base, "en_vigueur_du": du, **({"region": region} if "region" in names else {})}
            values = {
                "allocations_requises": allocations,
                "libelle": libelle,
                "age_min": age_min,
                "age_max": age_max,
                "duree_mois": duree,
                "mois_requis": requis,
                "fenetre_mois": fenetre,
                "source": source,
                "adressage_requis": region == "wallonie" and base in REFERRAL_REQUIRED,
            }
            regle_model.objects.update_or_create(**key, defaults={k: v for k, v in values.items() if k in names})


def seeded_rules(region: str) -> list:
    """The region's seeded rules as unsaved `RegleEligibilite` objects (none for a region without sources)."""
    from .models import RegleEligibilite

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
        for base, libelle, age_min, age_max, duree, requis, fenetre, du, source, allocations in BY_REGION.get(
            region, []
        )
    ]
