import datetime
import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from tests.factories import ActiviteFactory

from .matrix import EVERYONE, STAFF, STAFF_OBJECT_A, expect

ZIP = "formulaires/authz-walk.zip"
LIEN = "lien-de-confirmation-du-walk"  # a no-login link: it answers everyone (its token is the only key)
# A POST with an empty form: agency A's collaborator sees the form again with its errors (400).
FORM_A = {"collab_a": 400, "collab_b": 404}
REDIRECT_A = {"collab_a": 302, "collab_b": 404}


def populate(world):
    from prestations.models import (
        Affectation,
        ChequeALE,
        GenerationFormulaires,
        JetonCalendrier,
        LienConfirmation,
        Prestation,
    )
    from prestations.services.liens import fingerprint
    from utilisateurs.models import Demande

    activite = ActiviteFactory(agence=world.agence_a)
    prestation = Prestation.objects.create(
        agence=world.agence_a,
        prestataire=world.prestataire_a,
        utilisateur=world.utilisateur_a,
        activite=activite,
        date=datetime.date.today() - datetime.timedelta(days=1),
        debut=datetime.time(9),
        fin=datetime.time(12),
        heures=3,
        statut="planifiee",
    )
    done = Prestation.objects.create(
        agence=world.agence_a,
        prestataire=world.prestataire_a,
        utilisateur=world.utilisateur_a,
        activite=activite,
        date=datetime.date.today() - datetime.timedelta(days=2),
        debut=datetime.time(9),
        fin=datetime.time(12),
        heures=3,
        statut="effectuee",
    )
    cheque = ChequeALE.objects.create(
        agence=world.agence_a, numero=f"{9_000_000_000 + prestation.pk}", utilisateur=world.utilisateur_a, valeur=6
    )
    if not default_storage.exists(ZIP):
        default_storage.save(ZIP, ContentFile(b"PK\x05\x06" + b"\x00" * 18))
    generation = GenerationFormulaires.objects.create(
        agence=world.agence_a, mois=datetime.date(2026, 3, 1), statut="terminee", total=1, faits=1, fichier=ZIP
    )
    LienConfirmation.objects.create(
        utilisateur=world.utilisateur_a,
        jeton_hash=hashlib.sha256(LIEN.encode()).hexdigest(),
        empreintes={str(prestation.pk): fingerprint(prestation)},
        expire_le=timezone.now() + datetime.timedelta(days=365),
    )
    jeton, _ = JetonCalendrier.objects.update_or_create(
        prestataire=world.prestataire_a, defaults={"jeton": f"jeton-secret-{prestation.pk}"}
    )
    demande = Demande.objects.create(
        agence=world.agence_a, utilisateur=world.utilisateur_a, activite=activite, description="Tonte"
    )
    affectation = Affectation.objects.create(demande=demande, prestataire=world.prestataire_a)
    world.objects.update(
        demande_match_a=demande,
        affectation_a=affectation,
        prestation_a=prestation,
        prestation_done_a=done,
        cheque_a=cheque,
        generation_a=generation,
        jeton_a=jeton,
    )


def pk(name):
    return lambda w: {"pk": getattr(w, name).pk}


