"""The law of a region on a date: caps, 70 h user types, allowance per voucher, voucher price (a minimum or fixed),
the region's registration fee and prior interview.

The values are rows of `RegleLegale` (seeded for Wallonia, Brussels and the German-speaking Community by
migration from `SEED`); when the table is empty (a test flush) the seed itself answers, so a reader never falls
back on a number written elsewhere. A value the sources do not give is NULL: reading it refuses that use
(`MissingRule`, naming the region and the rule), never another region's value.
"""

import datetime
import math
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Subquery
from django.utils.translation import gettext as _

from ale_platform import numbers
from ale_platform.models import Region
from ale_platform.packed import packed, unpack

CENT = Decimal("0.01")


# The law's values a use needs; None in a region's row means "not sourced": reading it refuses that use
# (`MissingRule`), it never falls back on another region's value.
SOURCED = (
    "plafond_mensuel",
    "plafond_mensuel_majore",
    "types_utilisateurs_majores",
    "plafond_mensuel_agricole",
    "plafond_hors_agricole",
    "plafond_annuel",
    "indemnite_par_cheque",
    "prix_minimum_cheque",
    "types_utilisateurs_agricoles",
)


@dataclass(frozen=True, eq=False)
class Law:
    region: str
    en_vigueur_du: datetime.date
    plafond_mensuel: int | None
    plafond_mensuel_majore: int | None
    types_utilisateurs_majores: tuple[str, ...] | None
    plafond_mensuel_agricole: int | None
    plafond_hors_agricole: int | None
    plafond_annuel: int | None
    indemnite_par_cheque: Decimal | None
    # The voucher price the law sets: a minimum (Wallonia), or the price itself when `prix_cheque_fixe`
    # (Brussels €7.45: alepwabru.be).
    prix_minimum_cheque: Decimal | None
    source: str
    # The 150 h belong to agricultural/horticultural work at farms and horticulturists (couvin.be): elsewhere an
    # activity marked "agricole" counts under the general cap, like a 70 h activity at another user type.
    types_utilisateurs_agricoles: tuple[str, ...] | None = ("agricole",)
    # From this law on, ALE hours count in a referred person's job-search evaluation from this many hours in the
    # month (None: no such rule in force).
    seuil_evaluation_forem: Decimal | None = None
    # The lowest voucher price for agricultural/horticultural work (None: the general minimum applies).
    prix_minimum_cheque_agricole: Decimal | None = None
    # The region sets the voucher's price (not only a minimum): an agency may not sell at another price.
    prix_cheque_fixe: bool = False
    # The yearly registration fee the region sets (None: each agency sets its own, as in Wallonia).
    cotisation_annuelle: Decimal | None = None
    # Every new assignment starts with a prior interview between the worker and an adviser (Brussels,
    # alepwabru.be "ALE cheques"): an assignment cannot be confirmed before it is recorded.
    entretien_prealable: bool = False

    def __getattribute__(self, name):
        value = object.__getattribute__(self, name)
        if value is None and name in SOURCED:
            raise MissingRule(self, [name])
        return value

    def raw(self, name: str):
        """The stored value, None when not sourced (no refusal: for writing the row, docs and tests)."""
        return object.__getattribute__(self, name)

    def missing(self, names=SOURCED) -> list[str]:
        """The values among `names` this region's law does not source."""
        return [name for name in names if self.raw(name) is None]

    def require(self, *names) -> None:
        """Refuses (`MissingRule`, naming every missing value at once) unless all of `names` are sourced."""
        missing = self.missing(names)
        if missing:
            raise MissingRule(self, missing)

    def __eq__(self, other):
        if not isinstance(other, Law):
            return NotImplemented
        return all(self.raw(f) == other.raw(f) for f in _FIELDS)

    def __hash__(self):
        return hash((self.raw("region"), self.raw("en_vigueur_du")))

    def prix_minimum(self, *, agricole: bool = False) -> Decimal:
        """The lowest price of a voucher that pays work of this kind: the agricultural/horticultural one where the
        law has it (theux.be: 6,20 € for horticulture and agriculture), else the general minimum."""
        if agricole and self.prix_minimum_cheque_agricole is not None:
            return max(self.prix_minimum_cheque_agricole, self.prix_minimum_cheque)
        return self.prix_minimum_cheque


