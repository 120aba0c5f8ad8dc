import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from ale_platform.models import NotificationEnAttente, PreferenceNotification, Role
from ale_platform.notifications import REGISTRY, kinds_for, notify, send_daily_digests
from tests.factories import AgenceFactory, CollaborateurFactory, ConseillerFactory, UserFactory

pytestmark = pytest.mark.django_db
CONTEXT = {"title": "Garde d'enfants chez Mme Dupont", "lines": ["Mardi 1er décembre, 16:00-18:00"], "path": "/x/"}


def test_sent_once_after_commit_with_text_and_html(django_capture_on_commit_callbacks):
    worker = UserFactory(role=Role.PRESTATAIRE, first_name="Jean")
    with django_capture_on_commit_callbacks(execute=True):
        notify("attribution", recipients=[worker, worker], context=CONTEXT)
        assert mail.outbox == []  # nothing before the commit
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [worker.email]
    assert message.subject == "[ALE] Prestation attribuée : Garde d'enfants chez Mme Dupont"
    assert "Bonjour Jean," in message.body and "Mardi 1er décembre" in message.body
    assert "http://127.0.0.1:8000/x/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Mardi 1er décembre" in html


def test_nothing_is_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    worker = UserFactory(role=Role.PRESTATAIRE)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify("attribution", recipients=[worker], context=CONTEXT)
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == [] and mail.outbox == []


def test_an_optional_kind_can_be_turned_off_but_not_a_mandatory_one(django_capture_on_commit_callbacks):
    worker = UserFactory(role=Role.PRESTATAIRE)
    PreferenceNotification.objects.create(user=worker, kind="rappel_veille", mode="desactive")
    PreferenceNotification.objects.create(user=worker, kind="attribution", mode="desactive")  # not allowed: ignored
    with django_capture_on_commit_callbacks(execute=True):
        notify("rappel_veille", recipients=[worker], context=CONTEXT)
        notify("attribution", recipients=[worker], context=CONTEXT)
    assert [m.subject.split(" :")[0] for m in mail.outbox] == ["[ALE] Prestation attribuée"]


def test_daily_digest_groups_the_day_in_one_e_mail(django_capture_on_commit_callbacks):
    collab = CollaborateurFactory(agence=AgenceFactory())
    PreferenceNotification.objects.create(user=collab, kind="adressage_recu", mode="digest")
    PreferenceNotification.objects.create(user=collab, kind="nouvelle_demande", mode="digest")
    with django_capture_on_commit_callbacks(execute=True):
        notify("adressage_recu", recipients=[collab], context={**CONTEXT, "title": "Kevin Gilson"})
        notify("nouvelle_demande", recipients=[collab], context={**CONTEXT, "title": "Jardinage, Ville de Gembloux"})
    assert mail.outbox == []
    assert NotificationEnAttente.objects.filter(user=collab).count() == 2
    assert send_daily_digests.call() == 1
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == "[ALE] Votre résumé du jour : 2 notifications"
    assert "Kevin Gilson" in body and "Jardinage, Ville de Gembloux" in body
    assert not NotificationEnAttente.objects.exists()


def test_each_role_sees_only_its_kinds():
    adviser = ConseillerFactory().user
    assert [k.code for k in kinds_for(adviser)] == ["retour_publie"]
    staff_kinds = {k.code for k in kinds_for(CollaborateurFactory())}
    assert staff_kinds == {
        "nouvelle_demande",
        "annulation",
        "adressage_recu",
        "plafond_proche",
        "base_eligibilite_fin",
        "reprise_terminee",
        "prestation_contestee",
    }
    assert all(k.roles for k in REGISTRY.values())


def test_preferences_page_saves_the_choices(client):
    worker = UserFactory(role=Role.PRESTATAIRE)
    client.force_login(worker)
    page = client.get(reverse("notification_preferences"))
    assert set(page.context["form"].fields) == {"attribution", "annulation", "rappel_veille", "cloture_mois"}
    # A mandatory kind offers no "Jamais".
    assert "desactive" not in dict(page.context["form"].fields["attribution"].choices)
    response = client.post(
        reverse("notification_preferences"),
        {"attribution": "immediat", "annulation": "immediat", "rappel_veille": "desactive", "cloture_mois": "immediat"},
    )
    assert response.status_code == 302
    assert PreferenceNotification.objects.get(user=worker, kind="rappel_veille").mode == "desactive"
    refused = client.post(
        reverse("notification_preferences"),
        {"attribution": "desactive", "annulation": "immediat", "rappel_veille": "immediat", "cloture_mois": "immediat"},
    )
    assert "attribution" in refused.context["form"].errors
