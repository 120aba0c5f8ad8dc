"""The worker's calendar address: a copy button (static/js/copy.js, hidden without a clipboard) and a QR code drawn
on the server, so that it reaches the phone's agenda without typing it."""

import base64

import pytest
from django.urls import reverse

from prestations.models import JetonCalendrier

pytestmark = pytest.mark.django_db


def test_the_worker_gets_a_copy_button_and_a_qr_code_of_their_calendar_address(client, world):
    JetonCalendrier.objects.create(prestataire=world.prestataire_a, jeton="jeton-secret-de-test")
    client.force_login(world.users["prestataire"])
    page = client.get(reverse("prestations:mes_prestations")).content.decode()
    assert 'id="my-ical-url"' in page and "jeton-secret-de-test" in page
    assert 'data-copy="my-ical-url"' in page and "js/copy.js" in page
    src = page.split('class="qr" src="', 1)[1].split('"', 1)[0]
    assert src.startswith("data:image/svg+xml;base64,")
    svg = base64.b64decode(src.removeprefix("data:image/svg+xml;base64,")).decode()
    assert "<svg" in svg and "<path" in svg


def test_no_qr_code_before_the_address_exists(client, world):
    client.force_login(world.users["prestataire"])
    page = client.get(reverse("prestations:mes_prestations")).content.decode()
    assert 'class="qr"' not in page and "js/copy.js" not in page
