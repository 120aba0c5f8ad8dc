"""An uploaded document is what the form promises (PDF, JPEG or PNG) by its content, not only by its name."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ale_platform.uploads import DOCUMENT_MAX_BYTES
from prestataires.models import Document

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + b"\x00" * 32
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture
def upload(client, world):
    client.force_login(world.users["collab_a"])
    url = reverse("prestataires:document_upload", args=[world.prestataire_a.pk])

    def post(name, content):
        return client.post(url, {"type": "autre", "titre": "Pièce", "fichier": SimpleUploadedFile(name, content)})

    return post


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("x.pdf", b"<html><script>alert(document.cookie)</script></html>"),
        ("photo.png", JPEG),
        ("scan.jpg", PDF),
        ("vide.pdf", b""),
        ("x.pdf", b"MZ\x90\x00\x03" + b"\x00" * 64),
    ],
)
def test_a_file_whose_content_is_not_its_type_is_refused_with_a_message(upload, name, content):
    response = upload(name, content)
    assert response.status_code == 200
    assert response.context["form"].errors["fichier"]
    assert not Document.objects.exists()


@pytest.mark.parametrize(("name", "content"), [("a.pdf", PDF), ("b.PNG", PNG), ("c.jpeg", JPEG), ("d.jpg", JPEG)])
def test_real_pdf_jpeg_and_png_are_kept(upload, name, content):
    assert upload(name, content).status_code == 302
    assert Document.objects.count() == 1


def test_a_file_over_the_limit_is_refused(upload):
    response = upload("gros.pdf", PDF + b"0" * DOCUMENT_MAX_BYTES)
    assert response.context["form"].errors["fichier"] == ["Le fichier dépasse 10 Mo."]