MATRIX = {
    "prestations:list": expect(**STAFF),
    "prestations:create": expect(**STAFF),
    "prestations:detail": expect(kwargs=pk("prestation_a"), **STAFF_OBJECT_A),
    "prestations:hours": expect(kwargs=pk("prestation_a"), method="post", **FORM_A),
    "prestations:validate": expect(kwargs=pk("prestation_done_a"), method="post", **REDIRECT_A),
    "prestations:attach": expect(kwargs=pk("prestation_done_a"), method="post", **FORM_A),
    "prestations:move": expect(kwargs=pk("prestation_a"), method="post", **FORM_A),
    "prestations:cancel": expect(kwargs=pk("prestation_a"), method="post", **FORM_A),
    # An undo answers only with the token its action gave that user (ale_platform/undo.py): 404 without it.
    "prestations:cancel_undo": expect(kwargs=pk("prestation_a"), method="post", collab_a=404, collab_b=404),
    "prestations:no_show": expect(kwargs=pk("prestation_a"), method="post", **FORM_A),
    "prestations:distance": expect(
        kwargs=pk("prestation_a"), method="post", data=lambda w: {"distance-distance_km": "loin"}, **FORM_A
    ),
    "prestations:planning": expect(**STAFF),
    "prestations:planning_prestataire": expect(kwargs=pk("prestataire_a"), **STAFF_OBJECT_A),
    "prestations:ical_token": expect(kwargs=pk("prestataire_a"), method="post", **REDIRECT_A),
    "prestations:ical": expect(kwargs=lambda w: {"token": w.jeton_a.jeton}, **EVERYONE),
    "prestations:cheques": expect(**STAFF),
    "prestations:cheque_create": expect(**STAFF),
    "prestations:a_regulariser": expect(**STAFF),
    "prestations:cheque_detail": expect(kwargs=pk("cheque_a"), **STAFF_OBJECT_A),
    "prestations:formulaires": expect(**STAFF),
    "prestations:formulaire_pdf": expect(
        kwargs=lambda w: {"pk": w.prestataire_a.pk, "year": 2026, "month": 3}, **STAFF_OBJECT_A
    ),
    "prestations:releve_pdf": expect(kwargs=lambda w: {"organisme": "capac", "year": 2026, "month": 3}, **STAFF),
    "prestations:generation_start": expect(
        method="post", data=lambda w: {"mois": "2026-03"}, collab_a=302, collab_b=302
    ),
    "prestations:generation": expect(kwargs=pk("generation_a"), **STAFF_OBJECT_A),
    "prestations:generation_zip": expect(kwargs=pk("generation_a"), **STAFF_OBJECT_A),
    "prestations:client": expect(client=200),
    "prestations:client_confirm": expect(kwargs=pk("prestation_a"), method="post", client=302),
    "prestations:mes_prestations": expect(prestataire=200),
    "prestations:client_dispute": expect(kwargs=pk("prestation_a"), method="post", client=302),
    "prestations:lien": expect(kwargs=lambda w: {"token": LIEN}, **EVERYONE),
    "prestations:declarer": expect(prestataire=200),
    "prestations:declarer_une": expect(kwargs=pk("prestation_a"), method="post", prestataire=400),
    "prestations:ma_feuille": expect(prestataire=200),
    "prestations:cloture": expect(**STAFF),
    "prestations:cloture_valider": expect(method="post", collab_a=302, collab_b=302),
    "prestations:cloture_prestataire": expect(kwargs=pk("prestataire_a"), **STAFF_OBJECT_A),
    "prestations:declarer_pour": expect(
        kwargs=lambda w: {"pk": w.prestataire_a.pk, "prestation": w.prestation_a.pk}, method="post", **FORM_A
    ),
    "prestations:confirmer_pour": expect(kwargs=pk("prestation_a"), method="post", **REDIRECT_A),
    "prestations:feuille": expect(
        kwargs=lambda w: {"pk": w.prestataire_a.pk, "year": 2026, "month": 3}, **STAFF_OBJECT_A
    ),
    "prestations:cheques_par_plage": expect(**STAFF),
    "prestations:matching": expect(kwargs=pk("demande_match_a"), **STAFF_OBJECT_A),
    "prestations:assign": expect(kwargs=pk("demande_match_a"), method="post", **REDIRECT_A),
    "prestations:plan": expect(kwargs=pk("demande_match_a"), method="post", **REDIRECT_A),
    "prestations:decline": expect(
        kwargs=pk("affectation_a"), method="post", data=lambda w: {"confirme": "1"}, **REDIRECT_A
    ),
    "prestations:mes_affectations": expect(prestataire=200),
    "prestations:mon_refus": expect(
        kwargs=pk("affectation_a"), method="post", data=lambda w: {"confirme": "1"}, prestataire=302
    ),
    # The Brussels prior interview (agency A is Walloon: refused with a message, then back to matching).
    "prestations:entretien": expect(
        kwargs=pk("affectation_a"), method="post", data=lambda w: {"le": "2026-01-05"}, **REDIRECT_A
    ),
    "prestations:decline_undo": expect(kwargs=pk("affectation_a"), method="post", collab_a=404, collab_b=404),
    "prestations:mon_refus_undo": expect(kwargs=pk("affectation_a"), method="post", prestataire=404),
}
