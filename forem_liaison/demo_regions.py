"""Demo of the two other regions: a bilingual Brussels ALE/PWA (Actiris) and the LBA of Eupen (ADG), each with a
day's work like the Walloon agencies': a client's weekly request matched to a worker, hours recorded, vouchers,
last month validated (its monthly form), a new request waiting to be matched and a referral from the region's
public employment service with the agency's feedback.

Everything the law governs goes through the business services (`record_prestation`, `validate_prestation`,
`attach_vouchers`), so each region's own law applies. The law rows the migrations seed leave unsourced values
empty (refused: `MissingRule`); the demo records, for its two regions, a law row the way a deployment's superuser
would once the values are confirmed (`DEMO_LAW`, decision 65): the sourced values unchanged, the unsourced ones
filled with demonstration values, its source saying so ("Démonstration : …"). Never Wallonia's row: should a
region's law still refuse something, the demo keeps the refusal (`ctx.refusals`, printed by `make run`).
Dates are relative to today (decision 29); idempotent (natural keys: BCE, e-mail, NISS, request key).
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ale_platform.demo import DemoContext, demo_user
from ale_platform.emploi import ensure_service
from ale_platform.identifiers import build_bce, build_belgian_iban, build_niss, niss_sex
from ale_platform.models import Activite, Agence, AgenceMembership, Langue, Region, Role, TypeUtilisateur
from prestataires.models import ChangementStatut as ChangementStatutPrestataire
from prestataires.models import ContratALE, Disponibilite, Prestataire, SituationEligibilite
from prestations.models import Affectation, Prestation, RegleLegale
from prestations.planning import record_prior_interview
from prestations.rulebook import vouchers_due
from prestations.rulebook.law import SEED, law_in_force
from prestations.services import attach_vouchers, change_cheque_statut, record_prestation, validate_prestation
from utilisateurs.calendrier import jours_feries
from utilisateurs.models import (
    Autorisation,
    ChangementStatut,
    Creneau,
    Demande,
    Inscription,
    ParametresUtilisateurs,
    StatutDemande,
    Utilisateur,
)

from .faits import compute_faits
from .models import (
    Adressage,
    BureauForem,
    Conseiller,
    ParametresForem,
    ReponseRetour,
    RetourAdressage,
    TransitionAdressage,
)

D, T = datetime.date, datetime.time
S = StatutDemande
C = Activite.Categorie
DATES = re.compile(r"\d{2}/\d{2}/\d{4}")
TO_CONFIRM = datetime.timedelta(weeks=2)  # the last two weeks' work is done, for the client to confirm


@dataclass(frozen=True)
class Person:
    key: str
    email: str
    first: str
    last: str
    langue: str
    home: str


@dataclass(frozen=True)
class RegionDemo:
    key: str
    agence: dict
    activites: list  # (name, category, user types)
    staff: list  # Person, the first one the agency's admin
    client: Person
    client_file: dict
    worker: Person
    worker_file: dict
    birth: datetime.date
    counter: int
    base: str  # the worker's access basis, one of the region's own (prestataires.rules)
    service: tuple[str, str]  # the public employment service's office (name, commune)
    adviser: Person
    dossier_prefix: str
    weekday: int  # the weekly session's day (0 = Monday)
    activite: str  # of the weekly request
    description: str
    new_request: str  # what the client asks next (waiting to be matched)
    reasons: dict  # the referral's reason and the feedback (typed by people: their language)
    request_key: str


P = TypeUtilisateur.PARTICULIER
REGIONS = [
    RegionDemo(
        key="bruxelles",
        agence={
            "bce": build_bce(4_711_060),
            "nom": "ALE-PWA de Saint-Gilles",
            "rue": "Place Maurice Van Meenen 39",
            "code_postal": "1060",
            "commune": "Saint-Gilles",
            "email": "info@ale-pwa-1060.be",
            "telephone": "02 536 02 11",
            "iban": build_belgian_iban(68, 4_710_600),
            "region": Region.BRUXELLES,
            # Brussels: €7.45 a voucher (fixed) and a registration of €7.45 since 1.7.2023 (alepwabru.be).
            "prix_cheque": "7.45",
            "cotisation_annuelle": "7.45",
            "communes_desservies": ["Saint-Gilles", "Sint-Gillis"],
        },
        activites=[
            ("Petit jardinage / Kleine tuinwerken", C.MAJOREE, [P]),
            ("Petits travaux d'entretien / Klein onderhoud", C.GENERALE, [P, TypeUtilisateur.AUTORITE_LOCALE]),
            ("Aide administrative / Administratieve hulp", C.GENERALE, [P]),
        ],
        staff=[
            Person(
                "collaborateur_bxl",
                "els.vermeulen@ale-pwa-1060.be",
                "Els",
                "Vermeulen",
                Langue.NL,
                "Collaboratrice ALE-PWA (Saint-Gilles, néerlandophone, bilingue ; admin)",
            ),
            Person(
                "collaborateur_bxl_fr",
                "karim.benali@ale-pwa-1060.be",
                "Karim",
                "Benali",
                Langue.FR,
                "Collaborateur ALE-PWA (Saint-Gilles, francophone, bilingue)",
            ),
        ],
        client=Person(
            "client_bxl",
            "lies.peeters@example.be",
            "Lies",
            "Peeters",
            Langue.NL,
            "Utilisatrice néerlandophone (particulier, Saint-Gilles)",
        ),
        client_file={"rue": "Jourdanstraat 51", "code_postal": "1060", "commune": "Sint-Gillis"},
        worker=Person(
            "prestataire_bxl",
            "bart.desmet@example.be",
            "Bart",
            "De Smet",
            Langue.NL,
            "Prestataire néerlandophone (Bart De Smet, Saint-Gilles)",
        ),
        worker_file={"rue": "Hollandstraat 12", "code_postal": "1060", "commune": "Sint-Gillis"},
        birth=D(1972, 3, 9),
        counter=127,
        base="chomage_45_plus",  # federal access rules, kept in Brussels
        service=("Actiris — Antenne de Saint-Gilles", "Saint-Gilles"),
        adviser=Person(
            "conseiller_bxl",
            "an.claes@actiris.be",
            "An",
            "Claes",
            Langue.NL,
            "Conseillère Actiris (Saint-Gilles)",
        ),
        dossier_prefix="AC",
        weekday=1,
        activite="Petit jardinage / Kleine tuinwerken",
        description="Gras maaien en de haag snoeien.",
        new_request="Hulp bij het ordenen van de papieren van het ziekenfonds.",
        reasons={
            "motif": "Opnieuw een werkritme vinden; ervaring met tuinonderhoud.",
            "retour": (
                "Bart komt elke dinsdag stipt en de klant is tevreden; hij wil graag een opleiding snoeien volgen."
            ),
            "reponse": "Dank u voor de feedback.",
        },
        request_key="7b0e5a41-1060-4c53-9a57-00000000b001",
    ),
    RegionDemo(
        key="eupen",
        agence={
            "bce": build_bce(4_700_470),
            "nom": "LBA Eupen",
            "rue": "Hütte 79",
            "code_postal": "4700",
            "commune": "Eupen",
            "email": "lba.eupen@adg.be",
            "telephone": "087 63 89 00",
            "iban": build_belgian_iban(73, 4_700_470),
            "region": Region.GERMANOPHONE,
            # German-speaking Community: €7.00 an hour to the client (plateformedesalewallonnes.be, 28.2.2024).
            "prix_cheque": "7.00",
            "communes_desservies": ["Eupen", "Kettenis"],
        },
        activites=[
            ("Kleine Gartenarbeiten", C.MAJOREE, [P]),
            ("Kleine Instandhaltungsarbeiten", C.GENERALE, [P, TypeUtilisateur.AUTORITE_LOCALE]),
            ("Verwaltungshilfe", C.GENERALE, [P]),
        ],
        staff=[
            Person(
                "collaborateur_eupen",
                "monika.kreusch@adg.be",
                "Monika",
                "Kreusch",
                Langue.DE,
                "Collaboratrice LBA (Eupen, germanophone ; admin)",
            ),
        ],
        client=Person(
            "client_eupen",
            "anna.schmitz@example.be",
            "Anna",
            "Schmitz",
            Langue.DE,
            "Utilisatrice germanophone (particulier, Eupen)",
        ),
        client_file={"rue": "Klosterstraße 5", "code_postal": "4700", "commune": "Eupen"},
        worker=Person(
            "prestataire_eupen",
            "lukas.mockel@example.be",
            "Lukas",
            "Mockel",
            Langue.DE,
            "Prestataire germanophone (Lukas Mockel, Eupen)",
        ),
        worker_file={"rue": "Aachener Straße 20", "code_postal": "4700", "commune": "Eupen"},
        birth=D(1974, 10, 2),
        counter=63,
        base="inscrit_6_mois_45_plus",  # DG: registered for 6 months at 45 or older (adg.be)
        service=("ADG — Arbeitsamt Eupen", "Eupen"),
        adviser=Person(
            "conseiller_eupen",
            "stefan.lenzen@adg.be",
            "Stefan",
            "Lenzen",
            Langue.DE,
            "Conseiller ADG (Eupen)",
        ),
        dossier_prefix="ADG",
        weekday=3,
        activite="Kleine Gartenarbeiten",
        description="Rasen mähen und die Hecke schneiden.",
        new_request="Hilfe beim Ordnen der Unterlagen der Krankenkasse.",
        reasons={
            "motif": "Wieder einen Arbeitsrhythmus finden; Erfahrung in der Gartenpflege.",
            "retour": "Lukas kommt jeden Donnerstag pünktlich, die Kundin ist zufrieden.",
            "reponse": "Danke für die Rückmeldung.",
        },
        request_key="7b0e5a41-4700-4c53-9a57-00000000e001",
    ),
]


# The demo's values where the sources are silent (decision 65): what a deployment's superuser would type once
# Actiris / the ADG confirm them. The sourced values of the region's seeded row are kept unchanged.
DEMO_PREFIX = "Démonstration : "
DEMO_LAW = {
    Region.BRUXELLES: (
        {
            "types_utilisateurs_majores": ["particulier", "enseignement"],
            "plafond_mensuel_agricole": 150,
            "plafond_hors_agricole": 45,
            "plafond_annuel": 630,
            "indemnite_par_cheque": "4.10",
            "types_utilisateurs_agricoles": ["agricole"],
        },
        "70 h chez les particuliers et dans l'enseignement, 150 h en agriculture dont 45 h hors agriculture, "
        "630 h par an, indemnité de 4,10 € par chèque",
        "Actiris",
    ),
    Region.GERMANOPHONE: (
        {
            "plafond_mensuel": 45,
            "plafond_mensuel_majore": 70,
            "types_utilisateurs_majores": ["particulier", "enseignement"],
            "plafond_mensuel_agricole": 150,
            "plafond_hors_agricole": 45,
            "plafond_annuel": 630,
            "types_utilisateurs_agricoles": ["agricole"],
        },
        "45 h par mois, 70 h chez les particuliers et dans l'enseignement, 150 h en agriculture dont 45 h hors "
        "agriculture, 630 h par an",
        "l'ADG",
    ),
}


def demo_law_source(region: str) -> str:
    """The demo row's source: says plainly which values are the demo's, then the seeded row's sourced ones."""
    values, described, service = DEMO_LAW[region]
    seeded = next(law for law in SEED if law.region == region)
    sourced = seeded.source.split(" ; non sourcés")[0]
    return (
        f"{DEMO_PREFIX}valeurs non sourcées saisies pour la démo ({described}), à remplacer par celles confirmées "
        f"par {service}. Valeurs sourcées inchangées : {sourced}"
    )


