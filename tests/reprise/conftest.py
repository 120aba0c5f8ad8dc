import csv
import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ale_platform.identifiers import build_bce, build_niss, format_niss
from ale_platform.models import TypeUtilisateur
from tests.factories import ActiviteFactory, AgenceFactory, CollaborateurFactory


def niss(n: int, birth=datetime.date(1975, 4, 1)) -> str:
    return build_niss(birth + datetime.timedelta(days=n), 3 + 2 * (n % 400))


def bce(n: int) -> str:
    return build_bce(3_000_000 + n)


def xlsx(rows: list[list], name="fichier.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def csv_file(rows: list[list], name="fichier.csv", encoding="utf-8") -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding))


WORKER_HEADERS = ["Nom", "Prénom", "N° NISS", "Adresse", "CP", "Localité", "GSM", "IBAN", "Activités"]


def worker_rows(count: int, activite="Jardinage", start=0) -> list[list]:
    return [
        [f"Nom{i}", f"Prénom{i}", format_niss(niss(i)), f"Rue {i}", "5030", "Gembloux", "0470 00 00 00", "", activite]
        for i in range(start, start + count)
    ]


@pytest.fixture
def agence(db):
    agence = AgenceFactory(nom="ALE de Gembloux")
    ActiviteFactory(agence=agence, nom="Jardinage", types_utilisateurs=list(TypeUtilisateur.values))
    ActiviteFactory(agence=agence, nom="Garde d'enfants", types_utilisateurs=[TypeUtilisateur.PARTICULIER])
    return agence


@pytest.fixture
def admin(agence):
    return CollaborateurFactory(agence__admin=True, agence=agence)


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """The background tasks enqueued after commit run at once (immediate backend in the tests)."""

    def run(callable_, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return callable_(*args, **kwargs)

    return run


@pytest.fixture
def wizard(admin_client, run_tasks):
    """Walks the wizard through its views: deposit, guessed columns, analysis, and (optionally) confirmation."""
    from django.urls import reverse

    from reprise.models import Reprise

    def walk(agence, upload, entite="prestataires", confirm=True, mapping=None, client=None):
        client = client or admin_client
        response = client.post(reverse("reprise:index"), {"agence": agence.pk, "entite": entite, "fichier": upload})
        assert response.status_code == 302, response.content.decode()[:2000]
        reprise = Reprise.objects.order_by("-pk").first()
        data = {f"col_{i}": v for i, v in (mapping or reprise.correspondance).items()}
        response = run_tasks(client.post, reverse("reprise:correspondance", args=[reprise.pk]), data)
        assert response.status_code == 302, response.content.decode()[:2000]
        if confirm:
            run_tasks(client.post, reverse("reprise:confirmer", args=[reprise.pk]))
        reprise.refresh_from_db()
        return reprise

    return walk


def results(reprise) -> list[str]:
    return [ligne["statut"] for ligne in reprise.lignes]


def errors(reprise) -> dict[int, dict]:
    return {ligne["numero"]: ligne["erreurs"] for ligne in reprise.lignes if ligne["erreurs"]}
