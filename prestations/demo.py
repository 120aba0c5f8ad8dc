"""Demo prestations and vouchers: the last 8 to 12 weeks of weekly work and the next two weeks' plans.

The history is relative to today, never to the calendar year: on the 2nd of January the demo shows November
and December's work (validated, with vouchers: counted in last year's yearly caps) and the planned sessions
ahead; this month's and the last two weeks' past work is done but not yet validated (the clients confirm it
online), as in an office.

Everything goes through `record_prestation` (acting: the Gembloux collaborator), so the demo respects every cap;
a slot the rules refuse (public holiday, cap) is simply left out. Idempotent: a slot is keyed on
(worker, date, start time); vouchers are attached only when the slot is created.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from ale_platform.demo import DemoContext
from ale_platform.identifiers import build_bce, build_niss
from ale_platform.models import Activite
from prestataires.models import Disponibilite, Prestataire, SituationEligibilite
from utilisateurs.calendrier import jours_feries
from utilisateurs.models import (
    Autorisation,
    ChangementStatut,
    Creneau,
    Demande,
    Inscription,
    StatutDemande,
    Utilisateur,
)

from .models import JetonCalendrier, Prestation, RegleLegale
from .rulebook import hour_meters, vouchers_due
from .rulebook.law import seed_law
from .services import attach_vouchers, change_cheque_statut, record_prestation, validate_prestation

D, T = datetime.date, datetime.time
# (agence, worker NISS (birth, counter), client e-mail, activity, weekdays (0 = Monday), start, end, hours)
SCHEDULES = [
    ("gembloux", (D(1971, 2, 14), 33), "anne.dupont@example.be", "Petit jardinage", [1], T(9), T(12), "3"),
    (
        "gembloux",
        (D(1971, 2, 14), 33),
        "j.warnier@example.be",
        "Petits travaux d'entretien",
        [3],
        T(14),
        T(16, 30),
        "2.5",
    ),
    (
        "gembloux",
        (D(1966, 7, 2), 48),
        "ecole.grandleez@gembloux.be",
        "Surveillance de midi et accueil extrascolaire",
        [0, 1, 3, 4],
        T(11, 45),
        T(13, 15),
        "1.5",
    ),
    (
        "gembloux",
        (D(1988, 11, 23), 105),
        "ferme.sarthe@example.be",
        "Travaux saisonniers agricoles ou horticoles",
        [2],
        T(8),
        T(16),
        "7.5",
    ),
    ("gembloux", (D(1988, 11, 23), 105), "population@gembloux.be", "Aide lors d'événements", [5], T(10), T(14), "4"),
    ("eghezee", (D(1969, 6, 6), 91), "monique.fontaine@example.be", "Petit jardinage", [0], T(13), T(16), "3"),
]
# Who pays each demo worker (only filled in when the worker's file does not say yet).
PAYEURS = [
    ("gembloux", (D(1971, 2, 14), 33), "capac", ""),
    ("gembloux", (D(1966, 7, 2), 48), "fgtb", ""),
    ("gembloux", (D(1988, 11, 23), 105), "cpas", "CPAS de Gembloux"),
    ("eghezee", (D(1969, 6, 6), 91), "csc", ""),
]
TO_CONFIRM = datetime.timedelta(weeks=2)  # recent work stays "done" even across the month's (or year's) start
ELECTRONIC_CLIENTS = {"ecole.grandleez@gembloux.be", "population@gembloux.be"}


@transaction.atomic
def seed(ctx: DemoContext) -> None:
    seed_law(RegleLegale)  # normally there from the migration; a test flush removes it
    staff = ctx.users["collaborateur"]
    for agence_key, (birth, counter), organisme, cpas in PAYEURS:
        Prestataire.objects.filter(
            agence=ctx.agences[agence_key], niss=build_niss(birth, counter), organisme_paiement=""
        ).update(organisme_paiement=organisme, cpas=cpas)
    today = ctx.today
    start = ctx.history_start  # 8 to 12 weeks back, last year's December included in January
    end = ctx.planned_until
    month_start = today.replace(day=1)
    unpaid_left = {"anne.dupont@example.be": True}  # keep one validated prestation without vouchers (owed)
    for agence_key, (birth, counter), email, activite_nom, weekdays, debut, fin, heures in SCHEDULES:
        agence = ctx.agences[agence_key]
        prestataire = Prestataire.objects.filter(agence=agence, niss=build_niss(birth, counter)).first()
        utilisateur = Utilisateur.objects.filter(agence=agence, email=email).first()
        activite = Activite.objects.filter(agence=agence, nom=activite_nom).first()
        if not (prestataire and utilisateur and activite):
            continue
        day = start
        while day <= end:
            if day.weekday() in weekdays and (activite_nom != "Aide lors d'événements" or day.day <= 7):
                _slot(ctx, staff, prestataire, utilisateur, activite, day, debut, fin, heures, month_start, unpaid_left)
            day += datetime.timedelta(days=1)
    _near_each_cap(ctx, staff)
    jean = Prestataire.objects.filter(agence=ctx.agences["gembloux"], niss=build_niss(D(1971, 2, 14), 33)).first()
    if jean:
        JetonCalendrier.objects.get_or_create(prestataire=jean, defaults={"jeton": f"demo-{jean.pk}-calendrier-jean"})
    _open_demande(ctx)
    _basis_ending_next_month(ctx, staff)


FERME_EN_ORDRE = "ferme.try@example.be"
# Workers brought near each cap (docs/regles.md): (agence, worker, client, activity, period, meter, target, block
# of hours, start time). "month" fills the current month (planned hours count), "year" the months before the
# regular schedules begin.
NEAR_CAPS = [
    ("gembloux", (D(1971, 2, 14), 33), "j.warnier@example.be", "Petits travaux", "month", "general", 40, 4, T(17)),
    (
        "gembloux",
        (D(1966, 7, 2), 48),
        "ecole.grandleez@gembloux.be",
        "Surveillance",
        "month",
        "with_majoree",
        60,
        3,
        T(15),
    ),
    (
        "gembloux",
        (D(1988, 11, 23), 105),
        FERME_EN_ORDRE,
        "Travaux saisonniers",
        "month",
        "with_agriculture",
        125,
        8,
        T(7),
    ),
    ("eghezee", (D(1969, 6, 6), 91), "monique.fontaine@example.be", "Petit jardinage", "year", "year", 560, 8, T(8)),
    ("gembloux", (D(1969, 6, 6), 91), "j.warnier@example.be", "Petits travaux", "month", "general", 30, 4, T(8)),
]


def _farm_in_order(ctx) -> None:
    """A second farm, registered and authorised this year (the first one's registration lapsed on purpose)."""
    agence = ctx.agences["gembloux"]
    ferme, _created = Utilisateur.objects.get_or_create(
        agence=agence,
        email=FERME_EN_ORDRE,
        defaults={
            "type": "agricole",
            "nom": "Ferme du Try",
            "prenom": "",
            "bce": build_bce(2_299_999),
            "rue": "Chemin du Try 4",
            "code_postal": "5030",
            "commune": "Lonzée",
        },
    )
    for annee in ctx.years:
        Inscription.objects.get_or_create(
            utilisateur=ferme,
            annee=annee,
            defaults={"cotisation": agence.cotisation_annuelle, "payee_le": D(annee, 1, 15), "validee": True},
        )
    for activite in Activite.objects.filter(agence=agence, categorie=Activite.Categorie.AGRICOLE):
        Autorisation.objects.get_or_create(
            utilisateur=ferme,
            activite=activite,
            defaults={
                "numero": f"{4_100_000_000 + ferme.pk * 100 + activite.pk % 100:010d}",
                "debut": D(ctx.years[0], 1, 1),
                "fin": D(ctx.years[-1], 12, 31),
            },
        )


def _near_each_cap(ctx, staff) -> None:
    """Adds work (idempotently: only up to the target) so that the demo shows a worker near each cap."""
    _farm_in_order(ctx)
    today = ctx.today
    month_start = today.replace(day=1)
    first_regular = max(D(today.year, 1, 1), ctx.history_start)  # this year's days before the schedules begin
    for agence_key, person, email, activite_debut, period, meter, target, block, debut in NEAR_CAPS:
        agence = ctx.agences[agence_key]
        prestataire = (
            Prestataire.objects.filter(agence=agence, niss=build_niss(*person)).select_related("agence").first()
        )
        utilisateur = Utilisateur.objects.filter(agence=agence, email=email).first()
        activite = Activite.objects.filter(agence=agence, nom__startswith=activite_debut).first()
        if not (prestataire and utilisateur and activite):
            continue
        if period == "month":
            # From tomorrow: today stays free for whoever tries the demo by hand.
            days = _days(today + datetime.timedelta(days=1), (month_start + datetime.timedelta(days=32)).replace(day=1))
        else:
            days = _days(D(today.year, 1, 1), first_regular)
        fin = (datetime.datetime.combine(today, debut) + datetime.timedelta(hours=block)).time()
        for day in days:
            used = getattr(hour_meters([prestataire], on=day)[prestataire.pk], meter).used
            if used + block > target:
                continue
            past = day < today
            try:
                prestation = record_prestation(
                    prestataire=prestataire,
                    utilisateur=utilisateur,
                    activite=activite,
                    date=day,
                    debut=debut,
                    fin=fin,
                    heures=block,
                    acting_user=staff,
                    statut=Prestation.Statut.EFFECTUEE if past else Prestation.Statut.PLANIFIEE,
                )
            except ValidationError:
                continue
            if past and day < month_start:
                validate_prestation(prestation=prestation, acting_user=staff)


def _days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """Weekdays from start (included) to end (excluded)."""
    count = (end - start).days
    return [
        start + datetime.timedelta(days=n) for n in range(count) if (start + datetime.timedelta(days=n)).weekday() < 5
    ]


OPEN_DEMANDE_KEY = "5e1f0a2b-7c3d-4e5f-8a9b-000000000005"


def _open_demande(ctx) -> None:
    """An open recurring request (garden, Thursday mornings for six weeks) that has good candidates to match."""
    agence = ctx.agences["gembloux"]
    utilisateur = Utilisateur.objects.filter(agence=agence, email="anne.dupont@example.be").first()
    activite = Activite.objects.filter(agence=agence, nom="Petit jardinage").first()
    if not (utilisateur and activite):
        return
    jean = Prestataire.objects.filter(agence=agence, niss=build_niss(D(1971, 2, 14), 33)).first()
    if jean:  # Anne's usual gardener: free on Thursday mornings too
        jean.activites.add(activite)
        Disponibilite.objects.get_or_create(prestataire=jean, jour=3, demi_journee="matin")
    first = ctx.today + datetime.timedelta(days=(3 - ctx.today.weekday()) % 7 + 21)  # a Thursday, 3-4 weeks ahead
    while jours_feries(first, first):  # not Ascension, Christmas or New Year's Day: the series plans its first date
        first += datetime.timedelta(weeks=1)
    demande, created = Demande.objects.get_or_create(
        cle_idempotence=OPEN_DEMANDE_KEY,
        defaults={
            "agence": agence,
            "utilisateur": utilisateur,
            "activite": activite,
            "description": "Entretien du potager et désherbage, le jeudi matin.",
            "statut": StatutDemande.EN_RECHERCHE,
            "recurrente": True,
            "jours": [3],
            "periode_debut": first,
            "periode_fin": first + datetime.timedelta(weeks=5),
            "created_by": ctx.users["collaborateur"],
        },
    )
    if created:
        Creneau.objects.create(demande=demande, date=first, debut=T(9), fin=T(11))
        ChangementStatut.objects.create(
            demande=demande, de="", vers=StatutDemande.EN_RECHERCHE, motif="Demande encodée par l'agence."
        )


def _slot(ctx, staff, prestataire, utilisateur, activite, day, debut, fin, heures, month_start, unpaid_left):
    if Prestation.objects.filter(prestataire=prestataire, date=day, debut=debut).exists():
        return
    past = day < ctx.today
    try:
        prestation = record_prestation(
            prestataire=prestataire,
            utilisateur=utilisateur,
            activite=activite,
            date=day,
            debut=debut,
            fin=fin,
            heures=heures,
            acting_user=staff,
            statut=Prestation.Statut.EFFECTUEE if past else Prestation.Statut.PLANIFIEE,
        )
    except ValidationError:
        return  # a public holiday or a cap: the office would not have planned it either
    if not past or day >= month_start or day >= ctx.today - TO_CONFIRM:
        return  # this month's and the last two weeks' work: done, for the client to confirm and staff to validate
    validate_prestation(prestation=prestation, acting_user=staff)
    if unpaid_left.pop(utilisateur.email, False):
        return
    if utilisateur.email in ELECTRONIC_CLIENTS:
        [cheque] = attach_vouchers(prestation=prestation, acting_user=staff, electronique=True)
        if day.day <= 7 and utilisateur.email == "population@gembloux.be":
            change_cheque_statut(
                cheque=cheque, statut="contestee", acting_user=staff, motif="Heures contestées par le service"
            )
        return
    numeros = [f"{5_000_000_000 + prestation.pk * 10 + i:010d}" for i in range(vouchers_due(prestation.heures))]
    cheques = attach_vouchers(prestation=prestation, acting_user=staff, numeros=numeros)
    for cheque in cheques:
        change_cheque_statut(cheque=cheque, statut="rentre", acting_user=staff)


def _basis_ending_next_month(ctx: DemoContext, staff) -> None:
    """Jean's basis ends on the 15th of next month (the federal limitation waves, 2026–2027) and two gardening
    slots at Anne Dupont's were planned after it before the end date was known: the dashboard's tile, his file
    (with the next step) and his own space (in plain words) show them (docs/regles.md, "Up to the last voucher")."""
    jean = Prestataire.objects.filter(agence=ctx.agences["gembloux"], niss=build_niss(D(1971, 2, 14), 33)).first()
    anne = Utilisateur.objects.filter(agence=ctx.agences["gembloux"], email="anne.dupont@example.be").first()
    jardinage = Activite.objects.filter(agence=ctx.agences["gembloux"], nom="Petit jardinage").first()
    if not (jean and anne and jardinage):
        return
    next_month = (ctx.today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    end = next_month.replace(day=15)
    situation = SituationEligibilite.objects.filter(prestataire=jean, jusqu_au__isnull=True).first()
    if situation is None:  # already ended (seeded before)
        return
    days, day = [], end + datetime.timedelta(days=1)
    while len(days) < 2:
        if day.weekday() < 5 and not jours_feries(day, day):
            days.append(day)
        day += datetime.timedelta(days=1)
    for day in days:
        Inscription.objects.get_or_create(
            utilisateur=anne,
            annee=day.year,
            defaults={"cotisation": anne.agence.cotisation_annuelle, "payee_le": D(day.year, 1, 2), "validee": True},
        )
        # Her gardening authorisation runs to the end of that year (renewed: the demo's other years are set up so).
        Autorisation.objects.filter(utilisateur=anne, activite=jardinage, fin__lt=day).update(fin=D(day.year, 12, 31))
        if Prestation.objects.filter(prestataire=jean, date=day, debut=T(9)).exists():
            continue
        try:
            record_prestation(
                prestataire=jean,
                utilisateur=anne,
                activite=jardinage,
                date=day,
                debut=T(9),
                fin=T(12),
                heures="3",
                acting_user=staff,
                statut=Prestation.Statut.PLANIFIEE,
            )
        except ValidationError:
            continue
    situation.jusqu_au = end
    situation.save(update_fields=["jusqu_au"])