def _demo_law(ctx: DemoContext, region: str) -> None:
    """The region's law row of the demo, in force from the 1st of January of the year of the demo's first work (its
    referral, weeks before the history; every month the demo's meters read, the Walloon year's included): the
    seeded row's values, the unsourced ones filled for the demo (`DEMO_LAW`). Idempotent: an existing demo row is
    kept, moved earlier only if the demo's work now starts before it."""
    seeded_since = next(law for law in SEED if law.region == region).en_vigueur_du
    first_work = ctx.history_start - datetime.timedelta(days=40)
    since = max(datetime.date(first_work.year, 1, 1), seeded_since + datetime.timedelta(days=1))
    row = RegleLegale.objects.filter(region=region, source__startswith=DEMO_PREFIX).order_by("en_vigueur_du").first()
    if row is not None:
        if row.en_vigueur_du > since:
            row.en_vigueur_du = since
            row.save(update_fields=["en_vigueur_du"])
        return
    seeded = law_in_force(region, since)  # the sourced row (seeded by migration): its values, NULL where unsourced
    values = {f.name: seeded.raw(f.name) for f in RegleLegale._meta.concrete_fields if f.name not in ("id", "pk")}
    for name in ("types_utilisateurs_majores", "types_utilisateurs_agricoles"):
        if values[name] is not None:
            values[name] = list(values[name])
    values.update(DEMO_LAW[region][0], en_vigueur_du=since, source=demo_law_source(region))
    RegleLegale.objects.create(**values)