# Wallonia since the 70 h cap (1.4.2010). 45 h, 150 h of which 45 h outside agriculture, 630 h a year:
# ale-tournai.be, hensies.be, news.belgium.be; 70 h for gardening and supervision at private users, and schools
# (couvin.be); €4.10 per voucher, every hour started is due (theux.be, wallonie.be); €5.95 minimum since
# 1.1.2009 (news.belgium.be); €6.20 for horticulture and agriculture (theux.be, a local page: [UNCERTAIN] date).
_WALLONIA = Law(
    region=Region.WALLONIE,
    en_vigueur_du=datetime.date(2010, 4, 1),
    plafond_mensuel=45,
    plafond_mensuel_majore=70,
    types_utilisateurs_majores=("particulier", "enseignement"),
    plafond_mensuel_agricole=150,
    plafond_hors_agricole=45,
    plafond_annuel=630,
    indemnite_par_cheque=Decimal("4.10"),
    prix_minimum_cheque=Decimal("5.95"),
    prix_minimum_cheque_agricole=Decimal("6.20"),
    source=(
        "AR 25.11.1991 art. 79 ; 70 h depuis le 1.4.2010 (ale-tournai.be, couvin.be) ; "
        "150 h en agriculture chez les exploitants (news.belgium.be, couvin.be) ; 4,10 € par chèque, chaque heure "
        "entamée est due (theux.be)"
    ),
)
# The source of the agricultural price, added to Wallonia's rows with its field (migration prestations 0017).
AGRICULTURAL_PRICE_SOURCE = " ; 6,20 € en agriculture et horticulture (theux.be)"
# Brussels since the €7.45 voucher (1.7.2023). Sourced (alepwabru.be, as cited by ale-rules.md): 45 h / 70 h a
# month "depending on the type of activity"; the voucher €7.45, fixed; the yearly registration €7.45 (free for
# VIPO); a prior interview before every new assignment. Not sourced, hence NULL and refused where a use needs
# them: the user types of the 70 h, the agricultural caps, the yearly cap, the worker's pay per voucher.
_BRUSSELS = Law(
    region=Region.BRUXELLES,
    en_vigueur_du=datetime.date(2023, 7, 1),
    plafond_mensuel=45,
    plafond_mensuel_majore=70,
    types_utilisateurs_majores=None,
    plafond_mensuel_agricole=None,
    plafond_hors_agricole=None,
    plafond_annuel=None,
    indemnite_par_cheque=None,
    prix_minimum_cheque=Decimal("7.45"),
    prix_cheque_fixe=True,
    cotisation_annuelle=Decimal("7.45"),
    entretien_prealable=True,
    types_utilisateurs_agricoles=None,
    source=(
        "Actiris depuis le 1.1.2018 ; chèque 7,45 € (prix fixe) depuis le 1.7.2023, inscription annuelle 7,45 €, "
        "45 ou 70 h par mois selon l'activité, entretien préalable à toute nouvelle mission (alepwabru.be) ; "
        "non sourcés : types d'utilisateurs du 70 h, plafonds agricoles et annuel, indemnité par chèque"
    ),
)
# The German-speaking Community (ADG, its four LBAs): the worker gets €6.00 an hour (one voucher is one hour), the
# client pays €7.00 (plateformedesalewallonnes.be, 28.2.2024), one price for the Community's portal. No cap is
# sourced: hours are refused until the superuser records them.
_GERMAN_SPEAKING = Law(
    region=Region.GERMANOPHONE,
    en_vigueur_du=datetime.date(2024, 2, 28),
    plafond_mensuel=None,
    plafond_mensuel_majore=None,
    types_utilisateurs_majores=None,
    plafond_mensuel_agricole=None,
    plafond_hors_agricole=None,
    plafond_annuel=None,
    indemnite_par_cheque=Decimal("6.00"),
    prix_minimum_cheque=Decimal("7.00"),
    prix_cheque_fixe=True,
    types_utilisateurs_agricoles=None,
    source=(
        "ADG (adg.be) ; 6,00 € par heure au prestataire, 7,00 € l'heure à l'utilisateur "
        "(plateformedesalewallonnes.be, 28.2.2024) ; non sourcés : plafonds d'heures"
    ),
)
SEED = [
    _WALLONIA,
    _BRUSSELS,
    _GERMAN_SPEAKING,
    # 2026: ALE hours count in a referred person's job-search evaluation from 45 h in the month
    # (boutiquedegestion.be, 2026; décret wallon du 11.12.2025). The other values are unchanged (decision 4).
    replace(
        _WALLONIA,
        en_vigueur_du=datetime.date(2026, 1, 1),
        seuil_evaluation_forem=Decimal("45"),
        source=_WALLONIA.source + " ; seuil de 45 h pour l'évaluation Forem dès 2026 (boutiquedegestion.be)",
    ),
]
SEED = [
    replace(law, source=law.source + AGRICULTURAL_PRICE_SOURCE) if law.region == Region.WALLONIE else law
    for law in SEED
]

_FIELDS = [f for f in Law.__dataclass_fields__]


_TUPLES = ("types_utilisateurs_majores", "types_utilisateurs_agricoles")


