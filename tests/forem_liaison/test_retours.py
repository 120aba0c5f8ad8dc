"""Feedback to the adviser: facts from the platform, drafts, publication (immutable), e-mail, replies, PDF."""

import datetime
import subprocess
from decimal import Decimal
from html import unescape

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from forem_liaison import services
from forem_liaison.faits import compute_faits
from forem_liaison.models import RetourAdressage
from prestataires.models import Prestataire

from .factories import (
    AdressageFactory,
    AgenceFactory,
    CollaborateurFactory,
    ConseillerFactory,
    PrestataireFactory,
    PrestationFactory,
    draft_retour,
    move,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    agence = AgenceFactory(nom="ALE de Gembloux")
    collab = CollaborateurFactory(agence=agence, first_name="Sophie", last_name="Lambert")
    conseiller = ConseillerFactory()
    adressage = AdressageFactory(agence=agence, conseiller=conseiller, nom="Gilson", prenom="Kevin")
    prestataire = PrestataireFactory(
        agence=agence, niss=adressage.niss, telephone="0470 99 88 77", rue="Rue Secrète 13", organisme_paiement="cpas"
    )
    adressage = move(
        adressage, "convoque", "absent", "convoque", "entretien", "inscrit", acting_user=collab, prestataire=prestataire
    )
    return agence, collab, conseiller, adressage, prestataire


def test_facts_count_appointments_and_hours_per_month_against_45_hours(setup):
    agence, collab, conseiller, adressage, prestataire = setup
    today = timezone.localdate()
    this_month = today.replace(day=1)
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
    for day in range(1, 16):  # 15 × 3 h = 45 h done last month
        PrestationFactory(prestataire=prestataire, date=last_month + datetime.timedelta(days=day - 1), heures=3)
    PrestationFactory(prestataire=prestataire, date=this_month, heures=4)
    PrestationFactory(prestataire=prestataire, date=this_month, heures=8, statut="planifiee")  # not done
    faits = compute_faits(adressage, last_month, today)
    assert faits["rendez_vous_honores"] == 1
    assert faits["rendez_vous_manques"] == 1
    assert faits["heures_par_mois"] == [
        {"mois": last_month.strftime("%Y-%m"), "heures": "45.00", "seuil_atteint": True},
        {"mois": this_month.strftime("%Y-%m"), "heures": "4.00", "seuil_atteint": False},
    ]
    assert faits["prestations_refusees"] == 0 and faits["refus"] == []
    assert faits["regularite"]["prestations_effectuees"] == 16
    # Only these facts, nothing from the worker's file.
    assert set(faits) == {
        "rendez_vous_honores",
        "rendez_vous_manques",
        "inscrit_ale",
        "heures_par_mois",
        "heures_toutes_ale",
        "seuil_heures",
        "regularite",
        "prestations_refusees",
        "refus",
    }
    assert Decimal(faits["seuil_heures"]) == 45


def test_publishing_freezes_the_facts_and_e_mails_the_adviser_after_commit(setup, django_capture_on_commit_callbacks):
    agence, collab, conseiller, adressage, prestataire = setup
    retour = draft_retour(adressage, collab)
    assert retour.statut == "brouillon" and retour.faits == {}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        retour = services.publish_retour(retour=retour, acting_user=collab)
    assert mail.outbox == []  # nothing sent before the commit
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [conseiller.user.email]
    assert f"adressage n° {adressage.pk}" in message.subject
    assert "Gilson" not in message.subject + message.body  # a link, not the details (docs/privacy.md)
    assert reverse("forem_liaison:detail", args=[adressage.pk]) in message.body
    retour.refresh_from_db()
    assert retour.statut == "publie" and retour.publie_le is not None
    assert retour.faits["rendez_vous_manques"] == 1
    adressage.refresh_from_db()
    assert adressage.dernier_retour_le == timezone.localdate()


def test_a_published_entry_is_immutable_and_a_correction_is_a_new_entry(setup, django_capture_on_commit_callbacks):
    agence, collab, conseiller, adressage, prestataire = setup
    with django_capture_on_commit_callbacks(execute=True):
        retour = services.publish_retour(retour=draft_retour(adressage, collab), acting_user=collab)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        services.update_retour(retour=retour, periode_debut=today, periode_fin=today, texte="Autre", acting_user=collab)
    assert "publiez une correction" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        services.publish_retour(retour=retour, acting_user=collab)
    retour.texte = "Modifié en douce"
    with pytest.raises(ValidationError):
        retour.save()
    with pytest.raises(ValidationError):
        retour.delete()
    # Even a bulk update bypassing save() is refused by the database (trigger).
    with pytest.raises(DatabaseError), transaction.atomic():
        RetourAdressage.objects.filter(pk=retour.pk).update(texte="Modifié en SQL")
    retour.refresh_from_db()
    assert retour.texte.startswith("Ponctuel")
    correction = services.create_retour(
        adressage=adressage,
        periode_debut=retour.periode_debut,
        periode_fin=retour.periode_fin,
        texte="Correction : deux absences non signalées.",
        corrige=retour,
        acting_user=collab,
    )
    assert correction.corrige == retour and correction.statut == "brouillon"


def test_the_edit_page_of_a_published_entry_refuses_in_french(client, setup, django_capture_on_commit_callbacks):
    agence, collab, conseiller, adressage, prestataire = setup
    with django_capture_on_commit_callbacks(execute=True):
        retour = services.publish_retour(retour=draft_retour(adressage, collab), acting_user=collab)
    client.force_login(collab)
    response = client.post(
        reverse("forem_liaison:retour_edit", args=[retour.pk]),
        {"periode_debut": "2026-01-01", "periode_fin": "2026-01-31", "texte": "x"},
        follow=True,
    )
    assert "Un retour publié ne peut plus être modifié : publiez une correction." in response.text
    retour.refresh_from_db()
    assert retour.texte.startswith("Ponctuel")


def test_adviser_sees_published_entries_only_and_replies(client, setup, django_capture_on_commit_callbacks):
    agence, collab, conseiller, adressage, prestataire = setup
    with django_capture_on_commit_callbacks(execute=True):
        published = services.publish_retour(retour=draft_retour(adressage, collab), acting_user=collab)
    draft_retour(adressage, collab, texte="Brouillon interne à ne pas montrer")
    client.force_login(conseiller.user)
    page = client.get(adressage.get_absolute_url()).text
    assert "Ponctuel et motivé" in page
    assert "Brouillon interne" not in page
    assert "Rue Secrète" not in page and "0470 99 88 77" not in page
    client.post(reverse("forem_liaison:retour_reply", args=[published.pk]), {"texte": "Merci, je le vois jeudi."})
    assert published.reponses.get().auteur == conseiller.user
    # Another adviser can neither read nor reply.
    other = ConseillerFactory(bureau=conseiller.bureau)
    with pytest.raises(PermissionDenied):
        services.reply_to_retour(retour=published, texte="Intrus", acting_user=other.user)


def test_pdf_report_lists_published_feedback_and_nothing_sensitive(
    client, setup, django_capture_on_commit_callbacks, tmp_path
):
    agence, collab, conseiller, adressage, prestataire = setup
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_retour(retour=draft_retour(adressage, collab), acting_user=collab)
    draft_retour(adressage, collab, texte="Brouillon interne à ne pas montrer")
    client.force_login(conseiller.user)
    response = client.get(reverse("forem_liaison:rapport_pdf", args=[adressage.pk]))
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "rapport.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(  # noqa: S603
        ["pdftotext", str(path), "-"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Rapport d'adressage — Kevin Gilson" in text
    assert "ALE de Gembloux" in text
    assert "Ponctuel et motivé" in text
    assert "Rendez-vous à l'ALE" in text and "1 manqué" in text
    assert "Engagement" not in text
    assert "Brouillon interne" not in text
    assert "Rue Secrète" not in text and "0470 99 88 77" not in text and "CPAS" not in text


def test_feedback_before_the_first_convocation_is_refused(setup):
    agence, collab, conseiller, adressage, prestataire = setup
    fresh = AdressageFactory(agence=agence)
    with pytest.raises(ValidationError) as exc:
        draft_retour(fresh, collab)
    assert "après la convocation" in exc.value.messages[0]


def test_hours_are_the_persons_in_every_ale_but_nothing_else_of_the_other_files(setup, client):
    """The 45 h threshold counts the person's hours (same NISS, any agency, any file), like the caps; the rest of
    the facts is the referral's file's, and nothing of the other agency's work shows but the month's total."""
    agence, collab, conseiller, adressage, prestataire = setup
    ailleurs = AgenceFactory(nom="ALE de Namur-Secrète")
    twin = PrestataireFactory(agence=ailleurs, niss=prestataire.niss)
    other_person = PrestataireFactory(agence=agence)
    month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    month = month.replace(day=1)
    for day in range(5):  # 5 × 6 h here, 5 × 4 h in the other agency: 50 h for the person
        PrestationFactory(prestataire=prestataire, date=month + datetime.timedelta(days=day), heures=6)
        PrestationFactory(prestataire=twin, date=month + datetime.timedelta(days=day + 7), heures=4)
        PrestationFactory(prestataire=other_person, date=month + datetime.timedelta(days=day), heures=8)
    PrestationFactory(
        prestataire=twin, date=month + datetime.timedelta(days=20), heures=3, statut="absence", absence_de="prestataire"
    )
    faits = compute_faits(adressage, month, month + datetime.timedelta(days=27))
    assert faits["heures_par_mois"] == [{"mois": month.strftime("%Y-%m"), "heures": "50.00", "seuil_atteint": True}]
    assert faits["heures_toutes_ale"] is True
    assert faits["regularite"]["prestations_effectuees"] == 5 and faits["regularite"]["absences"] == 0
    # Published, the adviser reads the person's total, labelled as such, and nothing of the other agency.
    retour = services.create_retour(
        adressage=adressage,
        periode_debut=month,
        periode_fin=month + datetime.timedelta(days=27),
        texte="Travail régulier.",
        acting_user=collab,
    )
    services.publish_retour(retour=retour, acting_user=collab)
    client.force_login(conseiller.user)
    page = unescape(client.get(reverse("forem_liaison:detail", args=[adressage.pk])).text)
    assert "Heures prestées par mois, toutes ALE confondues" in page and "50 h (seuil de 45 h atteint)" in page
    assert "Namur-Secrète" not in page
    # A file without a NISS counts alone (anonymised files share an empty one).
    Prestataire.objects.filter(pk__in=[prestataire.pk, twin.pk]).update(niss="")
    alone = compute_faits(adressage, month, month + datetime.timedelta(days=27))
    assert alone["heures_par_mois"][0]["heures"] == "30.00"


def test_facts_frozen_before_the_persons_hours_keep_their_label(setup):
    from forem_liaison.faits import lines

    old = {"inscrit_ale": True, "heures_par_mois": [{"mois": "2026-03", "heures": "12.00", "seuil_atteint": False}]}
    labels = [row["label"] for row in lines(old)]
    assert "Heures prestées par mois" in labels
    assert "Heures prestées par mois, toutes ALE confondues" not in labels