def _refused(ctx: DemoContext, demo: RegionDemo, exc: ValidationError) -> None:
    """What a region's law refused while seeding: printed by `make run` (`ctx.refusals`)."""
    message = " ".join(dict.fromkeys(exc.messages))
    prefix = f"{demo.agence['nom']} : {DATES.sub('…', message)}"  # one line per refusal, whatever the day
    if not any(line.startswith(prefix[:60]) and DATES.sub("…", line) == prefix for line in ctx.refusals):
        ctx.refusals.append(f"{demo.agence['nom']} : {message}")


def _user(ctx: DemoContext, person: Person, role: str):
    user = demo_user(ctx, person.key, person.email, person.first, person.last, role, home=person.home)
    if user.langue != person.langue:
        user.langue = person.langue
        user.save(update_fields=["langue"])
    return user


@transaction.atomic
def seed(ctx: DemoContext) -> None:
    for demo in REGIONS:
        _seed_region(ctx, demo)


def _seed_region(ctx: DemoContext, demo: RegionDemo) -> None:
    _demo_law(ctx, demo.agence["region"])
    fields = dict(demo.agence)
    agence, _created = Agence.objects.get_or_create(bce=fields.pop("bce"), defaults=fields)
    ctx.agences[demo.key] = agence
    for nom, categorie, types in demo.activites:
        Activite.objects.get_or_create(
            agence=agence, nom=nom, defaults={"categorie": categorie, "types_utilisateurs": types}
        )
    ParametresUtilisateurs.objects.get_or_create(agence=agence, defaults={"delai_annulation_heures": 48})
    ParametresForem.objects.get_or_create(
        agence=agence, defaults={"delai_premier_contact_jours": 10, "periodicite_retour_jours": 30}
    )
    staff = [_user(ctx, person, Role.COLLABORATEUR) for person in demo.staff]
    for i, user in enumerate(staff):
        AgenceMembership.objects.get_or_create(user=user, agence=agence, defaults={"is_admin": i == 0})
    client = _client(ctx, demo, agence)
    worker = _worker(ctx, demo, agence)
    _day_of_work(ctx, demo, agence, staff[0], client, worker)
    _referral(ctx, demo, agence, staff[0], worker)  # its feedback reads the hours worked