def _from_row(row) -> Law:
    values = {name: getattr(row, name) for name in _FIELDS if hasattr(row, name)}
    for name in _TUPLES:
        if name in values and values[name] is not None:
            values[name] = tuple(values[name])
    return Law(**values)


def seed_law(model) -> None:
    """Writes `SEED` into `RegleLegale` (migrations and demo seeding); fields a historical model state does not
    have yet are left out."""
    names = {f.name for f in model._meta.get_fields()}
    for law in SEED:
        if law.en_vigueur_du.year >= 2026 and "seuil_evaluation_forem" not in names:
            continue  # the 2026 row comes with its field (migration 0013)
        if law.region != Region.WALLONIE and "prix_cheque_fixe" not in names:
            continue  # Brussels and the German-speaking Community come with their nullable fields
        values = {name: law.raw(name) for name in _FIELDS if name in names}
        if "prix_minimum_cheque_agricole" not in names:  # the price and its source come with migration 0017
            values["source"] = values["source"].removesuffix(AGRICULTURAL_PRICE_SOURCE)
        for name in _TUPLES:
            if values.get(name) is not None:
                values[name] = list(values[name])
        key = {"region": values.pop("region"), "en_vigueur_du": values.pop("en_vigueur_du")}
        model.objects.get_or_create(**key, defaults=values)


def _pick(laws, region: str, on: datetime.date) -> Law | None:
    mine = sorted((x for x in laws if x.region == region), key=lambda x: x.en_vigueur_du)
    if not mine:
        return None
    in_force = [x for x in mine if x.en_vigueur_du <= on]
    # Before the first row the earliest known law applies: documents of old months still get numbers.
    return in_force[-1] if in_force else mine[0]


def _rows(region):
    """Every law row of `region` (a region code, or an expression such as a subquery giving one)."""
    from prestations.models import RegleLegale

    return RegleLegale.objects.filter(region=region)


def _region_label(region: str) -> str:
    return str(Region(region).label) if region in Region.values else region


class NoLaw(ValidationError):
    """No law row for the region: the platform refuses rather than borrow another region's law (ale-rules.md,
    "Brussels and the German-speaking Community": where a rule is not sourced, the platform refuses)."""

    def __init__(self, region: str, on: datetime.date, message: str | None = None):
        if message is None:
            message = _(
                "Aucune règle légale enregistrée pour cette région à cette date (%(region)s, %(date)s) : plafonds, "
                "indemnité et prix du chèque inconnus. Le superutilisateur doit d'abord encoder la loi de la région."
            ) % {"region": _region_label(region), "date": on.strftime("%d/%m/%Y")}
        super().__init__({NON_FIELD_ERRORS: [message]})
        self.region, self.on = region, on


def rule_labels() -> dict[str, str]:
    """The French name of each value of the law, as a refusal names it."""
    return {
        "plafond_mensuel": _("plafond mensuel général"),
        "plafond_mensuel_majore": _("plafond mensuel des activités à 70 h"),
        "types_utilisateurs_majores": _("types d'utilisateurs ouvrant le plafond majoré"),
        "plafond_mensuel_agricole": _("plafond mensuel en agriculture/horticulture"),
        "plafond_hors_agricole": _("plafond hors agriculture"),
        "plafond_annuel": _("plafond annuel"),
        "indemnite_par_cheque": _("indemnité du prestataire par chèque"),
        "prix_minimum_cheque": _("prix du chèque"),
        "types_utilisateurs_agricoles": _("types d'utilisateurs ouvrant le plafond agricole"),
    }


class MissingRule(NoLaw):
    """The region has a law row, but the value a use needs is not sourced (NULL): that use is refused, naming
    the region and the missing rule; never another region's value (ale-rules.md)."""

    def __init__(self, law: "Law", fields: list[str]):
        labels = rule_labels()
        region, on = law.raw("region"), law.raw("en_vigueur_du")
        message = _(
            "Règle non sourcée pour la région %(region)s (loi du %(date)s) : %(rules)s. La plateforme refuse plutôt "
            "que d'appliquer la règle d'une autre région ; le superutilisateur l'encodera quand sa source sera connue."
        ) % {
            "region": _region_label(region),
            "date": on.strftime("%d/%m/%Y"),
            "rules": ", ".join(str(labels.get(f, f)) for f in fields),
        }
        super().__init__(region, on, message)
        self.fields = tuple(fields)


def law_from(rows, region: str, on: datetime.date) -> Law:
    """The law of `region` on `on` among `rows` (the region's `RegleLegale` rows); the seed of that region when
    the table has none (a test flush). Never another region's: `NoLaw` when the region has no law."""
    law = _pick([_from_row(r) for r in rows], region, on) or _pick(SEED, region, on)
    if law is None:
        raise NoLaw(region, on)
    return law


