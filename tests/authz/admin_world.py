"""A populated platform for the admin walks: the demo data of both agencies, completed so that every model
registered in the admin has at least one row in agency A and one in agency B.

Agency A is the demo's ALE de Gembloux, agency B its ALE d'Éghezée. A model added to the admin without a row in
each agency fails the walk with a message naming it: add a builder to `BUILDERS`.
"""

import datetime
from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ale_platform import demo
from ale_platform.admin_site import AgenceScopedAdmin
from ale_platform.emploi import ensure_service
from ale_platform.geo.models import Itineraire
from ale_platform.models import Agence, NotificationEnAttente, PreferenceNotification, Role, ServicePublicEmploi, User
from ale_platform.privacy.models import ParametresConfidentialite
from forem_liaison.models import BureauForem, JetonAPI
from prestataires.models import Absence, Document, LectureRemarques, Prestataire
from prestations.models import (
    Affectation,
    Fermeture,
    GenerationFormulaires,
    JetonCalendrier,
    LienConfirmation,
    RegleFraisDeplacement,
    RegleLegale,
)
from tests.factories import CollaborateurFactory, ConseillerFactory, PrestataireFactory, UserFactory
from tests.prestataires.factories import AbsenceFactory
from utilisateurs.models import ChangementStatut, Contact, Creneau, Demande, Invitation, Site, Utilisateur

ADMIN_ROLES = (
    "anonymous",
    "client",
    "prestataire",
    "collab_a",
    "conseiller",
    "admin_a",
    "admin_b",
    "superuser",
)


@dataclass
class AdminWorld:
    agence_a: Agence
    agence_b: Agence
    users: dict[str, User | None]
    # model -> (row of agency A, row of agency B); unscoped models: (a row, same row)
    rows: dict[type, tuple]


def _worker(agence):
    return Prestataire.objects.filter(agence=agence).first() or PrestataireFactory(agence=agence)


def _client_file(agence):
    return Utilisateur.objects.filter(agence=agence).first()


def _demande(agence):
    existing = Demande.objects.filter(agence=agence).first()
    if existing:
        return existing
    utilisateur = _client_file(agence)
    return Demande.objects.create(
        agence=agence, utilisateur=utilisateur, activite=agence.activites.first(), description="Tondre la pelouse."
    )


