"""BCE, NISS and IBAN are printed one way everywhere (identifiers.format_*, the |bce |niss |iban filters):
the ALE 4 letterhead, the yearly statement, the staff worker page."""

import datetime

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import reverse

from ale_platform.identifiers import format_bce, format_iban, format_niss
from tests.factories import PrestataireFactory, PrestationFactory
from tests.pdf import pdf_text


def test_one_format_per_identifier():
    assert format_bce("0412345614") == "0412.345.614"
    assert format_niss("85073003328") == "85.07.30-033.28"
    assert format_iban("BE20063452187056") == "BE20 0634 5218 7056"
    assert format_iban("") == ""
    rendered = Template("{{ b|bce }} {{ n|niss }} {{ i|iban }}").render(
        Context({"b": "0412345614", "n": "85073003328", "i": "BE20063452187056"})
    )
    assert rendered == "0412.345.614 85.07.30-033.28 BE20 0634 5218 7056"


@pytest.mark.django_db
def test_letterhead_statement_and_worker_page_print_them_formatted(world, client):
    agence = world.agence_a
    agence.iban = "BE20063452187056"
    agence.save()
    letterhead = render_to_string("prestations/pdf/_letterhead.html", {"agence": agence})
    assert format_bce(agence.bce) in letterhead and "BE20 0634 5218 7056" in letterhead
    assert agence.bce not in letterhead

    worker = PrestataireFactory(agence=agence, iban="BE62510007547061")
    PrestationFactory(prestataire=worker, utilisateur=world.utilisateur_a, date=datetime.date(2026, 3, 4), heures=3)
    client.force_login(world.users["client"])
    statement = pdf_text(client.get(reverse("utilisateurs:releve", args=[2026])).content)
    assert format_bce(agence.bce) in statement

    client.force_login(world.users["collab_a"])
    page = client.get(reverse("prestataires:detail", kwargs={"pk": worker.pk})).text
    assert "BE62 5100 0754 7061" in page and "BE62510007547061" not in page
