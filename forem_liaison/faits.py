"""The facts of a feedback entry: what the platform knows about the period, and how they read in French.

Feedback describes facts and engagement in words; it never scores a person (docs/forem_liaison.md, "No score").
The facts are frozen in `RetourAdressage.faits` (JSON) at publication. Entries published before a fact existed
keep their facts as they were: `lines()` reads every shape ever frozen.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from prestataires.models import Prestataire
from prestations.models import Affectation, Prestation
from prestations.rulebook import seuil_evaluation_forem

from .models import Adressage, EtatAdressage, TransitionAdressage

DONE = [Prestation.Statut.EFFECTUEE, Prestation.Statut.VALIDEE]


def seuil_evaluation(mois: datetime.date, region: str = "wallonie") -> Decimal | None:
    """Hours in a month from which ALE work counts in the job-search evaluation: the rule book's dated data (from
    1.1.2026 in Wallonia, ale-rules.md); None before it or where the region has no such rule (no line then)."""
    return seuil_evaluation_forem(region, mois)


def _months(debut: datetime.date, fin: datetime.date) -> list[datetime.date]:
    months, current = [], debut.replace(day=1)
    while current <= fin:
        months.append(current)
        current = (current + datetime.timedelta(days=32)).replace(day=1)
    return months


def _same_person(prestataire_id: int) -> Q:
    """The prestations of every file with this file's NISS (one query; a file without a NISS is alone)."""
    niss = Prestataire.objects.filter(pk=prestataire_id).exclude(niss="").values("niss")
    return Q(prestataire_id=prestataire_id) | Q(prestataire__niss__in=niss)


def _hours_per_month(
    prestataire_id: int, debut: datetime.date, fin: datetime.date, region: str = "wallonie"
) -> list[dict]:
    """The person's hours per month, every ALE file with their NISS together: the 45 h threshold, like the caps
    (prestations/rulebook/caps.py), counts the person's hours. Only the month's total leaves the platform: no
    other agency, date or client of the other files."""
    rows = (
        Prestation.objects.filter(
            _same_person(prestataire_id), date__gte=debut.replace(day=1), date__lte=fin, statut__in=DONE
        )
        .annotate(mois=TruncMonth("date"))
        .values("mois")
        .annotate(heures=Coalesce(Sum("heures"), Value(Decimal("0")), output_field=DecimalField()))
    )
    by_month = {}
    for row in rows:
        key = row["mois"]
        by_month[key.date() if isinstance(key, datetime.datetime) else key] = row["heures"]
    mois = []
    for month in _months(debut, fin):
        heures = Decimal(by_month.get(month, 0))
        seuil = seuil_evaluation(month, region)
        mois.append(
            {
                "mois": month.strftime("%Y-%m"),
                "heures": str(heures.quantize(Decimal("0.01"))),
                "seuil_atteint": None if seuil is None else heures >= seuil,
            }
        )
    return mois


def _regularity(prestataire_id: int, debut: datetime.date, fin: datetime.date) -> dict:
    """Sessions done and missed in the period, and in how many of its calendar weeks the person worked."""
    rows = Prestation.objects.filter(prestataire_id=prestataire_id, date__gte=debut, date__lte=fin)
    done_days = list(rows.filter(statut__in=DONE).values_list("date", flat=True))
    missed = rows.filter(statut=Prestation.Statut.ABSENCE, absence_de="prestataire").count()
    weeks = {(debut + datetime.timedelta(days=n)).isocalendar()[:2] for n in range((fin - debut).days + 1)}
    return {
        "prestations_effectuees": len(done_days),
        "absences": missed,
        "semaines_actives": len({day.isocalendar()[:2] for day in done_days}),
        "semaines": len(weeks),
    }


def declines(prestataire_id: int, debut: datetime.date, fin: datetime.date):
    """Assignments the person (the referral's file) declined in the period, oldest first."""
    return (
        Affectation.objects.filter(
            prestataire_id=prestataire_id,
            statut=Affectation.Statut.DECLINEE,
            declinee_le__date__gte=debut,
            declinee_le__date__lte=fin,
        )
        .select_related("demande__activite")
        .order_by("declinee_le", "pk")
    )


def declines_to_review(retour) -> int:
    """Declines of a draft's period whose shared wording staff have not reviewed yet: publication waits for them."""
    worker = retour.adressage.prestataire_id
    if not worker:
        return 0
    return declines(worker, retour.periode_debut, retour.periode_fin).filter(motif_transmis="").count()