def _client(ctx: DemoContext, demo: RegionDemo, agence: Agence) -> Utilisateur:
    person = demo.client
    utilisateur, _created = Utilisateur.objects.get_or_create(
        agence=agence,
        email=person.email,
        defaults={
            "type": P,
            "nom": person.last,
            "prenom": person.first,
            "niss": build_niss(demo.birth.replace(year=demo.birth.year - 20), demo.counter + 2),
            "telephone": "0470 00 00 00",
            "langue": person.langue,
            **demo.client_file,
        },
    )
    account = _user(ctx, person, Role.CLIENT)
    if utilisateur.compte_id is None:
        utilisateur.compte = account
        utilisateur.save(update_fields=["compte"])
    for annee in ctx.years:
        Inscription.objects.get_or_create(
            utilisateur=utilisateur,
            annee=annee,
            defaults={"cotisation": agence.cotisation_annuelle, "payee_le": D(annee, 1, 15), "validee": True},
        )
    for activite in Activite.objects.filter(agence=agence).order_by("pk"):
        if activite.allows(utilisateur.type):
            Autorisation.objects.get_or_create(
                utilisateur=utilisateur,
                activite=activite,
                defaults={
                    "numero": f"{4_200_000_000 + utilisateur.pk * 100 + activite.pk % 100:010d}",
                    "debut": D(ctx.years[0], 1, 1),
                    "fin": D(ctx.years[-1], 12, 31),
                },
            )
    return utilisateur