BUILDERS = {
    Absence: lambda agence, user: AbsenceFactory(prestataire=_worker(agence)),
    Document: lambda agence, user: Document.objects.create(
        prestataire=_worker(agence),
        type="autre",
        titre="Attestation",
        fichier=ContentFile(b"%PDF-1.4\n%%EOF\n", name="attestation.pdf"),
    ),
    LectureRemarques: lambda agence, user: LectureRemarques.objects.create(prestataire=_worker(agence), user=user),
    Site: lambda agence, user: Site.objects.create(
        utilisateur=_client_file(agence), nom="Siège", rue="Rue Haute 1", code_postal="5310", commune="Éghezée"
    ),
    Contact: lambda agence, user: Contact.objects.create(
        utilisateur=_client_file(agence), nom="Lambert", prenom="Eva", email="eva@example.be"
    ),
    Demande: lambda agence, user: _demande(agence),
    Creneau: lambda agence, user: Creneau.objects.create(
        demande=_demande(agence), date=datetime.date(2026, 6, 3), debut=datetime.time(9), fin=datetime.time(12)
    ),
    ChangementStatut: lambda agence, user: ChangementStatut.objects.create(
        demande=_demande(agence), vers="en_recherche", motif="Relance."
    ),
    Invitation: lambda agence, user: Invitation.objects.create(
        utilisateur=_client_file(agence),
        email=f"invite-{agence.pk}@example.be",
        expire_le=timezone.now() + datetime.timedelta(days=7),
    ),
    RegleFraisDeplacement: lambda agence, user: RegleFraisDeplacement.objects.create(
        agence=agence, en_vigueur_du=datetime.date(2026, 1, 1), seuil_km="5", taux_km="0.30", a_charge_de="utilisateur"
    ),
    Itineraire: lambda agence, user: Itineraire.objects.create(
        depart_latitude="50.56000",
        depart_longitude="4.69500",
        arrivee_latitude="50.57000",
        arrivee_longitude="4.70000",
        mode="pied",
        minutes=20,
        km="1.50",
    ),
    GenerationFormulaires: lambda agence, user: GenerationFormulaires.objects.create(
        agence=agence, mois=datetime.date(2026, 5, 1)
    ),
    JetonCalendrier: lambda agence, user: JetonCalendrier.objects.create(
        prestataire=PrestataireFactory(agence=agence), jeton=f"jeton-{agence.pk}"
    ),
    LienConfirmation: lambda agence, user: LienConfirmation.objects.create(
        utilisateur=_client_file(agence),
        jeton_hash=f"{agence.pk:064d}",
        expire_le=timezone.now() + datetime.timedelta(days=14),
    ),
    Affectation: lambda agence, user: Affectation.objects.create(demande=_demande(agence), prestataire=_worker(agence)),
    Fermeture: lambda agence, user: Fermeture.objects.create(
        utilisateur=_client_file(agence),
        debut=datetime.date(2026, 7, 1),
        fin=datetime.date(2026, 8, 31),
        motif="Vacances d'été",
    ),
    ParametresConfidentialite: lambda agence, user: ParametresConfidentialite.objects.get_or_create(agence=agence)[0],
    # Unscoped (the superuser's): one row is enough.
    RegleLegale: lambda agence, user: RegleLegale.objects.order_by("pk").first(),
    ServicePublicEmploi: lambda agence, user: ensure_service("wallonie"),
    Group: lambda agence, user: Group.objects.create(name="Lecture"),
    Authenticator: lambda agence, user: Authenticator.objects.create(
        user=UserFactory(role=Role.COLLABORATEUR, mfa=False), type="recovery_codes", data={"seed": "x", "used_mask": 0}
    ),
    DBTaskResult: lambda agence, user: DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="ale_platform.notifications.send",
        backend_name="default",
        run_after=timezone.now(),
        exception_class_path="",
        traceback="",
        queue_name="default",
    ),
    PreferenceNotification: lambda agence, user: PreferenceNotification.objects.create(
        user=user, kind="nouvelle_demande"
    ),
    NotificationEnAttente: lambda agence, user: NotificationEnAttente.objects.create(
        user=user, kind="nouvelle_demande"
    ),
    JetonAPI: lambda agence, user: JetonAPI.objects.create(
        bureau=BureauForem.objects.first(), nom="Outil", prefixe="abcd1234", hashed_token="0" * 64, created_by=user
    ),
}


def scoped_rows(model_admin, agence):
    field = model_admin.agence_field
    qs = model_admin.model._default_manager.all()
    return qs.filter(pk=agence.pk) if field == "" else qs.filter(**{field: agence}).distinct()


def build_admin_world() -> AdminWorld:
    ctx = demo.DemoContext()
    from ale_platform.management.commands.seed_demo import SEEDERS

    for path in SEEDERS:
        __import__(path, fromlist=["seed"]).seed(ctx)
    agence_a, agence_b = ctx.agences["gembloux"], ctx.agences["eghezee"]
    superuser = UserFactory(is_superuser=True, is_staff=True, role=Role.COLLABORATEUR)
    users = {
        "anonymous": None,
        "client": UserFactory(role=Role.CLIENT),
        "prestataire": UserFactory(role=Role.PRESTATAIRE),
        "collab_a": CollaborateurFactory(agence=agence_a),
        "conseiller": ConseillerFactory().user,
        "admin_a": CollaborateurFactory(agence=agence_a, agence__admin=True),
        "admin_b": CollaborateurFactory(agence=agence_b, agence__admin=True),
        "superuser": superuser,
    }
    rows = {}
    missing = []
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, AgenceScopedAdmin):
            pair = []
            for agence in (agence_a, agence_b):
                row = scoped_rows(model_admin, agence).order_by("pk").first()
                if row is None and model in BUILDERS:
                    row = BUILDERS[model](agence, superuser)
                pair.append(row)
            if None in pair:
                missing.append(model._meta.label)
            rows[model] = tuple(pair)
        else:
            row = model._default_manager.order_by("pk").first()
            if row is None and model in BUILDERS:
                row = BUILDERS[model](agence_a, superuser)
            if row is None:
                missing.append(model._meta.label)
            rows[model] = (row, row)
    for pair in rows.values():
        for row in pair:
            # Rows loaded by a data migration have no version yet: the walk opens one.
            if row is not None and hasattr(type(row), "history") and not row.history.exists():
                row.save()
    assert not missing, f"No row in each agency for {missing}: add a builder to tests/authz/admin_world.py"
    return AdminWorld(agence_a=agence_a, agence_b=agence_b, users=users, rows=rows)
