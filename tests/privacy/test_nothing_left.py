"""A worker and a client with a full history (referral and feedback included): their export holds every row about
them, and after their anonymisation a search of every table, every column and every stored file (ZIP contents and
PDF text included) finds nothing of them: NISS (both forms), names, e-mails, phones, streets.

The production task backend (database) is used, so the notifications' arguments are stored as in production.
"""

import datetime
import io
import json
import subprocess
import tempfile
import uuid
import zipfile
from pathlib import Path

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.tasks.base import TaskResultStatus
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ale_platform.geo.addresses import address_of
from ale_platform.geo.models import AdresseConnue
from ale_platform.identifiers import format_niss
from ale_platform.models import AgenceMembership, NotificationEnAttente, Role
from ale_platform.privacy.models import TypePersonne
from ale_platform.privacy.services import Candidate, anonymise, export_personne
from forem_liaison.models import ReponseRetour, RetourAdressage, TransitionAdressage
from prestataires.models import (
    Absence,
    Disponibilite,
    Document,
    LectureRemarques,
    PeriodeOrganismePaiement,
    Prestataire,
)
from prestations.models import ChequeALE, GenerationFormulaires, JetonCalendrier, TransitionCheque
from prestations.planning import assign_prestataires, decline_affectation
from prestations.tasks import generate_monthly_forms
from reprise.models import Reprise
from tests.factories import (
    AdressageFactory,
    AgenceFactory,
    CollaborateurFactory,
    PrestataireFactory,
    PrestationFactory,
    UserFactory,
    niss_sequence,
)
from tests.utilisateurs.factories import InscriptionFactory, bookable_client
from utilisateurs import services as utilisateur_services
from utilisateurs.calendrier import jours_feries
from utilisateurs.models import Contact, Site

pytestmark = pytest.mark.django_db

OLD_MONTH = datetime.date(2019, 3, 1)
WORKER = {
    "nom": "Zwartberg",
    "prenom": "Odile",
    "email": "odile.zwartberg@example.be",
    "telephone": "0470998877",
    "rue": "Rue Quaresmeau 12",
    "niss": niss_sequence(4242, datetime.date(1971, 5, 9)),
}
CLIENT = {
    "nom": "Bellefroid",
    "prenom": "Yvette",
    "email": "yvette.bellefroid@example.be",
    "telephone": "081223344",
    "rue": "Chemin Moulinsart 3",
    "niss": niss_sequence(4343, datetime.date(1948, 11, 2)),
}


def _needles(person) -> list[str]:
    return [
        person["nom"],
        person["email"],
        person["telephone"],
        person["rue"],
        person["niss"],
        format_niss(person["niss"]),
    ]


NEEDLES = _needles(WORKER) + _needles(CLIENT)


def _working_day(days=10):
    day = timezone.localdate() + datetime.timedelta(days=days)
    while day.weekday() >= 4 or jours_feries(day, day + datetime.timedelta(days=1)):
        day += datetime.timedelta(days=1)
    return day