def declines_to_review_column():
    """`declines_to_review` as a column of a RetourAdressage query: a page listing feedback entries counts them
    all in its one query (0 when the referral has no worker file)."""
    rows = (
        Affectation.objects.filter(
            prestataire_id=OuterRef("adressage__prestataire_id"),
            statut=Affectation.Statut.DECLINEE,
            declinee_le__date__gte=OuterRef("periode_debut"),
            declinee_le__date__lte=OuterRef("periode_fin"),
            motif_transmis="",
        )
        .order_by()
        .values("prestataire_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _declines(prestataire_id: int, debut: datetime.date, fin: datetime.date) -> list[dict]:
    """Each decline with the reason as staff reviewed it for the adviser (the worker's words until then: a draft's
    preview; publication refuses unreviewed ones)."""
    return [
        {
            "le": a.declinee_le.date().isoformat(),
            "activite": a.demande.activite.nom,
            "motif": a.motif_transmis or a.motif_refus,
        }
        for a in declines(prestataire_id, debut, fin)
    ]


def compute_faits(adressage: Adressage, debut: datetime.date, fin: datetime.date) -> dict:
    """Facts of the period: ALE appointments kept/missed, hours per month against the threshold, regularity,
    declined assignments with their reason.

    The hours are the person's (every ALE file with their NISS: the threshold is about the person); regularity
    and declines are the referral's file's, at the agency the adviser referred the person to.

    Only facts meant for the adviser: nothing from the worker file's notes, address or payment body is read.
    """
    counts = TransitionAdressage.objects.filter(adressage=adressage).aggregate(
        honores=Count("pk", filter=Q(vers=EtatAdressage.ENTRETIEN)),
        manques=Count("pk", filter=Q(vers=EtatAdressage.ABSENT)),
    )
    worker = adressage.prestataire_id
    region = adressage.agence.region
    refus = _declines(worker, debut, fin) if worker else []
    seuil = seuil_evaluation(fin, region)
    return {
        "rendez_vous_honores": counts["honores"],
        "rendez_vous_manques": counts["manques"],
        "inscrit_ale": worker is not None,
        "heures_par_mois": _hours_per_month(worker, debut, fin, region) if worker else [],
        "heures_toutes_ale": True,
        "seuil_heures": "" if seuil is None else str(seuil),
        "regularite": _regularity(worker, debut, fin) if worker else None,
        "prestations_refusees": len(refus),
        "refus": refus,
    }


# --- Reading the facts -----------------------------------------------------------------------------------------


def heures(value) -> str:
    """Hours in the Belgian way: "0 h", "12,5 h", "45 h"."""
    text = format(Decimal(str(value)).quantize(Decimal("0.01")), "f").rstrip("0").rstrip(".")
    return f"{text.replace('.', ',')} h"


def _month_label(key: str) -> str:
    year, month = key.split("-")
    return date_format(datetime.date(int(year), int(month), 1), "F Y")


def _day_label(key: str) -> str:
    return date_format(datetime.date.fromisoformat(key), "SHORT_DATE_FORMAT")


def month_line(mois: dict, seuil: str) -> str:
    """ "septembre 2026 : 0 h (seuil de 45 h non atteint)"; the month alone where no threshold applied."""
    if mois.get("seuil_atteint") is None or not seuil:
        return _("%(mois)s : %(heures)s") % {"mois": _month_label(mois["mois"]), "heures": heures(mois["heures"])}
    template = (
        _("%(mois)s : %(heures)s (seuil de %(seuil)s atteint)")
        if mois["seuil_atteint"]
        else _("%(mois)s : %(heures)s (seuil de %(seuil)s non atteint)")
    )
    return template % {"mois": _month_label(mois["mois"]), "heures": heures(mois["heures"]), "seuil": heures(seuil)}


def _count(n: int, none: str, one: str, many: str) -> str:
    """ "aucun", "1 …", "2 …s" (French agreement, whatever rule gettext's fallback would follow)."""
    if n == 0:
        return none
    return (one if n == 1 else many) % {"n": n}


def _row(label, value) -> dict:
    return {"label": label, "items": value if isinstance(value, list) else [value]}


def lines(faits: dict) -> list[dict]:
    """The facts as French labels, each with its texts (`items`), for pages and PDFs."""
    if not faits:
        return []
    kept, missed = faits.get("rendez_vous_honores", 0), faits.get("rendez_vous_manques", 0)
    rows = [
        _row(
            _("Rendez-vous à l'ALE"),
            _count(kept, _("aucun honoré"), _("%(n)d honoré"), _("%(n)d honorés"))
            + ", "
            + _count(missed, _("aucun manqué"), _("%(n)d manqué"), _("%(n)d manqués")),
        )
    ]
    if not faits.get("inscrit_ale"):
        rows.append(_row(_("Prestations"), _("Pas encore inscrit·e comme prestataire à l'ALE.")))
        return rows
    seuil = faits.get("seuil_heures", "45")
    months = [month_line(m, seuil) for m in faits.get("heures_par_mois", [])]
    label = (
        _("Heures prestées par mois, toutes ALE confondues")
        if faits.get("heures_toutes_ale")
        else _("Heures prestées par mois")  # frozen before the hours counted the person's other ALE files
    )
    rows.append(_row(label, months or _("Aucun mois dans la période.")))
    regularite = faits.get("regularite")
    if regularite:
        r = regularite
        value = [
            _("Prestations effectuées : %(n)d") % {"n": r["prestations_effectuees"]},
            _("Semaines avec au moins une prestation : %(n)d sur %(total)d")
            % {"n": r["semaines_actives"], "total": r["semaines"]},
            _("Absences à des prestations prévues : %(n)d") % {"n": r["absences"]},
        ]
        rows.append(_row(_("Régularité"), value))
    refus = faits.get("refus")
    if refus is None:  # frozen before the platform reported declines
        value = _("Non incluses dans ce retour (publié avant leur suivi par la plateforme).")
    elif not refus:
        value = _("Aucune dans la période.")
    else:
        value = [
            _("%(le)s, %(activite)s : « %(motif)s »")
            % {"le": _day_label(r["le"]), "activite": r["activite"], "motif": r["motif"]}
            for r in refus
        ]
    rows.append(_row(_("Prestations refusées"), value))
    return rows
