import datetime

from django.core.files.base import ContentFile

from prestataires.models import ContratALE, Document

from .matrix import STAFF, STAFF_OBJECT_A, expect

A = STAFF_OBJECT_A


def populate(world):
    p = world.prestataire_a
    world.objects["contrat_a"], _ = ContratALE.objects.get_or_create(
        prestataire=p, defaults={"date_debut": datetime.date(2026, 11, 1)}
    )
    if "document_a" not in world.objects:
        doc = Document(prestataire=p, type=Document.Type.AUTRE, titre="Attestation")
        doc.fichier.save("attestation.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
        world.objects["document_a"] = doc


def pk(w):
    return {"pk": w.prestataire_a.pk}


def contrat(w):
    return {"pk": w.prestataire_a.pk, "contrat_pk": w.contrat_a.pk}


MATRIX = {
    "prestataires:list": expect(**STAFF),
    "prestataires:export": expect(**STAFF),
    "prestataires:export_xlsx": expect(**STAFF),
    "prestataires:create": expect(**STAFF),
    "prestataires:detail": expect(kwargs=pk, **A),
    "prestataires:edit": expect(kwargs=pk, **A),
    "prestataires:statut": expect(kwargs=pk, **A),
    "prestataires:situation_create": expect(kwargs=pk, **A),
    "prestataires:profil": expect(kwargs=pk, **A),
    "prestataires:disponibilites": expect(kwargs=pk, **A),
    "prestataires:contrat_create": expect(kwargs=pk, **A),
    "prestataires:contrat_sign": expect(kwargs=contrat, **A),
    "prestataires:contrat_pdf": expect(kwargs=contrat, **A),
    "prestataires:preuve_pdf": expect(kwargs=pk, **A),
    "prestataires:remarques": expect(kwargs=pk, **A),
    "prestataires:document_upload": expect(kwargs=pk, **A),
    # POST without an e-mail on the file: redirected back to the file with an error; B's collaborator: 404.
    "prestataires:inviter": expect(kwargs=pk, method="post", collab_a=302, collab_b=404),
    # The worker's own document (shared with them): the worker and agency A's staff may download it.
    "prestataires:document": expect(
        kwargs=lambda w: {"doc_pk": w.document_a.pk}, prestataire=200, collab_a=200, collab_b=404
    ),
    "prestataires:espace": expect(prestataire=200),
    "prestataires:espace_edit": expect(prestataire=200),
    # The worker's own generated PDFs: scoped to their file, never reachable by staff through these URLs.
    "prestataires:mon_contrat_pdf": expect(kwargs=lambda w: {"contrat_pk": w.contrat_a.pk}, prestataire=200),
    "prestataires:ma_preuve_pdf": expect(prestataire=200),
    # The walk's worker has no signed contract: no month's ALE 4 is theirs yet.
    "prestataires:mon_formulaire_pdf": expect(kwargs=lambda w: {"year": 2026, "month": 11}, prestataire=404),
}
