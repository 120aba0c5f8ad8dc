"""A worker's status as an office writes it ("RIS", "CPAS", "DEI 24 mois", "chômeur complet") read as an
eligibility basis (`BaseEligibilite`), when it says enough."""

from django.utils.translation import gettext_lazy as _l

from prestataires.models import BaseEligibilite

from .champs import choices_of, closest

BASES = choices_of(
    BaseEligibilite,
    chomage2ans="chomage_moins_45",
    chomagemoins45="chomage_moins_45",
    chomage6mois="chomage_45_plus",
    chomage45plus="chomage_45_plus",
    chomage2436="chomage_24_36",
    **{"24sur36": "chomage_24_36", "2436": "chomage_24_36"},
    leefloon="ris",
    revenudintegration="ris",
    forem12moisallocations="forem_12m_allocations",
    forem12mois="forem_12_mois",
    routea="forem_12_mois",
    faibleemployabilite="faible_employabilite",
    routeb="faible_employabilite",
    adressage="faible_employabilite",
)

# Only what a status says for certain: "chômeur complet" alone names no basis (since when? allowances?).
STATUTS = {
    **BASES,
    **choices_of(
        BaseEligibilite,
        cpas="ris",
        ocmw="ris",
        riscpas="ris",
        beneficiaireris="ris",
        dei24mois="chomage_moins_45",
        dei2ans="chomage_moins_45",
        chomeurcomplet2ans="chomage_moins_45",
        chomeurcompletindemnise2ans="chomage_moins_45",
        dei6mois45ans="chomage_45_plus",
        chomeurcomplet45ans="chomage_45_plus",
    ),
}
STATUT_HELP = _l("RIS, CPAS, DEI 24 mois… ou une base d'éligibilité ; avec la date « Statut depuis le »")


def base_of(text: str) -> str | None:
    return closest(text, STATUTS)
