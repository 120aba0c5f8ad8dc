"""Documents stored privately and served by an access-checked view; confidential remarks with a read log."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from prestataires.models import Document, LectureRemarques
from tests.factories import PrestataireFactory


def test_upload_then_download_with_access_control(staff, world, settings):
    p = world.prestataire_a
    url = reverse("prestataires:document_upload", kwargs={"pk": p.pk})
    bad = staff.post(url, {"type": "autre", "titre": "Virus", "fichier": SimpleUploadedFile("x.exe", b"MZ")})
    assert "PDF, JPEG ou PNG" in " ".join(bad.context["form"].errors["fichier"])
    upload = SimpleUploadedFile("attestation-capac.pdf", b"%PDF-1.4 attestation", content_type="application/pdf")
    response = staff.post(
        url,
        {"type": "preuve_eligibilite", "titre": "Attestation CAPAC", "fichier": upload, "visible_prestataire": "on"},
    )
    assert response.status_code == 302
    doc = Document.objects.get(prestataire=p)
    assert not settings.MEDIA_URL or not doc.fichier.name.startswith("http")
    download = reverse("prestataires:document", kwargs={"doc_pk": doc.pk})
    assert b"".join(staff.get(download).streaming_content) == b"%PDF-1.4 attestation"
    worker = Client()
    worker.force_login(world.users["prestataire"])
    assert worker.get(download).status_code == 200
    other_worker_file = PrestataireFactory(agence=world.agence_a)
    doc.prestataire = other_worker_file
    doc.save()
    assert worker.get(download).status_code == 404
    other = Client()
    other.force_login(world.users["collab_b"])
    assert other.get(download).status_code == 404


def test_hidden_document_is_not_served_to_the_worker(staff, world):
    p = world.prestataire_a
    staff.post(
        reverse("prestataires:document_upload", kwargs={"pk": p.pk}),
        {"type": "autre", "titre": "Note interne", "fichier": SimpleUploadedFile("n.pdf", b"%PDF")},
    )
    doc = Document.objects.get(prestataire=p)
    assert doc.visible_prestataire is False
    worker = Client()
    worker.force_login(world.users["prestataire"])
    assert worker.get(reverse("prestataires:document", kwargs={"doc_pk": doc.pk})).status_code == 404


def test_confidential_remarks_are_logged_and_kept_out_of_the_history(staff, world):
    p = world.prestataire_a
    url = reverse("prestataires:remarques", kwargs={"pk": p.pk})
    staff.post(url, {"remarques_sensibles": "Allergie aux piqûres de guêpe."})
    p.refresh_from_db()
    assert p.remarques_sensibles == "Allergie aux piqûres de guêpe."
    page = staff.get(url)
    assert "Allergie aux piqûres" in page.text
    assert LectureRemarques.objects.filter(prestataire=p, user=world.users["collab_a"]).count() == 1
    detail = staff.get(reverse("prestataires:detail", kwargs={"pk": p.pk}))
    assert "Allergie" not in detail.text  # not on the file, not in its history
    assert not hasattr(p.history.first(), "remarques_sensibles")


def test_superuser_and_advisers_never_read_confidential_remarks(world):
    from tests.factories import UserFactory

    url = reverse("prestataires:remarques", kwargs={"pk": world.prestataire_a.pk})
    for user in (world.users["conseiller"], UserFactory(is_superuser=True, mfa=True)):
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code in (403, 404)
    assert not LectureRemarques.objects.exists()