def _worker(ctx: DemoContext, demo: RegionDemo, agence: Agence) -> Prestataire:
    person = demo.worker
    since = ctx.history_start - datetime.timedelta(days=400)  # unemployed for over a year, 45 or older
    worker, created = Prestataire.objects.get_or_create(
        agence=agence,
        niss=build_niss(demo.birth, demo.counter),
        defaults={
            "nom": person.last,
            "prenom": person.first,
            "email": person.email,
            "telephone": "0470 12 34 56",
            "langue": person.langue,
            "date_naissance": demo.birth,
            "sexe": niss_sex(build_niss(demo.birth, demo.counter)) or "",
            "statut": Prestataire.Statut.ACTIF,
            "date_inscription": since + datetime.timedelta(days=30),
            "organisme_paiement": "capac",
            "iban": build_belgian_iban(63, 2_000_000 + demo.counter),
            "mobilite": "velo",
            "distance_max_km": 5,
            "langues_parlees": {"nl": "Nederlands, Frans", "de": "Deutsch, Französisch"}[person.langue],
            **demo.worker_file,
        },
    )
    if created:
        worker.activites.set(Activite.objects.filter(agence=agence))
        signed = worker.date_inscription + datetime.timedelta(days=14)
        ContratALE.objects.create(prestataire=worker, date_debut=signed, date_signature=signed)
        ChangementStatutPrestataire.objects.create(
            prestataire=worker, de="inscrit", vers="actif", date=signed, motif="Contrat de travail ALE signé."
        )
        for jour in (demo.weekday, (demo.weekday + 2) % 5):
            for demi in ("matin", "apres_midi"):
                Disponibilite.objects.get_or_create(prestataire=worker, jour=jour, demi_journee=demi)
    SituationEligibilite.objects.get_or_create(
        prestataire=worker,
        base=demo.base,
        defaults={
            "depuis": since,
            "preuve": "Attestation de l'organisme de paiement",
            "date_preuve": since + datetime.timedelta(days=20),
        },
    )
    account = _user(ctx, person, Role.PRESTATAIRE)
    if worker.compte_id is None:
        worker.compte = account
        worker.save(update_fields=["compte"])
    return worker


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, T(hour)))


