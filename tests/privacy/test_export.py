import io
import json
import subprocess
import tempfile
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ale_platform.privacy.models import ExportDonnees
from forem_liaison.models import Adressage
from prestataires.models import Document, LectureRemarques
from tests.factories import (
    AdressageFactory,
    CollaborateurFactory,
    PrestataireFactory,
    PrestationFactory,
    UserFactory,
    UtilisateurFactory,
)

pytestmark = pytest.mark.django_db


def _zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def _all_text(archive) -> str:
    return "\n".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".json"))


def _pdf_text(content: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        return subprocess.run(["pdftotext", handle.name, "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def agence_setup(world):
    collab = world.users["collab_a"]
    worker = PrestataireFactory(agence=world.agence_a, nom="Lejeune", prenom="Jean", remarques_sensibles="Asthme")
    other = PrestataireFactory(agence=world.agence_a, nom="Autrepersonne", prenom="Zoé")
    client = UtilisateurFactory(agence=world.agence_a, nom="Dupont", prenom="Anne")
    PrestationFactory(prestataire=worker, utilisateur=client)
    PrestationFactory(prestataire=other)
    Document.objects.create(
        prestataire=worker,
        type=Document.Type.AUTRE,
        titre="Attestation CAPAC",
        fichier=SimpleUploadedFile("attestation.txt", b"contenu de l'attestation"),
    )
    Document.objects.create(
        prestataire=other, type=Document.Type.AUTRE, titre="Autre doc", fichier=SimpleUploadedFile("x.txt", b"secret")
    )
    LectureRemarques.objects.create(prestataire=worker, user=collab)
    return collab, worker, other, client


def test_worker_export_holds_the_whole_file_and_nothing_of_another_person(client, agence_setup):
    collab, worker, other, _ = agence_setup
    client.force_login(collab)
    archive = _zip(client.post(reverse("privacy:export_prestataire", args=[worker.pk])))
    names = set(archive.namelist())
    for expected in [
        "LISEZMOI.json",
        "prestataire.json",
        "prestataire_historique.json",
        "changements_statut.json",
        "documents.json",
        "lectures_remarques_confidentielles.json",
        "prestations.json",
        "cheques.json",
        "adressages.json",
        "retours.json",
        "preuve_inscription.pdf",
    ]:
        assert expected in names
    document_files = [n for n in names if n.startswith("documents/")]
    assert len(document_files) == 1
    assert archive.read(document_files[0]) == b"contenu de l'attestation"
    record = json.loads(archive.read("prestataire.json"))[0]
    assert record["fields"]["niss"] == worker.niss
    assert json.loads(archive.read("prestataire_historique.json"))  # the creation row of the audit trail
    assert len(json.loads(archive.read("prestations.json"))) == 1
    assert len(json.loads(archive.read("lectures_remarques_confidentielles.json"))) == 1
    text = _all_text(archive)
    assert "Lejeune" in text
    assert "Autrepersonne" not in text and other.niss not in text and "Autre doc" not in text
    assert "Lejeune" in _pdf_text(archive.read("preuve_inscription.pdf"))
    log = ExportDonnees.objects.get()
    assert (log.par, log.objet_id, log.type_personne, log.personne) == (
        collab,
        worker.pk,
        "prestataire",
        "Jean Lejeune",
    )


def test_client_export_has_prestations_and_the_yearly_statement(client, agence_setup):
    collab, worker, other, utilisateur = agence_setup
    client.force_login(collab)
    archive = _zip(client.post(reverse("privacy:export_utilisateur", args=[utilisateur.pk])))
    names = set(archive.namelist())
    assert {
        "utilisateur.json",
        "utilisateur_historique.json",
        "prestations.json",
        "cheques.json",
        "demandes.json",
    } <= names
    assert any(n.startswith("releves/") and n.endswith(".pdf") for n in names)
    text = _all_text(archive)
    assert "Dupont" in text and "Autrepersonne" not in text
    assert len(json.loads(archive.read("prestations.json"))) == 1
    assert ExportDonnees.objects.filter(type_personne="utilisateur", objet_id=utilisateur.pk, par=collab).exists()


def test_referral_export_gathers_the_referrals_of_the_same_person_only(client, world):
    collab = world.users["collab_a"]
    first = AdressageFactory(agence=world.agence_a, nom="Martin", prenom="Léa")
    Adressage.objects.filter(pk=first.pk).update(etat="cloture", issue="emploi")
    second = AdressageFactory(agence=world.agence_a, nom="Martin", prenom="Léa", niss=first.niss)
    stranger = AdressageFactory(agence=world.agence_a, nom="Inconnu")
    client.force_login(collab)
    archive = _zip(client.post(reverse("privacy:export_adressage", args=[second.pk])))
    rows = json.loads(archive.read("adressages.json"))
    assert {r["pk"] for r in rows} == {first.pk, second.pk}
    assert "Inconnu" not in _all_text(archive) and stranger.niss not in _all_text(archive)


def test_superuser_exports_any_agency_and_a_get_is_refused(client, world):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    url = reverse("privacy:export_prestataire", args=[world.objects["prestataire_b"].pk])
    assert client.get(url).status_code == 405
    assert ExportDonnees.objects.count() == 0
    _zip(client.post(url))
    assert ExportDonnees.objects.get().par == admin


def test_collaborator_of_another_agency_gets_404_and_nothing_is_logged(client, world):
    outsider = CollaborateurFactory(agence=world.agence_b)
    client.force_login(outsider)
    response = client.post(reverse("privacy:export_prestataire", args=[world.objects["prestataire_a"].pk]))
    assert response.status_code == 404
    assert ExportDonnees.objects.count() == 0
