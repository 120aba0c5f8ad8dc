"""The law of a region on a date: caps, 70 h user types, allowance per voucher, minimum voucher price.

The values are rows of `RegleLegale` (seeded for Wallonia by migration from `SEED`); when the table is empty
(a test flush) the seed itself answers, so a reader never falls back on a number written elsewhere.
"""

import datetime
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Subquery
from django.utils.translation import gettext as _

from ale_platform.models import Region
from ale_platform.packed import packed, unpack

CENT = Decimal("0.01")
# The 2026 rule: ALE hours count in a referred person's job-search evaluation from 45 h in the month
# (boutiquedegestion.be, 2026).
SEUIL_EVALUATION_FOREM = Decimal("45")


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


# Wallonia since the 70 h cap (1.4.2010). 45 h, 150 h of which 45 h outside agriculture, 630 h a year:
# ale-tournai.be, hensies.be, news.belgium.be; 70 h for gardening and supervision at private users, and schools
# (couvin.be); €4.10 per voucher, every hour started is due (theux.be, wallonie.be); €5.95 minimum since
# 1.1.2009 (news.belgium.be).
SEED = [
    Law(
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
        source=(
            "AR 25.11.1991 art. 79 ; 70 h depuis le 1.4.2010 (ale-tournai.be, couvin.be) ; "
            "150 h en agriculture (news.belgium.be) ; 4,10 € par chèque, chaque heure entamée est due (theux.be)"
        ),
    ),
]

_FIELDS = [f for f in Law.__dataclass_fields__]


def _from_row(row) -> Law:
    values = {name: getattr(row, name) for name in _FIELDS}
    values["types_utilisateurs_majores"] = tuple(values["types_utilisateurs_majores"] or ())
    return Law(**values)


def seed_law(model) -> None:
    """Writes `SEED` into `RegleLegale` (migration and demo seeding)."""
    for law in SEED:
        values = {name: getattr(law, name) for name in _FIELDS if name not in ("region", "en_vigueur_du")}
        values["types_utilisateurs_majores"] = list(law.types_utilisateurs_majores)
        model.objects.get_or_create(region=law.region, en_vigueur_du=law.en_vigueur_du, defaults=values)


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


def amount_due(vouchers: int, rate: Decimal) -> Decimal:
    return (Decimal(vouchers) * rate).quantize(CENT, rounding=ROUND_HALF_UP)
