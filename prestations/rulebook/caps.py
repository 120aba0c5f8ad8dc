"""Hour caps: the caps binding a worker's file on a date, and the person's hours against them.

The caps belong to the person (ale-rules.md, "Hour caps"): the hours of every worker file with the same NISS
on the deployment count together. The law's caps come from `law`; an agency may only plan below them, so the
binding cap is the lower of the two. A month's constraints, with G general hours, M hours in a 70 h activity
at a user type the law names, A agricultural hours and Y the year's hours:

- G ≤ 45 (general);
- without agriculture in the month: G + M ≤ 70;
- with agriculture in the month: G + M ≤ 45 (outside agriculture) and G + M + A ≤ 150;
- Y ≤ 630.

`HourMeters` answers every question a screen or a service asks (used, cap, remaining, what a new prestation of
a category would break) from those sums, so recording, matching, the worker file, the list, the worker's own
space, the dashboard and the API cannot disagree.
"""

import datetime
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Ceil, Coalesce
from django.utils.translation import gettext as _

from ale_platform import numbers
from ale_platform.models import Activite, TypeUtilisateur

from .law import Law, law_in_force, vouchers_due

ZERO = Decimal("0")
NEAR_CAP_RATIO = Decimal("0.8")
Cat = Activite.Categorie


def fmt_h(value) -> str:
    """45 → "45", 2.50 → "2,5": the platform's one Belgian format for hours (ale_platform.numbers)."""
    return numbers.heures(value)


@dataclass(frozen=True)
class Caps:
    """The caps binding one worker file: the law's, lowered where the agency plans below it."""

    mensuel: Decimal
    majore: Decimal
    agricole: Decimal
    hors_agricole: Decimal
    annuel: Decimal
    types_majores: tuple[str, ...]
    law: Law
    types_agricoles: tuple[str, ...] = ("agricole",)


CAP_RULES = (
    "plafond_mensuel",
    "plafond_mensuel_majore",
    "types_utilisateurs_majores",
    "plafond_mensuel_agricole",
    "plafond_hors_agricole",
    "plafond_annuel",
    "types_utilisateurs_agricoles",
)


def caps_for(agence, on: datetime.date, law: Law | None = None) -> Caps:
    law = law or law_in_force(agence.region, on)
    # Every cap binds each recording (the year's always): a region whose law does not source one refuses them
    # all, naming what is missing (the German-speaking Community's caps, Brussels' yearly cap).
    law.require(*CAP_RULES)

    def lower(name):
        own = getattr(agence, name, None)
        legal = getattr(law, name)
        return Decimal(min(own, legal) if own is not None else legal)

    return Caps(
        mensuel=lower("plafond_mensuel"),
        majore=lower("plafond_mensuel_majore"),
        agricole=lower("plafond_mensuel_agricole"),
        hors_agricole=lower("plafond_hors_agricole"),
        annuel=lower("plafond_annuel"),
        types_majores=law.types_utilisateurs_majores,
        law=law,
        types_agricoles=law.types_utilisateurs_agricoles,
    )


def place_types(utilisateur) -> tuple[str, ...]:
    """The user types the law reads for work at `utilisateur` (a client, or a plain type code): a school run by a
    commune or an ASBL is a school too (`Utilisateur.etablissement_scolaire`)."""
    if isinstance(utilisateur, str):
        return (utilisateur,)
    return utilisateur.types_du_lieu


def at_user_types(types) -> Q:
    """The prestations at a client of one of the law's user `types`, as a filter: a client flagged as a school
    counts as a school (the same reading as `place_types`)."""
    condition = Q(utilisateur__type__in=list(types))
    if TypeUtilisateur.ENSEIGNEMENT in types:
        condition |= Q(utilisateur__etablissement_scolaire=True)
    return condition


def effective_category(activite, utilisateur, caps: Caps) -> str:
    """The cap category of work in `activite` at `utilisateur` (a client, or its type code): an activity marked
    70 h only counts as such at the user types the law names (couvin.be: gardening and supervision at private
    users, and schools – a school run by a commune included), an agricultural one only at farms and
    horticulturists (couvin.be: the 150 h are for agricultural/horticultural work there); elsewhere it counts
    under the general cap."""
    types = place_types(utilisateur)
    if activite.categorie == Cat.MAJOREE and not set(types) & set(caps.types_majores):
        return Cat.GENERALE
    if activite.categorie == Cat.AGRICOLE and not set(types) & set(caps.types_agricoles):
        return Cat.GENERALE
    return activite.categorie


@dataclass(frozen=True)
class Meter:
    label: str
    used: Decimal  # done + planned
    done: Decimal
    cap: Decimal
    rule: str = ""  # the cap's name in a refusal, e.g. "Plafond annuel de %(cap)s h"

    @property
    def rule_name(self) -> str:
        return (self.rule or _("Plafond de %(cap)s h")) % {"cap": fmt_h(self.cap)}

    @property
    def left(self) -> Decimal:
        return max(self.cap - self.used, ZERO)

    @property
    def over(self) -> bool:
        return self.used > self.cap

    @property
    def near(self) -> bool:
        return not self.over and self.used >= self.cap * NEAR_CAP_RATIO

    @property
    def ratio(self) -> Decimal:
        return self.used / self.cap if self.cap else Decimal(1)

    @property
    def gauge(self) -> Decimal:
        """The value a <meter> can show: HTML wants it within 0..cap, the text beside it gives the real hours."""
        return min(self.used, self.cap)


