"""A person's language: the switcher (before and after log-in), the choice kept on the account, e-mails and PDFs
in the recipient's language, Belgian formats for nl and de."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import formats, translation

from ale_platform.models import Langue, Role
from ale_platform.notifications import notify
from prestataires.services import invite_prestataire
from tests.factories import CollaborateurFactory, PrestataireFactory, UserFactory
from tests.pdf import pdf_text
from tests.prestataires.factories import ContratFactory

pytestmark = pytest.mark.django_db
CONTEXT = {"title": "Jardin", "lines": [], "path": "/x/"}


def _switch(client, code, next_url="/accounts/login/"):
    return client.post(reverse("language_switch"), {"language": code, "next": next_url})


def test_the_switcher_is_on_the_log_in_page_and_switches_before_log_in():
    client = Client()
    page = client.get(reverse("account_login")).content.decode()
    assert 'action="/langue/"' in page and 'lang="nl"' in page and ">Nederlands<" in page and ">Deutsch<" in page
    response = _switch(client, "nl")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    page = client.get(reverse("account_login")).content.decode()
    assert '<html lang="nl">' in page and "Een klantaccount aanmaken" in page
    assert ">Français<" in page and ">Nederlands<" not in page  # the current language is not offered


def test_the_choice_is_kept_on_the_account_and_follows_the_person_to_another_device():
    user = UserFactory(role=Role.CLIENT)
    laptop = Client()
    laptop.force_login(user)
    _switch(laptop, "de", "/")
    user.refresh_from_db()
    assert user.langue == Langue.DE
    phone = Client()  # no language cookie: the account decides
    phone.force_login(user)
    page = phone.get(reverse("notification_preferences")).content.decode()
    assert '<html lang="de">' in page and "Meine Benachrichtigungen" in page


def test_an_unknown_language_changes_nothing():
    user = UserFactory(role=Role.CLIENT)
    client = Client()
    client.force_login(user)
    _switch(client, "en", "/")
    user.refresh_from_db()
    assert user.langue == Langue.FR


def test_a_get_is_refused():
    assert Client().get(reverse("language_switch")).status_code == 405


def test_an_e_mail_is_written_in_its_recipients_language_whoever_sends_it(django_capture_on_commit_callbacks):
    dutch = UserFactory(role=Role.PRESTATAIRE, first_name="Els", langue="nl")
    german = UserFactory(role=Role.PRESTATAIRE, first_name="Jens", langue="de")
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        notify("attribution", recipients=[dutch, german], context=CONTEXT)
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert by_recipient[dutch.email].subject == "[ALE] Toegewezen prestatie: Jardin"
    assert "Goedendag Els," in by_recipient[dutch.email].body
    assert by_recipient[german.email].subject == "[ALE] Zugeteilte Leistung: Jardin"
    assert "Guten Tag Jens," in by_recipient[german.email].body


def test_a_worker_invited_by_french_speaking_staff_gets_a_german_account_and_e_mail(
    world, django_capture_on_commit_callbacks
):
    p = PrestataireFactory(agence=world.agence_a, email="jens.kohn@example.be", prenom="Jens", langue="de")
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        user = invite_prestataire(prestataire=p, acting_user=world.users["collab_a"], base_url="http://testserver")
    assert user.langue == "de"
    message = mail.outbox[0]
    assert "Ihr Bereich als LBA-Arbeitnehmer/in" in message.subject
    assert "Wählen Sie Ihr Passwort" in message.body


def test_the_contract_is_printed_in_the_workers_language_for_french_speaking_staff(world):
    p = world.prestataire_a
    p.langue = "nl"
    p.save()
    contrat = ContratFactory(prestataire=p, date_debut=datetime.date(2026, 12, 1))
    staff = Client()
    staff.force_login(world.users["collab_a"])
    response = staff.get(reverse("prestataires:contrat_pdf", kwargs={"pk": p.pk, "contrat_pk": contrat.pk}))
    text = pdf_text(response.content)
    assert "PWA-arbeidsovereenkomst" in text and "koninklijk besluit van 13 juni 1999" in text
    assert "Contrat de travail" not in text
    # the staff's own pages stay in French
    assert "Prestataires" in staff.get(reverse("prestataires:list")).content.decode()


@pytest.mark.parametrize(
    ("language", "short_date", "date"),
    [
        ("fr", "07/12/2026", "7 décembre 2026"),
        ("nl", "07/12/2026", "7 december 2026"),
        ("de", "07.12.2026", "7. Dezember 2026"),
    ],
)
def test_belgian_formats_per_language(language, short_date, date):
    day = datetime.date(2026, 12, 7)
    with translation.override(language):
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == short_date
        assert formats.date_format(day) == date
        assert formats.get_format("DECIMAL_SEPARATOR") == ","


def test_staff_accounts_default_to_french():
    assert CollaborateurFactory().langue == "fr"