def _pdf_text(content: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        return subprocess.run(["pdftotext", handle.name, "-"], capture_output=True, text=True, check=True).stdout


def _texts_of_file(name: str, content: bytes):
    """The searchable text of a stored file: a ZIP's members (recursively), a PDF's text, or the bytes."""
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for member in archive.namelist():
                yield from _texts_of_file(f"{name}!{member}", archive.read(member))
    elif content[:4] == b"%PDF":
        yield name, _pdf_text(content)
    else:
        yield name, content.decode("utf-8", "replace")


def _hits_in_database() -> list[str]:
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (introspected names)
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("latin-1")
                    elif isinstance(value, dict | list):
                        value = json.dumps(value, ensure_ascii=False)
                    text = str(value).lower()
                    hits += [f"{table}.{column}: {n}" for n in NEEDLES if n.lower() in text]
    return hits


def _hits_in_files(root: Path) -> list[str]:
    hits = []
    for path in root.rglob("*"):
        if path.is_file():
            for name, text in _texts_of_file(str(path.relative_to(root)), path.read_bytes()):
                hits += [f"{name}: {n}" for n in NEEDLES if n.lower() in text.lower()]
    return hits


@pytest.fixture
def full_history(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    agence = AgenceFactory()
    staff = CollaborateurFactory(agence=agence)
    AgenceMembership.objects.filter(user=staff).update(is_admin=True)

    # The worker: account, file (edited twice: history), payer, absence, availability, document, remark read, calendar.
    worker_account = UserFactory(
        role=Role.PRESTATAIRE, email=WORKER["email"], first_name=WORKER["prenom"], last_name=WORKER["nom"]
    )
    worker = PrestataireFactory(
        agence=agence,
        compte=worker_account,
        notes=f"{WORKER['prenom']} {WORKER['nom']} préfère le matin",
        **{k: v for k, v in WORKER.items() if k != "email"},
        email=WORKER["email"],
    )
    worker.remarques_sensibles = "Problème de dos"
    worker.save()
    PeriodeOrganismePaiement.objects.create(
        prestataire=worker, organisme="cpas", cpas="CPAS de Gembloux", depuis=datetime.date(2018, 1, 1)
    )
    Absence.objects.create(prestataire=worker, debut=OLD_MONTH, fin=OLD_MONTH, motif=f"Hospitalisation {WORKER['nom']}")
    Disponibilite.objects.create(prestataire=worker, jour=1, demi_journee="matin")
    Document.objects.create(
        prestataire=worker,
        type="autre",
        titre=f"Attestation {WORKER['nom']}",
        fichier=SimpleUploadedFile("attestation.txt", f"{WORKER['nom']} {WORKER['niss']}".encode()),
    )
    LectureRemarques.objects.create(prestataire=worker, user=staff)
    JetonCalendrier.objects.create(prestataire=worker, jeton=uuid.uuid4().hex)

    # The client: account, file, site, contact; a request sent online (staff notified through the task queue),
    # the worker assigned (their name in the request's log), who declines with a reason.
    client_account = UserFactory(
        role=Role.CLIENT, email=CLIENT["email"], first_name=CLIENT["prenom"], last_name=CLIENT["nom"]
    )
    client, activite = bookable_client(agence, compte=client_account, **CLIENT)
    day = _working_day()
    if day.year != timezone.localdate().year:
        InscriptionFactory(utilisateur=client, annee=day.year)
    Site.objects.create(
        utilisateur=client, nom=f"Jardin {CLIENT['nom']}", rue=CLIENT["rue"], code_postal="5030", commune="Gembloux"
    )
    Contact.objects.create(utilisateur=client, nom=CLIENT["nom"], prenom="Marc", telephone=CLIENT["telephone"])
    with django_capture_on_commit_callbacks(execute=True):
        demande = utilisateur_services.create_demande(
            utilisateur=client,
            activite=activite,
            description=f"Tonte chez {CLIENT['prenom']} {CLIENT['nom']}, {CLIENT['rue']}, tél. {CLIENT['telephone']}",
            nombre_prestataires=1,
            creneaux=[(day, datetime.time(9), datetime.time(11))],
            cle_idempotence=uuid.uuid4(),
            acting_user=client_account,
        )
        (affectation,) = assign_prestataires(demande=demande, prestataires=[worker], acting_user=staff)
        decline_affectation(affectation=affectation, motif="Trop loin de chez moi", acting_user=worker_account)

    # Their work of an old month, its voucher and the month's ALE 4 forms (a ZIP of PDFs).
    prestation = PrestationFactory(
        prestataire=worker, utilisateur=client, activite=activite, date=OLD_MONTH.replace(day=12), statut="validee"
    )
    cheque = ChequeALE.objects.create(
        agence=agence, utilisateur=client, prestation=prestation, numero="1234567890", valeur=6
    )
    TransitionCheque.objects.create(
        cheque=cheque, de="", vers="contestee", par=staff, motif=f"Contesté par {CLIENT['prenom']} {CLIENT['nom']}"
    )
    generation = GenerationFormulaires.objects.create(agence=agence, mois=OLD_MONTH, created_by=staff)
    generate_monthly_forms.call(generation.pk)

    # The Forem referral that led to the worker, its log, its published feedback and the adviser's reply.
    referral = AdressageFactory(
        agence=agence,
        prestataire=worker,
        nom=WORKER["nom"],
        prenom=WORKER["prenom"],
        niss=WORKER["niss"],
        email=WORKER["email"],
        telephone=WORKER["telephone"],
        motif=f"{WORKER['prenom']} {WORKER['nom']} veut reprendre un rythme.",
    )
    TransitionAdressage.objects.create(
        adressage=referral, de="", vers="recu", par=staff, motif=f"Appel de {WORKER['nom']}"
    )
    retour = RetourAdressage.objects.create(
        adressage=referral,
        auteur=staff,
        periode_debut=OLD_MONTH,
        periode_fin=OLD_MONTH.replace(day=31),
        texte=f"{WORKER['prenom']} {WORKER['nom']} est venue à chaque rendez-vous.",
        faits={"prestations": [{"mois": "2019-03", "heures": "3.00"}], "nom": WORKER["nom"]},
        statut=RetourAdressage.Statut.PUBLIE,
        publie_le=timezone.now(),
    )
    ReponseRetour.objects.create(retour=retour, auteur=referral.conseiller.user, texte=f"Merci pour {WORKER['nom']}.")

    # Elsewhere: a digest entry and a task's arguments written before notifications carried links only, the admin
    # log, an import's rows and file, the geocoding cache, a logged-in session.
    legacy = {"title": f"{CLIENT['prenom']} {CLIENT['nom']}", "lines": [CLIENT["rue"], f"{WORKER['nom']} (CPAS)"]}
    NotificationEnAttente.objects.create(user=staff, kind="nouvelle_demande", context=legacy)
    DBTaskResult.objects.create(
        status=TaskResultStatus.SUCCESSFUL,
        task_path="ale_platform.notifications.deliver_notification",
        args_kwargs={"args": ["nouvelle_demande", [staff.pk], legacy], "kwargs": {}},
        backend_name="default",
        run_after=timezone.now(),
        finished_at=timezone.now(),
        exception_class_path="",
        traceback="",
    )
    for obj in (worker, client):
        LogEntry.objects.create(
            user=staff,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            object_repr=str(obj),
            action_flag=CHANGE,
            change_message=json.dumps([{"added": {"name": "contact", "object": f"{obj.prenom} {obj.nom}"}}]),
        )
    path = default_storage.save("reprise/import.csv", ContentFile(f"{WORKER['niss']};{WORKER['nom']}".encode()))
    Reprise.objects.create(
        agence=agence,
        entite="prestataires",
        fichier=path,
        nom_fichier="import.csv",
        statut="terminee",
        lignes=[{"numero": 2, "libelle": f"{WORKER['nom']} {WORKER['prenom']}", "niss": WORKER["niss"]}],
        created_by=staff,
        terminee_le=timezone.now(),
    )
    AdresseConnue.objects.create(adresse=address_of(worker), latitude=50.5, longitude=4.7, source="nominatim")
    browser = Client()
    browser.force_login(worker_account)
    return {"staff": staff, "worker": worker, "client": client, "root": tmp_path, "browser": browser}


def _export(kind, obj, staff) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(export_personne(kind=kind, obj=obj, acting_user=staff)))


def _rows(archive, name) -> list:
    return json.loads(archive.read(name))


def test_the_worker_export_holds_every_row_about_them(full_history):
    archive = _export(TypePersonne.PRESTATAIRE, full_history["worker"], full_history["staff"])
    names = set(archive.namelist())
    for every_row in [
        "prestataire.json",
        "prestataire_historique.json",
        "periodes_organisme_paiement.json",
        "absences.json",
        "disponibilites.json",
        "documents.json",
        "situations_eligibilite.json",
        "lectures_remarques_confidentielles.json",
        "jeton_calendrier.json",
        "affectations.json",
        "prestations.json",
        "cheques.json",
        "adressages.json",
        "adressages_historique.json",
        "transitions_adressages.json",
        "retours.json",
        "reponses_aux_retours.json",
        "compte.json",
        "compte_historique.json",
        "journal_administration.json",
        "notifications_envoyees.json",
    ]:
        assert every_row in names and _rows(archive, every_row), every_row
    assert "Trop loin" in archive.read("affectations.json").decode()
    assert "password" not in archive.read("compte.json").decode()
    assert full_history["worker"].jeton_calendrier.jeton not in archive.read("jeton_calendrier.json").decode()
    assert any(n.startswith("documents/") for n in names) and "preuve_inscription.pdf" in names


def test_the_client_export_holds_every_row_about_them(full_history):
    archive = _export(TypePersonne.UTILISATEUR, full_history["client"], full_history["staff"])
    names = set(archive.namelist())
    for every_row in [
        "utilisateur.json",
        "utilisateur_historique.json",
        "sites.json",
        "sites_historique.json",
        "contacts.json",
        "inscriptions.json",
        "inscriptions_historique.json",
        "autorisations.json",
        "demandes.json",
        "demandes_historique.json",
        "creneaux.json",
        "demandes_changements_statut.json",
        "affectations.json",
        "prestations.json",
        "cheques.json",
        "cheques_transitions.json",
        "compte.json",
        "journal_administration.json",
        "notifications_envoyees.json",
    ]:
        assert every_row in names and _rows(archive, every_row), every_row


def test_after_anonymisation_nothing_of_them_is_left_in_any_table_or_file(full_history):
    worker, client, root = full_history["worker"], full_history["client"], full_history["root"]
    # The search finds them before: it can fail.
    before = _hits_in_database()
    assert {h.split(":")[0] for h in before} >= {
        "django_tasks_database_dbtaskresult.args_kwargs",
        "forem_liaison_adressage.niss",
        "forem_liaison_retouradressage.texte",
        "django_admin_log.object_repr",
        "reprise_reprise.lignes",
    }
    assert any(".zip!" in h and "Zwartberg" in h for h in _hits_in_files(root))

    anonymise(Candidate(TypePersonne.PRESTATAIRE, worker, OLD_MONTH))
    anonymise(Candidate(TypePersonne.UTILISATEUR, client, OLD_MONTH))
    # The import's file is gone at its own retention, long before the person's (tests/privacy/test_retention.py).
    default_storage.delete(Reprise.objects.get().fichier)

    assert _hits_in_database() == []
    assert _hits_in_files(root) == []


def test_anonymisation_revokes_the_calendar_and_the_sessions_and_marks_the_referral(full_history):
    worker = full_history["worker"]
    feed = reverse("prestations:ical", args=[worker.jeton_calendrier.jeton])
    assert Client().get(feed).status_code == 200
    anonymise(Candidate(TypePersonne.PRESTATAIRE, worker, OLD_MONTH))
    assert Client().get(feed).status_code == 404
    assert not JetonCalendrier.objects.filter(prestataire=worker).exists()
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(worker.compte_id)]
    referral = Prestataire.objects.get(pk=worker.pk).adressages.get()
    assert referral.anonymise_le is not None
    retour = referral.retours.get()
    assert retour.est_anonymise and retour.statut == "publie" and retour.faits == {}


def test_notifications_carry_a_link_not_the_personal_details(full_history):
    """The request sent online, the assignment and the decline were notified through the task queue (pending, as
    the worker has not run yet): their stored arguments name no one (docs/privacy.md, "Notifications")."""
    queued = DBTaskResult.objects.filter(task_path__endswith="deliver_notification", status=TaskResultStatus.READY)
    assert queued.count() >= 2  # the test can fail: notifications were queued
    DBTaskResult.objects.exclude(pk__in=queued).delete()  # the row queued before the convention
    assert [h for h in _hits_in_database() if h.startswith("django_tasks_database")] == []
    assert all(r.args_kwargs["args"][2].get("path") for r in queued)


def test_a_departed_worker_calendar_feed_stops_answering(full_history):
    worker = full_history["worker"]
    feed = reverse("prestations:ical", args=[worker.jeton_calendrier.jeton])
    assert Client().get(feed).status_code == 200
    Prestataire.objects.filter(pk=worker.pk).update(statut=Prestataire.Statut.SORTI)
    assert Client().get(feed).status_code == 404
