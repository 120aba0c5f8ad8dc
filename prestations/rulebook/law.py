"""The law of a region on a date: caps, 70 h user types, allowance per voucher, minimum voucher price.

The values are rows of `RegleLegale` (seeded for Wallonia by migration from `SEED`); when the table is empty
(a test flush) the seed itself answers, so a reader never falls back on a number written elsewhere.
"""

import datetime
import math
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Subquery
from django.utils.translation import gettext as _

from ale_platform.models import Region
from ale_platform.packed import packed, unpack

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Law:
    region: str
    en_vigueur_du: datetime.date
    plafond_mensuel: int
    plafond_mensuel_majore: int
    types_utilisateurs_majores: tuple[str, ...]
    plafond_mensuel_agricole: int
    plafond_hors_agricole: int
    plafond_annuel: int
    indemnite_par_cheque: Decimal
    prix_minimum_cheque: Decimal
    source: str
    # The 150 h belong to agricultural/horticultural work at farms and horticulturists (couvin.be): elsewhere an
    # activity marked "agricole" counts under the general cap, like a 70 h activity at another user type.
    types_utilisateurs_agricoles: tuple[str, ...] = ("agricole",)
    # From this law on, ALE hours count in a referred person's job-search evaluation from this many hours in the
    # month (None: no such rule in force).
    seuil_evaluation_forem: Decimal | None = None
    # The lowest voucher price for agricultural/horticultural work (None: the general minimum applies).
    prix_minimum_cheque_agricole: Decimal | None = None

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
SEED = [
    _WALLONIA,
    # 2026: ALE hours count in a referred person's job-search evaluation from 45 h in the month
    # (boutiquedegestion.be, 2026; décret wallon du 11.12.2025). The other values are unchanged (decision 4).
    replace(
        _WALLONIA,
        en_vigueur_du=datetime.date(2026, 1, 1),
        seuil_evaluation_forem=Decimal("45"),
        source=_WALLONIA.source + " ; seuil de 45 h pour l'évaluation Forem dès 2026 (boutiquedegestion.be)",
    ),
]
SEED = [replace(law, source=law.source + AGRICULTURAL_PRICE_SOURCE) for law in SEED]

_FIELDS = [f for f in Law.__dataclass_fields__]


_TUPLES = ("types_utilisateurs_majores", "types_utilisateurs_agricoles")


def _from_row(row) -> Law:
    values = {name: getattr(row, name) for name in _FIELDS if hasattr(row, name)}
    for name in _TUPLES:
        if name in values:
            values[name] = tuple(values[name] or ())
    return Law(**values)


def seed_law(model) -> None:
    """Writes `SEED` into `RegleLegale` (migrations and demo seeding); fields a historical model state does not
    have yet are left out."""
    names = {f.name for f in model._meta.get_fields()}
    for law in SEED:
        if law.en_vigueur_du.year >= 2026 and "seuil_evaluation_forem" not in names:
            continue  # the 2026 row comes with its field (migration 0013)
        values = {name: getattr(law, name) for name in _FIELDS if name in names}
        if "prix_minimum_cheque_agricole" not in names:  # the price and its source come with migration 0017
            values["source"] = values["source"].removesuffix(AGRICULTURAL_PRICE_SOURCE)
        for name in _TUPLES:
            if name in values:
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


class NoLaw(ValidationError):
    """No law row for the region: the platform refuses rather than borrow another region's law (ale-rules.md,
    "Brussels and the German-speaking Community": where a rule is not sourced, the platform refuses)."""

    def __init__(self, region: str, on: datetime.date):
        label = Region(region).label if region in Region.values else region
        message = _(
            "Aucune règle légale enregistrée pour cette région à cette date (%(region)s, %(date)s) : plafonds, "
            "indemnité et prix du chèque inconnus. Le superutilisateur doit d'abord encoder la loi de la région."
        ) % {"region": label, "date": on.strftime("%d/%m/%Y")}
        super().__init__({NON_FIELD_ERRORS: [message]})
        self.region, self.on = region, on


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


def law_unpacked(text: str | None, region: str, on: datetime.date) -> Law:
    """`law_in_force` from the rows `packed_law` brought (same pick, same seed fallback)."""
    from prestations.models import RegleLegale

    return law_from(unpack(RegleLegale, text), region, on)


def vouchers_due(heures) -> int:
    """One voucher per hour worked or started, per prestation ("chaque heure entamée est due", theux.be)."""
    return math.ceil(Decimal(heures)) if heures else 0


def pay_rate(agence, on: datetime.date) -> Decimal:
    """The worker's allowance per voucher in the agency's region on `on`."""
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


def amount_due(vouchers: int, rate: Decimal) -> Decimal:
    return (Decimal(vouchers) * rate).quantize(CENT, rounding=ROUND_HALF_UP)