def _referral(ctx: DemoContext, demo: RegionDemo, agence: Agence, collab, worker: Prestataire) -> None:
    """The worker came referred by the region's public employment service; the agency published a feedback."""
    service = ensure_service(agence.region)  # Actiris in Brussels, the ADG in the German-speaking Community
    bureau, _created = BureauForem.objects.get_or_create(
        nom=demo.service[0], defaults={"commune": demo.service[1], "service": service}
    )
    user = _user(ctx, demo.adviser, Role.CONSEILLER)
    conseiller, _created = Conseiller.objects.get_or_create(user=user, defaults={"bureau": bureau})
    start = ctx.history_start - datetime.timedelta(days=21)
    adressage, created = Adressage.objects.get_or_create(
        conseiller=conseiller,
        niss=worker.niss,
        defaults={
            "bureau": bureau,
            "agence": agence,
            "nom": worker.nom,
            "prenom": worker.prenom,
            "motif": demo.reasons["motif"],
            "categories": ["rythme"],
            "numero_dossier_forem": f"{demo.dossier_prefix}-{worker.niss[:6]}-{worker.niss[-3:]}",
            "telephone": worker.telephone,
            "consentement_partage": True,
            "consentement_le": start,
            "date_adressage": start,
        },
    )
    if not created:
        return
    TransitionAdressage.objects.create(adressage=adressage, de="", vers="recu", par=user, le=_at(start))
    previous = "recu"
    for i, vers in enumerate(["convoque", "entretien", "inscrit", "actif"], start=1):
        day = start + datetime.timedelta(days=3 * i)
        if vers == "convoque":
            adressage.premier_contact_le = day
        TransitionAdressage.objects.create(adressage=adressage, de=previous, vers=vers, par=collab, le=_at(day, 9 + i))
        previous = vers
    adressage.etat, adressage.prestataire = previous, worker
    adressage.save()
    debut, fin = start, ctx.today - datetime.timedelta(days=1)
    try:
        faits = compute_faits(adressage, debut, fin)  # the hours and what they mean under the region's law
    except ValidationError as exc:
        _refused(ctx, demo, exc)
        return
    retour = RetourAdressage.objects.create(
        adressage=adressage,
        auteur=collab,
        periode_debut=debut,
        periode_fin=fin,
        texte=demo.reasons["retour"],
        faits=faits,
        statut=RetourAdressage.Statut.PUBLIE,
        publie_le=_at(fin, 16),
    )
    adressage.dernier_retour_le = fin
    adressage.save(update_fields=["dernier_retour_le"])
    ReponseRetour.objects.create(retour=retour, auteur=user, texte=demo.reasons["reponse"])


def _day_of_work(ctx: DemoContext, demo: RegionDemo, agence, collab, client: Utilisateur, worker) -> None:
    """The client's weekly request (booked online), matched to the worker and planned: past sessions done,
    last month's validated with vouchers (its monthly form), the coming ones planned; a new request to match."""
    activite = Activite.objects.get(agence=agence, nom=demo.activite)
    account = client.compte
    demande, created = Demande.objects.get_or_create(
        cle_idempotence=demo.request_key,
        defaults={
            "agence": agence,
            "utilisateur": client,
            "activite": activite,
            "description": demo.description,
            "statut": S.PLANIFIEE,
            "recurrente": True,
            "jours": [demo.weekday],
            "periode_debut": ctx.history_start,
            "periode_fin": ctx.planned_until,
            "created_by": account,
        },
    )
    if created:
        first = ctx.history_start + datetime.timedelta(days=(demo.weekday - ctx.history_start.weekday()) % 7)
        Creneau.objects.create(demande=demande, date=first, debut=T(9), fin=T(12))
        # The reasons the services write, in the language of whoever acted (as the services do).
        with translation.override(account.langue):
            sent = _("Demande envoyée en ligne.")
        with translation.override(collab.langue):
            assigned = ngettext("Prestataire attribué·e : %(n)s.", "Prestataires attribué·es : %(n)s.", 1) % {
                "n": worker.prenom
            }
            planned = _("Les séances sont planifiées.")
        previous = ""
        for statut, par, motif in (
            (S.NOUVELLE, account, sent),
            (S.ATTRIBUEE, collab, assigned),
            (S.PLANIFIEE, collab, planned),
        ):
            ChangementStatut.objects.create(demande=demande, de=previous, vers=statut, par=par, motif=motif)
            previous = statut
        Affectation.objects.create(demande=demande, prestataire=worker, created_by=collab)
    _prior_interview(ctx, agence, collab, demande, worker)
    month_start = ctx.today.replace(day=1)
    # The coming sessions first: a request with sessions still planned is not finished when past ones are validated.
    day = ctx.planned_until
    while day >= ctx.history_start:
        if day.weekday() == demo.weekday and not jours_feries(day, day):
            _session(ctx, demo, collab, demande, worker, client, activite, day, month_start)
        day -= datetime.timedelta(days=1)
    _new_request(ctx, demo, agence, client)