@dataclass(frozen=True)
class Remaining:
    categorie: str
    label: str
    left: Decimal
    binding: Meter


@dataclass(frozen=True)
class HourMeters:
    """One person's hours in the month and year of a date, against the caps of one of their files."""

    month_general: Decimal
    month_majoree: Decimal
    month_agricole: Decimal
    month_done: Decimal
    year_total: Decimal
    caps: Caps
    month_done_general: Decimal = ZERO
    month_done_agricole: Decimal = ZERO

    # ------------------------------------------------------------------ the constraints
    @property
    def month_total(self) -> Decimal:
        return self.month_general + self.month_majoree + self.month_agricole

    @property
    def general(self) -> Meter:
        rule = _("Plafond mensuel de %(cap)s h")
        return Meter(_("activités générales"), self.month_general, self.month_done_general, self.caps.mensuel, rule)

    @property
    def with_majoree(self) -> Meter:
        used = self.month_general + self.month_majoree
        done = self.month_done - self.month_done_agricole
        rule = _("Plafond mensuel de %(cap)s h (activités à plafond majoré)")
        return Meter(_("mois, activités à 70 h comprises"), used, done, self.caps.majore, rule)

    @property
    def outside_agriculture(self) -> Meter:
        used = self.month_general + self.month_majoree
        done = self.month_done - self.month_done_agricole
        rule = _("Plafond de %(cap)s h hors agriculture sur le mois")
        return Meter(_("mois, hors agriculture"), used, done, self.caps.hors_agricole, rule)

    @property
    def with_agriculture(self) -> Meter:
        rule = _("Plafond mensuel de %(cap)s h en agriculture/horticulture")
        return Meter(_("mois, agriculture comprise"), self.month_total, self.month_done, self.caps.agricole, rule)

    @property
    def year(self) -> Meter:
        rule = _("Plafond annuel de %(cap)s h")
        return Meter(_("année"), self.year_total, self.year_total, self.caps.annuel, rule)

    def _involved(self, categorie: str) -> list[Meter]:
        """The constraints a prestation of `categorie` adds to (agriculture in the month switches the month's)."""
        agriculture = self.month_agricole > 0 or categorie == Cat.AGRICOLE
        month = [self.outside_agriculture, self.with_agriculture] if agriculture else [self.with_majoree]
        general = [self.general] if categorie == Cat.GENERALE else []
        return [*general, *month, self.year]

    # ------------------------------------------------------------------ what screens show
    @property
    def month(self) -> Meter:
        """The month's headline meter: the cap the month's mix of activities opens."""
        if self.month_agricole:
            return self.with_agriculture
        if self.month_majoree:
            return self.with_majoree
        return self.general

    @property
    def monthly_cap(self) -> Decimal:
        return self.month.cap

    @property
    def meters(self) -> list[Meter]:
        """Every meter that applies this month, headline first, then the general cap when it binds apart."""
        shown = [self.month]
        if self.month_agricole:
            shown.append(self.outside_agriculture)
        if self.month.label != self.general.label:
            shown.append(self.general)
        return [*shown, self.year]

    @property
    def worst(self) -> Meter:
        return max(self.meters, key=lambda m: m.ratio)

    def binding_for(self, categorie: str) -> Meter:
        return min(self._involved(categorie), key=lambda m: m.cap - m.used)

    def left_for(self, categorie: str) -> Decimal:
        return self.binding_for(categorie).left

    @property
    def remaining(self) -> list[Remaining]:
        labels = {
            Cat.GENERALE: _("en activités générales"),
            Cat.MAJOREE: _("en activités à 70 h"),
            Cat.AGRICOLE: _("en agriculture/horticulture"),
        }
        return [Remaining(c, labels[c], self.left_for(c), self.binding_for(c)) for c in labels]

    @property
    def binding(self) -> Meter:
        """The cap that limits general activities (what most requests need) this month."""
        return self.binding_for(Cat.GENERALE)

    @property
    def left(self) -> Decimal:
        return self.binding.left

    @property
    def seuil_forem(self) -> Decimal | None:
        """The Forem's evaluation threshold of the month's law (None before 2026 or where no such rule)."""
        return self.caps.law.seuil_evaluation_forem

    @property
    def seuil_forem_atteint(self) -> bool:
        return self.seuil_forem is not None and self.month_done >= self.seuil_forem

    # ------------------------------------------------------------------ a new prestation
    def plus(self, categorie: str, heures) -> "HourMeters":
        """These meters with `heures` more planned in `categorie` (what a recording checks and notifies on): every
        hour started counts whole, as it is paid (docs/regles.md, "A started hour against the caps")."""
        heures = Decimal(vouchers_due(heures))
        field = {Cat.AGRICOLE: "month_agricole", Cat.MAJOREE: "month_majoree"}.get(categorie, "month_general")
        return replace(self, **{field: getattr(self, field) + heures, "year_total": self.year_total + heures})

    def errors_for(self, categorie: str, heures) -> list[str]:
        """A French sentence per cap that `heures` more of `categorie` would pass."""
        after = self.plus(categorie, heures)
        errors = [
            _("%(rule)s dépassé de %(over)s h (%(used)s h avec cette prestation).")
            % {"rule": m.rule_name, "over": fmt_h(m.used - m.cap), "used": fmt_h(m.used)}
            for m in after._involved(categorie)
            if m.over
        ]
        if errors and Decimal(heures) != vouchers_due(heures):
            errors.append(
                _("Chaque heure entamée compte pour le plafond comme pour le paiement : %(h)s h comptent pour %(n)s h.")
                % {"h": fmt_h(heures), "n": vouchers_due(heures)}
            )
        return errors


