"""Eligibility as data: which rule (RegleEligibilite) in force on a date each of the worker's situations meets.

`explain(prestataire, on)` answers "why is this person eligible, or not, on this date" in French sentences.
"""

import datetime
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from ale_platform.dates import short_date
from ale_platform.packed import packed, rows, unpack

from .models import BaseEligibilite, Prestataire, RegleEligibilite, SituationEligibilite

# The bases' labels (lazy): one translation per verdict, where get_base_display() translates every choice to
# look one up (matching judges every worker of an agency on each page).
_BASE_LABELS = dict(BaseEligibilite.choices)


def _label(situation) -> str:
    return str(_BASE_LABELS.get(situation.base, situation.base))


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months from start to end (30 Jan → 29 Feb is 0 months; → 1 Mar is 1)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return months


def age_on(birth: datetime.date, on: datetime.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


@dataclass(frozen=True)
class Verdict:
    base_label: str
    ok: bool
    reasons: list[str]
    regle: RegleEligibilite | None = None
    failures: tuple[str, ...] = ()


@dataclass
class Eligibilite:
    on: datetime.date
    verdicts: list[Verdict] = field(default_factory=list)
    summary: str = ""
    no_rules: bool = False  # the region has no eligibility rule in force on the date

    @property
    def ok(self) -> bool:
        return any(v.ok for v in self.verdicts)


def _fmt(d: datetime.date) -> str:
    return short_date(d)


def _check(
    regle: RegleEligibilite, situation, birth: datetime.date | None, on: datetime.date, referrals=lambda: ()
) -> Verdict:
    reasons, failed, ok = [], [], True

    def fail(reason: str) -> None:
        reasons.append(reason)
        failed.append(reason)

    if situation.jusqu_au and situation.jusqu_au < on:
        ended = _("La situation a pris fin le %(date)s.") % {"date": _fmt(situation.jusqu_au)}
        return Verdict(_label(situation), False, [ended], regle, (ended,))
    if regle.age_min is not None or regle.age_max is not None:
        if birth is None:
            unknown = _("Date de naissance inconnue.")
            return Verdict(_label(situation), False, [unknown], regle, (unknown,))
        age = age_on(birth, on)
        if regle.age_min is not None and age < regle.age_min:
            ok = False
            fail(
                _("%(age)s ans le %(date)s : il faut au moins %(min)s ans.")
                % {"age": age, "date": _fmt(on), "min": regle.age_min}
            )
        elif regle.age_max is not None and age >= regle.age_max:
            ok = False
            fail(
                _("%(age)s ans le %(date)s : cette base vaut pour les moins de %(max)s ans.")
                % {"age": age, "date": _fmt(on), "max": regle.age_max}
            )
        else:
            reasons.append(_("%(age)s ans le %(date)s : condition d'âge remplie.") % {"age": age, "date": _fmt(on)})
    if situation.depuis > on:
        later = _("La situation ne commence que le %(date)s.") % {"date": _fmt(situation.depuis)}
        return Verdict(_label(situation), False, [*reasons, later], regle, (*failed, later))
    if regle.duree_mois:
        months = months_between(situation.depuis, on)
        if months < regle.duree_mois:
            ok = False
            fail(
                _("%(months)s mois depuis le %(since)s : il en faut %(needed)s.")
                % {"months": months, "since": _fmt(situation.depuis), "needed": regle.duree_mois}
            )
        else:
            reasons.append(
                _("%(months)s mois depuis le %(since)s (au moins %(needed)s requis).")
                % {"months": months, "since": _fmt(situation.depuis), "needed": regle.duree_mois}
            )
    if regle.mois_requis:
        got = situation.mois_indemnises or 0
        params = {"got": got, "needed": regle.mois_requis, "window": regle.fenetre_mois}
        if got < regle.mois_requis:
            ok = False
            fail(_("%(got)s mois d'allocations sur %(window)s : il en faut %(needed)s.") % params)
        else:
            reasons.append(_("%(got)s mois d'allocations sur %(window)s (au moins %(needed)s requis).") % params)
    if regle.allocations_requises:
        if situation.avec_allocations:
            reasons.append(_("Perçoit des allocations (chômage, insertion ou sauvegarde)."))
        else:
            ok = False
            fail(_("Ne perçoit pas d'allocations (chômage, insertion ou sauvegarde) : cette base les exige."))
    if regle.adressage_requis:
        dates = sorted(referrals())
        before = [d for d in dates if d <= on]
        if before:
            reasons.append(_("Adressé·e à l'ALE par le Forem le %(date)s.") % {"date": _fmt(before[-1])})
        elif dates:
            ok = False
            fail(
                _("L'adressage du Forem vers l'ALE date du %(date)s : cette base ne compte qu'à partir de cette date.")
                % {"date": _fmt(dates[0])}
            )
        else:
            ok = False
            fail(
                _(
                    "Aucun adressage du Forem vers l'ALE n'est enregistré pour cette personne : cette base (voie (b) "
                    "de 2026, décret wallon du 11.12.2025) ne compte qu'avec un adressage du Forem."
                )
            )
    if not reasons:
        reasons.append(_("Aucune durée minimale : la situation suffit, avec sa preuve."))
    failures = tuple(failed)
    if ok and situation.jusqu_au:
        reasons.append(_("Jusqu'au %(date)s.") % {"date": _fmt(situation.jusqu_au)})
    reasons.append(
        _("Preuve : %(proof)s du %(date)s.") % {"proof": situation.preuve, "date": _fmt(situation.date_preuve)}
    )
    return Verdict(_label(situation), ok, reasons, regle, failures)


def rules_of(region: str) -> list[RegleEligibilite]:
    """The region's rules; the seeded ones (`prestataires.rules`) when the table is empty (after a test flush)."""
    return _rules_or_seed(RegleEligibilite.objects.filter(region=region), region)


def _rules_or_seed(rows, region: str) -> list[RegleEligibilite]:
    from .rules import seeded_rules

    return list(rows) or seeded_rules(region)


# Packed forms (`ale_platform.packed`): a page that judges many workers at once (matching) reads the region's
# rules and each worker's situations with its workers' query; `explain` then runs on them unchanged.


def packed_rules(region) -> Subquery:
    """The region's rules as one column of another query; `region`: an expression (e.g. a subquery on the
    agency, which PostgreSQL then evaluates once for the whole query) or a region code."""
    return packed(RegleEligibilite.objects.filter(region=region), key="region")


def rules_unpacked(text: str | None, region: str) -> list[RegleEligibilite]:
    """`rules_of(region)` from the rows `packed_rules` brought (same seed fallback)."""
    return _rules_or_seed(unpack(RegleEligibilite, text), region)


# What `explain` reads of a situation (the packed read gives only these).
SITUATION_READ = (
    "id",
    "prestataire_id",
    "base",
    "depuis",
    "jusqu_au",
    "mois_indemnises",
    "avec_allocations",
    "preuve",
    "date_preuve",
)


def packed_situations() -> Subquery:
    """The situations of the worker of the outer query (OuterRef("pk")) as one column, for `situations_unpacked`."""
    return packed(
        SituationEligibilite.objects.filter(prestataire_id=OuterRef("pk")), key="prestataire_id", fields=SITUATION_READ
    )


def situations_unpacked(text: str | None) -> list[SimpleNamespace]:
    """The worker's situations from the column `packed_situations` added: the fields `explain` reads
    (SITUATION_READ) as attributes, in the model's order (by base). Plain records, not model instances: matching
    unpacks those of every worker of the agency on each page."""
    return sorted((SimpleNamespace(**row) for row in rows(SituationEligibilite, text)), key=lambda s: s.base)


# A referral counts unless the ALE refused it or the Forem withdrew it (forem_liaison.EtatAdressage).
REFERRAL_NOT_COUNTING = ("refuse", "retire")


def _referrals_model():
    # The Forem's referrals (forem_liaison.Adressage) point at the worker's file; read through that relation, the
    # layer below does not import the app above.
    return Prestataire._meta.get_field("adressages").related_model


def referral_dates(prestataire) -> list[datetime.date]:
    """The dates of the Forem's referrals of this worker file to the ALE that count (`Adressage.prestataire`, never
    a NISS typed elsewhere)."""
    if getattr(prestataire, "pk", None) is None:
        return []
    return list(
        _referrals_model()
        .objects.filter(prestataire_id=prestataire.pk)
        .exclude(etat__in=REFERRAL_NOT_COUNTING)
        .values_list("date_adressage", flat=True)
    )


def packed_referrals() -> Subquery:
    """The referrals of the worker of the outer query (OuterRef("pk")) as one column, for `referrals_unpacked`."""
    model = _referrals_model()
    return packed(
        model.objects.filter(prestataire_id=OuterRef("pk")).exclude(etat__in=REFERRAL_NOT_COUNTING),
        key="prestataire_id",
        fields=("prestataire_id", "date_adressage"),
    )


def referrals_unpacked(text: str | None) -> list[datetime.date]:
    return [row["date_adressage"] for row in rows(_referrals_model(), text)]


def explain(prestataire, on: datetime.date, *, regles=None, situations=None, referrals=None) -> Eligibilite:
    """Eligibility of the worker on `on`, with a sentence per situation. `referrals`: the dates of the worker's
    Forem referrals (`referral_dates`), read only when a basis needs one (route (b) of 2026)."""
    if regles is None:
        regles = rules_of(prestataire.agence.region)
    regles = list(regles)
    situations = list(situations if situations is not None else prestataire.situations.all())
    result = Eligibilite(on=on)
    if not any(r.in_force(on) for r in regles):
        # A region without its own rules refuses everyone, and says why (never another region's rules).
        result.summary = no_rules_message(on)
        result.no_rules = True
        return result
    birth = prestataire.birth_date
    known = None if referrals is None else list(referrals)

    def referred():
        nonlocal known
        if known is None:
            known = referral_dates(prestataire)
        return known

    for situation in situations:
        in_force = [r for r in regles if r.base == situation.base and r.in_force(on)]
        if not in_force:
            later = sorted(
                (r for r in regles if r.base == situation.base and r.en_vigueur_du > on), key=lambda r: r.en_vigueur_du
            )
            reason = _("Cette base n'ouvre pas l'accès à l'ALE le %(date)s.") % {"date": _fmt(on)}
            if later:
                reason += " " + _("Elle s'applique à partir du %(start)s.") % {"start": _fmt(later[0].en_vigueur_du)}
            result.verdicts.append(Verdict(_label(situation), False, [reason], None, (reason,)))
            continue
        verdicts = [_check(r, situation, birth, on, referred) for r in in_force]
        result.verdicts.append(next((v for v in verdicts if v.ok), verdicts[0]))
    if not situations:
        result.summary = _("Aucune base d'éligibilité n'est enregistrée : non éligible.")
    elif result.ok:
        bases = ", ".join(v.base_label for v in result.verdicts if v.ok)
        result.summary = _("Éligible le %(date)s au titre de : %(bases)s.") % {"date": _fmt(on), "bases": bases}
    else:
        result.summary = _("Non éligible le %(date)s : aucune base ne remplit les conditions.") % {"date": _fmt(on)}
    return result


def no_rules_message(on: datetime.date) -> str:
    return _(
        "Aucune règle légale enregistrée pour cette région à cette date (%(date)s) : l'accès à l'ALE ne peut pas "
        "être vérifié, aucune prestation n'est possible."
    ) % {"date": _fmt(on)}


def refusal(prestataire, on: datetime.date) -> str | None:
    """None when the worker is eligible on `on`; else the French sentence that refuses a contract, a planned slot
    or hours, naming the rule and the date (eligibility is checked before the contract and any work:
    honnelles.be, braives.be)."""
    result = explain(prestataire, on)
    if result.ok:
        return None
    if result.no_rules:
        return f"{prestataire} : {result.summary}"
    why = "; ".join(f"{v.base_label} : {' '.join(v.failures)}" for v in result.verdicts)
    return _("%(p)s n'est pas éligible à l'ALE le %(date)s (conditions d'accès, %(region)s : %(sources)s)%(why)s.") % {
        "p": prestataire,
        "date": _fmt(on),
        "region": prestataire.agence.get_region_display(),
        "sources": access_sources(result, rules_of(prestataire.agence.region), on),
        "why": f" — {why}" if why else _(" — aucune base enregistrée"),
    }


def access_sources(result: Eligibilite, regles, on: datetime.date) -> str:
    """The region's own sources a refusal names: those of the rules the person's bases were judged by, else those
    of every rule of the region in force on the date (never another region's)."""
    judged = [v.regle for v in result.verdicts if v.regle is not None]
    rules = judged or [r for r in regles if r.in_force(on)]
    return " ; ".join(dict.fromkeys(r.source for r in rules if r.source))


def applying_verdicts(result: Eligibilite) -> list[Verdict]:
    """The bases that open access on the date (the proof of registration names only these)."""
    return [v for v in result.verdicts if v.ok]


def basis_period_problem(region: str, base: str, depuis: datetime.date, jusqu_au=None, *, regles=None) -> str | None:
    """Why a situation on `base` from `depuis` to `jusqu_au` (None: ongoing) opens access to the ALE on no day
    (None when some rule of the region for that basis is in force during the situation)."""
    regles = [r for r in (rules_of(region) if regles is None else regles) if r.base == base]
    if not regles:
        return _("Cette base n'ouvre pas l'accès à l'ALE dans la région de l'agence.")
    for regle in regles:
        starts_before_end = jusqu_au is None or regle.en_vigueur_du <= jusqu_au
        ends_after_start = regle.en_vigueur_au is None or regle.en_vigueur_au >= depuis
        if starts_before_end and ends_after_start:
            return None
    first = min(r.en_vigueur_du for r in regles)
    if jusqu_au is not None and jusqu_au < first:
        return _(
            "Cette base n'ouvre l'accès à l'ALE qu'à partir du %(start)s : la situation a pris fin le %(end)s."
        ) % {
            "start": _fmt(first),
            "end": _fmt(jusqu_au),
        }
    return _("Cette base n'ouvre plus l'accès à l'ALE pendant cette situation.")


@dataclass(frozen=True)
class BasisEnding:
    """A basis of the worker that ends on `fin` after which no other basis opens access (the day after)."""

    base_label: str
    fin: datetime.date


def bases_ending(
    prestataire, today: datetime.date, *, regles=None, situations=None, referrals=None
) -> list[BasisEnding]:
    """The worker's bases with an end date from `today` on, after which they are no longer eligible (another basis
    may take over: then nothing to tell). What the worker reads in their space, in plain words, before the end."""
    regles = list(rules_of(prestataire.agence.region) if regles is None else regles)
    situations = list(situations if situations is not None else prestataire.situations.all())
    ending = []
    for situation in situations:
        if situation.jusqu_au is None or situation.jusqu_au < today:
            continue
        day_after = situation.jusqu_au + datetime.timedelta(days=1)
        if referrals is None:
            referrals = referral_dates(prestataire)
        if not explain(prestataire, day_after, regles=regles, situations=situations, referrals=referrals).ok:
            ending.append(BasisEnding(_label(situation), situation.jusqu_au))
    return sorted(ending, key=lambda b: b.fin)
