"""What a request really looks like now: its sessions as planned, moved, worked and validated, and its story.

The client books wished dates (`Creneau`); the agency plans them as `Prestation` rows, which staff may later move,
record and validate. These reads join both, so that the client's pages never show a wished date the agency has
since moved or worked as if it were still to come.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from ale_platform.dates import short_date, short_time
from utilisateurs.models import Demande

from .models import Prestation
from .selectors import covering_cheques

S = Prestation.Statut
PLANIFIEE, EFFECTUEE, VALIDEE, ANNULEE = S.PLANIFIEE, S.EFFECTUEE, S.VALIDEE, S.ANNULEE
TERMINAL = {EFFECTUEE, VALIDEE, ANNULEE, S.ABSENCE}


@dataclass
class Session:
    date: datetime.date
    debut: datetime.time
    fin: datetime.time
    etat: str  # French label for the client
    creneau: object = None
    prestation: object = None
    deplacee_de: datetime.date | None = None  # the wished date the agency moved it from
    actionable: bool = False  # the client may still cancel or move it online
    cheques: list = field(default_factory=list)

    @property
    def annulee(self) -> bool:
        return (self.prestation is not None and self.prestation.statut == ANNULEE) or (
            self.prestation is None and self.creneau is not None and self.creneau.annule
        )

    @property
    def a_venir(self) -> bool:
        return (
            not self.annulee
            and self.date >= timezone.localdate()
            and (self.prestation is None or self.prestation.statut == PLANIFIEE)
        )


class _OriginalSlots:
    """{prestation id: (date, debut) when it was planned}, from the audit trail (first record of each), read on
    the first question only: when every session sits on its wished date, no one asks and nothing is read."""

    def __init__(self, prestations):
        self._ids = [p.pk for p in prestations]
        self._first = None

    def get(self, pk):
        if self._first is None:
            self._first = {}
            History = Prestation.history.model
            rows = (
                History.objects.filter(id__in=self._ids, history_type="+")
                .order_by("history_date")
                .values("id", "date", "debut")
            )
            for row in rows:
                self._first.setdefault(row["id"], (row["date"], row["debut"]))
        return self._first.get(pk)


def sessions_of(demandes, *, now=None, can_cancel=None, details=True) -> dict[int, list[Session]]:
    """{request id: its sessions} for several requests in a fixed number of queries (see `demande_sessions`).

    The requests' wished dates are read through `demande.creneaux.all()`: prefetch them when reading many.
    `details=False` leaves out each session's worker and vouchers (what a list of next dates does not show).
    """
    now = now or timezone.now()
    prestations = Prestation.objects.filter(demande__in=[d.pk for d in demandes]).order_by("date", "debut")
    if details:
        prestations = prestations.select_related("prestataire").prefetch_related(
            Prefetch("cheques", queryset=covering_cheques(), to_attr="cheques_couvrants")
        )
    prestations = list(prestations)
    original = _OriginalSlots(prestations)
    by_demande: dict[int, list] = {d.pk: [] for d in demandes}
    for p in prestations:
        by_demande[p.demande_id].append(p)
    return {d.pk: _sessions(d, by_demande[d.pk], original, now, can_cancel) for d in demandes}


def demande_sessions(demande: Demande, *, now=None, can_cancel=None) -> list[Session]:
    """Every session of the request, wished date by wished date, as it stands now (then sessions planned alone).

    `can_cancel(creneau, now)`: the deadline rule of `utilisateurs.services`, passed in by the caller.
    """
    return sessions_of([demande], now=now, can_cancel=can_cancel)[demande.pk]


def _sessions(demande, prestations, original, now, can_cancel) -> list[Session]:
    unmatched = list(prestations)
    sessions = []
    for creneau in demande.creneaux.all():
        key = (creneau.date, creneau.debut)
        match = next((p for p in unmatched if (p.date, p.debut) == key and p.statut != ANNULEE), None) or next(
            (p for p in unmatched if (p.date, p.debut) == key or original.get(p.pk) == key), None
        )
        if match is not None:
            unmatched.remove(match)
            sessions.append(_from_prestation(match, creneau))
        else:
            etat = _("annulée") if creneau.annule else _("en attente de planification par l'agence")
            sessions.append(Session(creneau.date, creneau.debut, creneau.fin, etat, creneau=creneau))
    sessions += [_from_prestation(p, None) for p in unmatched]
    for s in sessions:
        s.actionable = bool(
            demande.is_open
            and s.creneau is not None
            and not s.creneau.annule
            and (s.prestation is None or (s.prestation.statut == PLANIFIEE and s.deplacee_de is None))
            and (can_cancel is None or can_cancel(s.creneau, now))
        )
    return sorted(sessions, key=lambda s: (s.date, s.debut))


def _from_prestation(prestation, creneau) -> Session:
    moved = creneau.date if creneau is not None and creneau.date != prestation.date else None
    if moved is None and creneau is not None and creneau.debut != prestation.debut:
        moved = creneau.date
    return Session(
        prestation.date,
        prestation.debut,
        prestation.fin,
        prestation.get_statut_display(),
        creneau=creneau,
        prestation=prestation,
        deplacee_de=moved,
        cheques=getattr(prestation, "cheques_couvrants", []),
    )


def next_sessions(demandes) -> dict[int, Session | None]:
    """{request id: its next session still to come, or None}, for a list of requests in a few queries."""
    sessions_by_demande = sessions_of(demandes, details=False)
    return {pk: next((s for s in sessions if s.a_venir), None) for pk, sessions in sessions_by_demande.items()}


@dataclass
class Event:
    quand: datetime.datetime
    texte: str
    motif: str = ""
    par: object = None


def demande_timeline(demande: Demande) -> list[Event]:
    """The request's status changes and what happened to its sessions (planned, moved, worked, validated…)."""
    events = [
        Event(
            c.le,
            f"{c.get_de_display()} → {c.get_vers_display()}" if c.de else c.get_vers_display(),
            c.motif,
            c.par,
        )
        for c in demande.changements.select_related("par")
    ]
    labels = dict(Prestation._meta.get_field("statut").choices)
    records = (
        Prestation.history.model.objects.filter(demande_id=demande.pk)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    previous = {}
    for r in records:
        before = previous.get(r.id)
        previous[r.id] = r
        when = f"{short_date(r.date)} {short_time(r.debut)}"
        if before is None:
            continue  # planning itself shows as the request's status change
        if (before.date, before.debut, before.fin) != (r.date, r.debut, r.fin) and r.statut == PLANIFIEE:
            texte = _("Séance du %(old)s déplacée au %(new)s") % {
                "old": f"{short_date(before.date)} {short_time(before.debut)}",
                "new": f"{when}–{short_time(r.fin)}",
            }
        elif before.statut != r.statut:
            texte = _("Séance du %(date)s : %(statut)s") % {"date": when, "statut": labels.get(r.statut, r.statut)}
        else:
            continue
        events.append(Event(r.history_date, texte, r.history_change_reason or "", r.history_user))
    return sorted(events, key=lambda e: e.quand)