def _person(p) -> str:
    """The person behind a worker file: the NISS (or the file itself when the NISS is unknown)."""
    return p.niss or f"#{p.pk}"


def hour_meters(prestataires, on: datetime.date, *, exclude_pk=None, laws=None) -> dict[int, HourMeters]:
    """{prestataire_id: HourMeters} for the month and year of `on`: one query for the law of each region,
    one for the sums of every file of the same people (any agency). `laws` ({region: Law on `on`}): the law
    already read by the caller (matching reads it with its workers), no query for it then."""
    from prestataires.models import Prestataire
    from prestations.models import Prestation

    prestataires = list(prestataires)
    if not prestataires:
        return {}
    month_start = on.replace(day=1)
    month = Q(date__gte=month_start, date__lt=(month_start + datetime.timedelta(days=32)).replace(day=1))
    done = Q(statut__in=[Prestation.Statut.EFFECTUEE, Prestation.Statut.VALIDEE])
    laws = {
        region: (laws or {}).get(region) or law_in_force(region, on)
        for region in {p.agence.region for p in prestataires}
    }
    result: dict[int, HourMeters] = {}
    for region, law in laws.items():
        workers = [p for p in prestataires if p.agence.region == region]
        law.require(*CAP_RULES)
        majoree = Q(activite__categorie=Cat.MAJOREE) & at_user_types(law.types_utilisateurs_majores)
        agricole = Q(activite__categorie=Cat.AGRICOLE) & at_user_types(law.types_utilisateurs_agricoles)

        def total(condition):
            # Every hour started counts whole, per prestation, as it is paid (one voucher each).
            return Coalesce(
                Sum(Ceil("heures"), filter=condition, output_field=DecimalField()),
                Value(ZERO),
                output_field=DecimalField(),
            )

        nisses = {p.niss for p in workers if p.niss}
        # The files of the same people as ids (a subquery), not a filter on the joined file's NISS: PostgreSQL then
        # reads each file's year through the (prestataire, date) index instead of every prestation of the file.
        files = Prestataire.objects.filter(niss__in=nisses).values("pk")
        same_person = Q(prestataire_id__in=files) | Q(prestataire_id__in=[p.pk for p in workers if not p.niss])
        rows = (
            Prestation.objects.counting_hours()
            .filter(same_person, date__gte=datetime.date(on.year, 1, 1), date__lte=datetime.date(on.year, 12, 31))
            .exclude(pk=exclude_pk)
            .values("prestataire_id", "prestataire__niss")
            .annotate(
                month_general=total(month & ~agricole & ~majoree),
                month_majoree=total(month & majoree),
                month_agricole=total(month & agricole),
                month_done=total(month & done),
                month_done_general=total(month & done & ~agricole & ~majoree),
                month_done_agricole=total(month & done & agricole),
                year_total=total(Q()),
            )
        )
        sums: dict[str, dict[str, Decimal]] = {}
        for row in rows:
            key = row.pop("prestataire__niss") or f"#{row.pop('prestataire_id')}"
            row.pop("prestataire_id", None)
            person = sums.setdefault(key, dict.fromkeys(row, ZERO))
            for name, value in row.items():
                person[name] += value
        names = ["month_general", "month_majoree", "month_agricole", "month_done", "year_total"]
        empty = dict.fromkeys([*names, "month_done_general", "month_done_agricole"], ZERO)
        for p in workers:
            result[p.pk] = HourMeters(caps=caps_for(p.agence, on, law), **sums.get(_person(p), empty))
    return result


def lock_person(prestataire):
    """Locks every file of the worker's person (same NISS) in primary-key order, so that two recordings for the
    same person in two agencies are serialised without deadlock; returns the file asked for, agency loaded."""
    from prestataires.models import Prestataire

    same = Q(niss=prestataire.niss) if prestataire.niss else Q(pk=prestataire.pk)
    files = list(
        Prestataire.objects.select_for_update(of=("self",)).select_related("agence").filter(same).order_by("pk")
    )
    return next(f for f in files if f.pk == prestataire.pk)
