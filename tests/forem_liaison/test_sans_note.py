"""Feedback without scores: facts and words, declines with their reason, read in Belgian French.

The rule (ale-rules.md, "Fear of sanctions"): ALEs feared that feedback on the people the Forem refers would be used
to sanction them; the minister answered that this is not the aim (plateformedesalewallonnes.be, editorial,
27.10.2023). Feedback therefore describes facts and engagement in words and never scores a person.
"""

import datetime
import html
import re
import subprocess

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ale_platform.models import Activite, Role
from forem_liaison import faits as facts
from forem_liaison import services
from forem_liaison.api import RetourOut
from forem_liaison.forms import RetourForm
from forem_liaison.models import RetourAdressage
from prestations.models import Affectation
from tests.factories import ActiviteFactory, UserFactory, UtilisateurFactory
from utilisateurs.models import Demande

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

SCORE_WORDS = ("Engagement", "engagement", "Très faible", "Très bon", "Note ")
# A mark out of five ("3/5", "4 / 5"); not a path such as "/adressages/5…" (ids differ by database).
OUT_OF_FIVE = re.compile(r"\d\s?/\s?5\b")


@pytest.fixture
def setup():
    agence = AgenceFactory(nom="ALE de Gembloux")
    collab = CollaborateurFactory(agence=agence, first_name="Sophie", last_name="Lambert")
    conseiller = ConseillerFactory()
    adressage = AdressageFactory(agence=agence, conseiller=conseiller, nom="Gilson", prenom="Kevin")
    prestataire = PrestataireFactory(agence=agence, niss=adressage.niss)
    adressage = move(adressage, "convoque", "entretien", "inscrit", acting_user=collab, prestataire=prestataire)
    return agence, collab, conseiller, adressage, prestataire


def decline(prestataire, motif, when, activite="Jardinage"):
    agence = prestataire.agence
    demande = Demande.objects.create(
        agence=agence,
        utilisateur=UtilisateurFactory(agence=agence),
        activite=Activite.objects.filter(agence=agence, nom=activite).first()
        or ActiviteFactory(agence=agence, nom=activite),
        description="Tonte",
    )
    return Affectation.objects.create(
        demande=demande, prestataire=prestataire, statut="declinee", motif_refus=motif, declinee_le=when
    )