def seuil_evaluation_forem(region: str, on: datetime.date) -> Decimal | None:
    """Hours in the month from which ALE work counts in a referred person's job-search evaluation (None before
    the rule, or in a region without it)."""
    return law_in_force(region, on).seuil_evaluation_forem


def law_in_force(region: str, on: datetime.date) -> Law:
    """The law of `region` on `on` (one small query; the seed answers if the table has no row for the region;
    `NoLaw` for a region without law)."""
    return law_from(_rows(region), region, on)


def packed_law(region) -> Subquery:
    """The region's law rows as one column of another query (`ale_platform.packed`), for `law_unpacked`: a page
    that reads the law with its main query (matching) makes no query of its own for it. `region`: an expression
    (e.g. a subquery on the agency) or a region code."""
    return packed(_rows(region), key="region")


def prior_interview_required(region, on: datetime.date):
    """Whether the region's law in force on `on` requires a prior interview before each new assignment, as an
    expression another query can carry (`region`: an expression such as OuterRef("demande__agence__region")): a
    page listing assignments reads it with them, no query of its own."""
    from django.db.models import BooleanField, Value
    from django.db.models.functions import Coalesce

    in_force = _rows(region).filter(en_vigueur_du__lte=on).order_by("-en_vigueur_du").values("entretien_prealable")
    return Coalesce(Subquery(in_force[:1]), Value(False), output_field=BooleanField())


def law_unpacked(text: str | None, region: str, on: datetime.date) -> Law:
    """`law_in_force` from the rows `packed_law` brought (same pick, same seed fallback)."""
    from prestations.models import RegleLegale

    return law_from(unpack(RegleLegale, text), region, on)


def vouchers_due(heures) -> int:
    """One voucher per hour worked or started, per prestation ("chaque heure entamée est due", theux.be)."""
    return math.ceil(Decimal(heures)) if heures else 0


def pay_rate(agence, on: datetime.date) -> Decimal:
    """The worker's allowance per voucher in the agency's region on `on` (`MissingRule` where not sourced:
    Brussels)."""
    return law_in_force(agence.region, on).indemnite_par_cheque


def voucher_price(agence, *, agricole: bool = False) -> Decimal:
    """The agency's price of one voucher (what the client pays per voucher) for work of this kind: its own price
    for agricultural/horticultural work (`Agence.prix_cheque_agricole`, never below the law's minimum for it,
    theux.be: 6,20 €), else its general price."""
    return agence.prix_cheque_agricole if agricole else agence.prix_cheque


def minimum_voucher_price(region: str, on: datetime.date, *, agricole: bool = False) -> Decimal:
    """The law's lowest voucher price in `region` on `on` for work of this kind (`Law.prix_minimum`)."""
    return law_in_force(region, on).prix_minimum(agricole=agricole)


def agency_price_problems(agence, on: datetime.date | None = None) -> dict[str, str]:
    """{field: why} the agency's voucher prices are below the law in force on `on` (today) in its region: the
    general one and the one for agricultural/horticultural work (theux.be: 6,20 €)."""
    from django.utils import timezone

    from ale_platform.numbers import euros

    if not agence.region:
        return {}
    law = law_in_force(agence.region, on or timezone.localdate())
    problems = {}
    for name, agricole in (("prix_cheque", False), ("prix_cheque_agricole", True)):
        price, minimum = getattr(agence, name, None), law.prix_minimum(agricole=agricole)
        if price is not None and price < minimum:
            message = (
                _("Le prix minimum légal du chèque en agriculture et horticulture est de %(p)s €.")
                if agricole
                else _("Le prix minimum légal du chèque est de %(p)s €.")
            )
            problems[name] = message % {"p": euros(minimum)}
    return problems


def voucher_price_problem(law: Law, valeur: Decimal) -> str | None:
    """Why `valeur` cannot be a voucher's price under `law` (None if it can): below the minimum, or another price
    than the one the region fixes (Brussels €7.45, alepwabru.be)."""
    price = law.prix_minimum_cheque
    if law.prix_cheque_fixe and valeur != price:
        return _("La région %(region)s fixe le prix du chèque à %(p)s € : %(v)s € n'est pas possible.") % {
            "region": _region_label(law.region),
            "p": numbers.euros(price),
            "v": numbers.euros(valeur),
        }
    if valeur < price:
        return _("Valeur de %(v)s € inférieure au minimum légal de %(m)s € (%(d)s € de moins).") % {
            "v": numbers.euros(valeur),
            "m": numbers.euros(price),
            "d": numbers.euros(price - valeur),
        }
    return None


def amount_due(vouchers: int, rate: Decimal) -> Decimal:
    return (Decimal(vouchers) * rate).quantize(CENT, rounding=ROUND_HALF_UP)