def _prior_interview(ctx: DemoContext, agence, collab, demande, worker) -> None:
    """Where the region's law requires it (Brussels), the assignment starts with the prior interview between the
    worker and an ALE adviser, held before the first session; nothing can be planned before it."""
    try:
        required = law_in_force(agence.region, ctx.history_start).entretien_prealable
    except ValidationError:
        return  # no law for the region: its refusal is shown when the sessions are recorded
    affectation = Affectation.objects.filter(demande=demande, prestataire=worker).first()
    if required and affectation is not None and affectation.entretien_prealable_le is None:
        record_prior_interview(
            affectation=affectation, le=ctx.history_start - datetime.timedelta(days=3), acting_user=collab
        )


def _session(ctx, demo, collab, demande, worker, client, activite, day, month_start) -> None:
    if Prestation.objects.filter(prestataire=worker, date=day, debut=T(9)).exists():
        return
    past = day < ctx.today
    try:
        with transaction.atomic():
            prestation = record_prestation(
                prestataire=worker,
                utilisateur=client,
                activite=activite,
                demande=demande,
                date=day,
                debut=T(9),
                fin=T(11, 30),
                heures="2.5",
                acting_user=collab,
                statut=Prestation.Statut.EFFECTUEE if past else Prestation.Statut.PLANIFIEE,
            )
            if past and day < month_start and day < ctx.today - TO_CONFIRM:
                validate_prestation(prestation=prestation, acting_user=collab)
                numeros = [f"{6_000_000_000 + prestation.pk * 10 + i:010d}" for i in range(vouchers_due("2.5"))]
                for cheque in attach_vouchers(prestation=prestation, acting_user=collab, numeros=numeros):
                    change_cheque_statut(cheque=cheque, statut="rentre", acting_user=collab)
    except ValidationError as exc:
        _refused(ctx, demo, exc)  # the region's law refuses: shown, never another region's law borrowed


def _new_request(ctx: DemoContext, demo: RegionDemo, agence, client: Utilisateur) -> None:
    """What the client asked this morning: an afternoon next week, waiting for the agency to match a worker."""
    key = demo.request_key[:-4] + "0002"
    activite = [a for a in Activite.objects.filter(agence=agence, categorie=C.GENERALE).order_by("pk") if a.allows(P)][
        -1:
    ]
    activite = activite[0] if activite else None
    if activite is None or Demande.objects.filter(cle_idempotence=key).exists():
        return
    day = ctx.today + datetime.timedelta(days=7 + (demo.weekday + 1 - ctx.today.weekday()) % 7)
    while jours_feries(day, day) or day.weekday() > 4:
        day += datetime.timedelta(days=1)
    demande = Demande.objects.create(
        cle_idempotence=key,
        agence=agence,
        utilisateur=client,
        activite=activite,
        description=demo.new_request,
        statut=S.NOUVELLE,
        created_by=client.compte,
    )
    Creneau.objects.create(demande=demande, date=day, debut=T(14), fin=T(16))
    with translation.override(client.compte.langue):
        sent = _("Demande envoyée en ligne.")
    ChangementStatut.objects.create(demande=demande, de="", vers=S.NOUVELLE, par=client.compte, motif=sent)