def publish(retour, collab, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.publish_retour(retour=retour, acting_user=collab)


def test_feedback_never_scores_a_person_because_ales_feared_sanctions(
    setup, client, django_capture_on_commit_callbacks, tmp_path
):
    """Rule "no score" (fear of sanctions, plateformedesalewallonnes.be 27.10.2023): nothing stores, asks for,
    shows, sends or serves a score of the person: not the model, the staff's form, the adviser's page, the PDF,
    the e-mail nor the API."""
    agence, collab, conseiller, adressage, prestataire = setup
    field_names = {f.name for f in RetourAdressage._meta.get_fields()}
    assert not field_names & {"engagement", "note", "score", "niveau"}
    assert list(RetourForm().fields) == ["periode_debut", "periode_fin", "texte"]
    assert not {"engagement", "engagement_libelle"} & set(RetourOut.model_fields)

    client.force_login(collab)
    form_page = client.get(reverse("forem_liaison:retour_create", args=[adressage.pk])).text
    assert "<select" not in form_page and 'type="number"' not in form_page
    assert "sans note ni appréciation chiffrée" in form_page

    publish(draft_retour(adressage, collab), collab, django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    client.force_login(conseiller.user)
    page = client.get(adressage.get_absolute_url()).text
    pdf = tmp_path / "rapport.pdf"
    pdf.write_bytes(client.get(reverse("forem_liaison:rapport_pdf", args=[adressage.pk])).content)
    pdf_text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    for text in (page, pdf_text, message.body):
        assert not [w for w in SCORE_WORDS if w in text] and not OUT_OF_FIVE.search(text), text
    assert "Ponctuel et motivé" in page and "Ponctuel et motivé" in pdf_text


def test_adviser_reads_facts_in_belgian_french_with_declines_and_their_reason(
    setup, client, django_capture_on_commit_callbacks
):
    agence, collab, conseiller, adressage, prestataire = setup
    today = timezone.localdate()
    this_month = today.replace(day=1)
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
    PrestationFactory(prestataire=prestataire, date=this_month, heures="12.5")
    PrestationFactory(prestataire=prestataire, date=this_month, heures=3, statut="absence", absence_de="prestataire")
    in_period = timezone.make_aware(datetime.datetime.combine(this_month, datetime.time(10)))
    decline(prestataire, "Trop loin sans voiture", in_period)
    decline(prestataire, "Ancien refus", in_period - datetime.timedelta(days=90))  # before the period
    decline(PrestataireFactory(agence=agence), "Refus d'une autre personne", in_period)
    retour = services.create_retour(
        adressage=adressage,
        periode_debut=last_month,
        periode_fin=today,
        texte="Kevin prévient quand il ne peut pas venir.",
        acting_user=collab,
    )
    (mine,) = facts.declines(prestataire.pk, last_month, today)
    services.review_decline_reasons(retour=retour, motifs={mine.pk: "Trop loin sans voiture"}, acting_user=collab)
    publish(retour, collab, django_capture_on_commit_callbacks)
    retour.refresh_from_db()
    assert retour.faits["prestations_refusees"] == 1
    assert retour.faits["refus"] == [
        {"le": this_month.isoformat(), "activite": "Jardinage", "motif": "Trop loin sans voiture"}
    ]
    assert retour.faits["regularite"]["absences"] == 1

    client.force_login(conseiller.user)
    page = client.get(adressage.get_absolute_url()).text
    month_names = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                   "novembre", "décembre"]  # fmt: skip
    last, this = month_names[last_month.month - 1], month_names[this_month.month - 1]
    assert f"{last} {last_month.year} : 0 h (seuil de 45 h non atteint)" in page
    assert f"{this} {this_month.year} : 12,5 h (seuil de 45 h non atteint)" in page
    assert f"{this_month:%d/%m/%Y}, Jardinage : « Trop loin sans voiture »" in page
    assert "Absences à des prestations prévues : 1" in page and "Prestations effectuées : 1" in page
    assert "Semaines avec au moins une prestation : 1 sur " in page
    assert "Ancien refus" not in page and "autre personne" not in page
    assert "Non disponible" not in page and ".00 h" not in page and f"{this_month:%Y-%m}" not in page


def test_facts_frozen_before_declines_were_reported_read_as_a_whole_sentence():
    legacy = {
        "rendez_vous_honores": 1,
        "rendez_vous_manques": 0,
        "inscrit_ale": True,
        "heures_par_mois": [{"mois": "2026-09", "heures": "0.00", "seuil_atteint": False}],
        "seuil_heures": "45",
        "prestations_refusees": None,
    }
    rows = {row["label"]: row["items"] for row in facts.lines(legacy)}
    assert rows["Heures prestées par mois"] == ["septembre 2026 : 0 h (seuil de 45 h non atteint)"]
    assert rows["Prestations refusées"] == ["Non incluses dans ce retour (publié avant leur suivi par la plateforme)."]
    assert rows["Rendez-vous à l'ALE"] == ["1 honoré, aucun manqué"]
    assert "Régularité" not in rows  # not frozen then: not shown, not invented
    assert facts.heures("45.00") == "45 h" and facts.heures("2.25") == "2,25 h"


def test_the_worker_reads_the_published_feedback_and_replies_about_them_and_nothing_else(
    setup, django_capture_on_commit_callbacks
):
    agence, collab, conseiller, adressage, prestataire = setup
    worker = UserFactory(role=Role.PRESTATAIRE)
    prestataire.compte = worker
    prestataire.save()
    publish(draft_retour(adressage, collab, texte="Kevin prévient quand il ne peut pas venir."), collab,
            django_capture_on_commit_callbacks)  # fmt: skip
    draft_retour(adressage, collab, texte="Brouillon interne à ne pas montrer")
    other = AdressageFactory(agence=agence)
    other = move(other, "convoque", "entretien", acting_user=collab)
    publish(draft_retour(other, collab, texte="Retour sur une autre personne"), collab,
            django_capture_on_commit_callbacks)  # fmt: skip
    services.reply_to_retour(
        retour=RetourAdressage.objects.get(adressage=adressage, statut="publie"),
        texte="Échange interne entre le Forem et l'ALE",
        acting_user=conseiller.user,
    )

    client = Client()
    client.force_login(worker)
    space = html.unescape(client.get(reverse("prestataires:espace")).text)
    assert (
        "Votre suivi avec votre service de l'emploi (Forem)" in space and reverse("forem_liaison:mes_retours") in space
    )
    page = client.get(reverse("forem_liaison:mes_retours"))
    assert page.status_code == 200
    assert "Kevin prévient quand il ne peut pas venir." in page.text
    assert "Heures prestées par mois" in page.text
    assert "Échange interne entre le Forem et l&#x27;ALE" in page.text  # the adviser reads it: so does the person
    for hidden in ("Brouillon interne", "autre personne"):
        assert hidden not in page.text
    assert [a.pk for a in page.context["adressages"]] == [adressage.pk]

    # A worker who was never referred sees no such section, and an empty page that says so.
    stranger = UserFactory(role=Role.PRESTATAIRE)
    PrestataireFactory(agence=agence, compte=stranger)
    client.force_login(stranger)
    assert "Votre suivi avec" not in client.get(reverse("prestataires:espace")).text
    assert "Aucun adressage de votre service de l'emploi (Forem)" in html.unescape(
        client.get(reverse("forem_liaison:mes_retours")).text
    )


def test_staff_review_the_decline_reason_the_adviser_reads_before_publishing(
    setup, client, django_capture_on_commit_callbacks
):
    """The worker's words may say more than the adviser should read (health, family): publication waits until
    staff have reviewed the wording shared; the worker's words stay in the agency's file; each review is audited."""
    agence, collab, conseiller, adressage, prestataire = setup
    today = timezone.localdate()
    when = timezone.make_aware(datetime.datetime.combine(today, datetime.time(8)))
    aff = decline(prestataire, "Mal au dos, ma hernie discale est revenue", when)
    someone_else = decline(PrestataireFactory(agence=agence), "Autre personne", when)
    retour = draft_retour(adressage, collab)
    client.force_login(collab)
    detail = client.get(adressage.get_absolute_url()).text
    url = reverse("forem_liaison:retour_refus", args=[retour.pk])
    assert url in detail and "(1 à relire)" in detail
    # Not reviewed: publication is refused, with a French message.
    response = client.post(reverse("forem_liaison:retour_publish", args=[retour.pk]), follow=True)
    assert "Relisez d&#x27;abord le motif du refus transmis" in response.text
    retour.refresh_from_db()
    assert retour.statut == "brouillon"
    # The review page shows the worker's words and the wording to share, prefilled with them.
    page = client.get(url).text
    assert page.count("Mal au dos, ma hernie discale est revenue") == 2 and "Autre personne" not in page
    # An empty wording is refused next to the field.
    response = client.post(url, {f"motif-{aff.pk}": "  "})
    assert response.status_code == 200 and "Indiquez le motif transmis au service de l'emploi." in html.unescape(
        response.text
    )
    assert 'aria-invalid="true"' in response.text
    response = client.post(url, {f"motif-{aff.pk}": "Raison de santé"})
    assert response.status_code == 302
    aff.refresh_from_db()
    assert aff.motif_transmis == "Raison de santé"
    assert aff.motif_refus == "Mal au dos, ma hernie discale est revenue"  # kept as typed, for the agency
    row = aff.history.first()
    assert row.history_user == collab and row.history_change_reason == "Motif du refus relu pour le service de l'emploi"
    # Another agency's staff and the adviser cannot reach the page; another person's decline is refused.
    client.force_login(CollaborateurFactory(agence=AgenceFactory()))
    assert client.get(url).status_code == 404
    client.force_login(conseiller.user)
    assert client.get(url).status_code == 403
    with pytest.raises(PermissionDenied):
        services.review_decline_reasons(retour=retour, motifs={someone_else.pk: "x"}, acting_user=collab)
    # Published: the adviser reads the reviewed wording, never the worker's words.
    publish(retour, collab, django_capture_on_commit_callbacks)
    retour.refresh_from_db()
    assert [r["motif"] for r in retour.faits["refus"]] == ["Raison de santé"]
    page = client.get(adressage.get_absolute_url()).text
    assert "« Raison de santé »" in page and "hernie" not in page


def test_the_referral_page_counts_every_drafts_declines_to_review_in_its_list_query(setup, client):
    """Each draft says how many decline reasons wait for a review; counting them costs no query per draft (the
    list's query carries the count): the page grows only by the facts each draft previews."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    agence, collab, _conseiller, adressage, prestataire = setup
    today = timezone.localdate()

    def at(days_ago):
        return timezone.make_aware(
            datetime.datetime.combine(today - datetime.timedelta(days=days_ago), datetime.time(8))
        )

    decline(prestataire, "Pas disponible", at(2))
    decline(prestataire, "Trop loin", at(50))
    reviewed = decline(prestataire, "Malade", at(3))
    Affectation.objects.filter(pk=reviewed.pk).update(motif_transmis="Raison de santé")
    decline(PrestataireFactory(agence=agence), "Autre personne", at(2))
    client.force_login(collab)
    url = adressage.get_absolute_url()

    def page():
        with CaptureQueriesContext(connection) as queries:
            text = client.get(url).text
        return text, len(queries)

    draft_retour(adressage, collab, days=30)  # the decline 2 days ago (the 3-day-old one is reviewed)
    text, one_draft = page()
    assert "(1 à relire)" in text
    draft_retour(adressage, collab, days=60)  # 2 days and 50 days ago
    draft_retour(adressage, collab, days=1)  # none
    text, three_drafts = page()
    assert "(1 à relire)" in text and "(2 à relire)" in text and text.count("à relire)") == 2
    with CaptureQueriesContext(connection) as preview:
        facts.compute_faits(adressage, today - datetime.timedelta(days=30), today)
    assert three_drafts - one_draft == 2 * len(preview)
