"""A Brussels ALE-PWA's day in Dutch and an Eupen LBA's day in German, end to end in a real browser (every page
audited: axe, 375 px, Nu HTML checker at the end), on the demo of `make run`.

The demo holds each region's law as a deployment's superuser would record it once confirmed (decision 65: the
sourced values, the unsourced ones filled for the demo, its source saying "Démonstration"; the admin shows it).
The client books a service from their space; staff match a worker to the booking (in Brussels, hold the prior
interview the region requires before anything is planned) and plan it, record the hours of last week's session,
validate them and attach the vouchers; the month's ALE 4 form comes out as a PDF in the worker's language; the
adviser of the region's public employment service (Actiris, ADG) reads the feedback.

Every person works in their account's language: the texts the test looks for are the catalogue's translations of
the French strings (`tr`), so a string left untranslated in the catalogue fails the page test
(tests/ale_platform/test_every_page_translated.py), not this one.
"""

import datetime
import re
import subprocess

import pytest
from django.core.cache import cache
from django.utils import formats, timezone, translation
from playwright.sync_api import expect

from forem_liaison.models import RetourAdressage
from prestataires.models import Prestataire
from prestations.models import Affectation, ChequeALE, Prestation, RegleLegale
from utilisateurs.calendrier import jours_feries
from utilisateurs.models import Demande

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 812}
DESK = {"width": 1280, "height": 900}

REGIONS = {
    "bruxelles": {
        "language": "nl",
        "agence": "ALE-PWA de Saint-Gilles",
        "staff": "els.vermeulen@ale-pwa-1060.be",
        "client": "lies.peeters@example.be",
        "worker": "bart.desmet@example.be",
        "adviser": "an.claes@actiris.be",
        "activite": "Aide administrative / Administratieve hulp",
        "description": "Hulp bij het invullen van de belastingaangifte.",
        "numeros": ["8800001061", "8800001062", "8800001063"],
    },
    "germanophone": {
        "language": "de",
        "agence": "LBA Eupen",
        "staff": "monika.kreusch@adg.be",
        "client": "anna.schmitz@example.be",
        "worker": "lukas.mockel@example.be",
        "adviser": "stefan.lenzen@adg.be",
        "activite": "Verwaltungshilfe",
        "description": "Hilfe beim Ausfüllen der Steuererklärung.",
        "numeros": ["8800004701", "8800004702", "8800004703"],
    },
}


def tr(language: str, text: str) -> str:
    """The catalogue's translation of a French string in `language` (what the person's pages show)."""
    with translation.override(language):
        return translation.gettext(text)


def submit(ui, name):
    ui.get_by_role("button", name=name, exact=True).click()
    ui.wait_for_load_state("load")
    ui.audit()


def log_out(ui, language):
    ui.get_by_role("button", name=tr(language, "Se déconnecter")).click()
    ui.wait_for_url("**/accounts/login/**")
    ui.audit()


def next_working_day(start: datetime.date) -> datetime.date:
    day = start
    while day.weekday() > 4 or jours_feries(day, day):
        day += datetime.timedelta(days=1)
    return day


def pdf_text(ui, path) -> str:
    response = ui.page.request.get(ui.base_url + path)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf", response.status
    return subprocess.run(  # noqa: S603
        ["pdftotext", "-", "-"],  # noqa: S607
        input=response.body(),
        capture_output=True,
        check=True,
    ).stdout.decode()


@pytest.mark.parametrize("region", ["bruxelles", "germanophone"])
def test_a_regional_agency_s_day_in_its_language(ui, demo, region):
    r = REGIONS[region]
    lang = r["language"]
    today = timezone.localdate()
    cache.clear()  # allauth's rate limits live in the cache, shared with other tests

    # 1. The client books a one-off service from their space, on the phone, in their language.
    ui.set_viewport_size(PHONE)
    log_in(ui, r["client"], demo)
    ui.audit()
    expect(ui.locator("html")).to_have_attribute("lang", lang)
    expect(ui.get_by_role("heading", level=1)).to_contain_text(tr(lang, "Mon espace client"))
    ui.visit("/espace-client/reserver/")
    ui.get_by_role("combobox", name=tr(lang, "Activité")).select_option(
        label=f"{r['activite']} — {tr(lang, 'autorisée')}"
    )
    ui.get_by_label(tr(lang, "Description du travail")).fill(r["description"])
    day = next_working_day(today + datetime.timedelta(days=8))
    # By id: in Dutch "De" (time) and "Du" (period) are both "Van".
    ui.locator("#id_date").fill(day.isoformat())
    ui.locator("#id_heure_debut").fill("14:00")
    ui.locator("#id_heure_fin").fill("16:00")
    submit(ui, tr(lang, "Envoyer la demande"))
    demande = Demande.objects.get(utilisateur__compte__email=r["client"], description=r["description"])
    assert demande.statut == "nouvelle"
    log_out(ui, lang)

    # 2. Staff (in their language) match the worker and plan the request.
    ui.set_viewport_size(DESK)
    log_in(ui, r["staff"], demo)
    ui.audit()
    expect(ui.locator("html")).to_have_attribute("lang", lang)
    worker = Prestataire.objects.get(email=r["worker"])
    law = RegleLegale.objects.filter(region=region).order_by("-en_vigueur_du").first()
    assert law.source.startswith("Démonstration : ")  # the demo's law row (decision 65), in force today
    ui.visit(f"/demandes/{demande.pk}/prestataires/")
    ui.get_by_label(tr(lang, "Choisir %(p)s") % {"p": worker}).check()
    submit(ui, tr(lang, "Attribuer les prestataires choisi·es"))
    assert Affectation.objects.filter(demande=demande, prestataire=worker).exists()
    if law.entretien_prealable:  # Brussels (alepwabru.be): nothing before it
        submit(ui, tr(lang, "Planifier la série"))
        assert not Prestation.objects.filter(demande=demande).exists()
        ui.visit(f"/demandes/{demande.pk}/prestataires/")
        ui.get_by_label(tr(lang, "Entretien préalable le")).fill(today.isoformat())
        submit(ui, tr(lang, "Enregistrer l'entretien"))
        assert Affectation.objects.get(demande=demande, prestataire=worker).entretien_prealable_le == today
    else:
        assert region == "germanophone"
    submit(ui, tr(lang, "Planifier la série"))
    assert Prestation.objects.filter(demande=demande, prestataire=worker, date=day, statut="planifiee").exists()

    # 3. Last week's session at the weekly client's: the hours recorded, validated, the vouchers attached.
    session = (
        Prestation.objects.filter(prestataire=worker, statut="effectuee", date__lt=today).order_by("-date").first()
    )
    assert session is not None, "the demo leaves the last two weeks' work done, to record and validate"
    ui.visit(f"/prestations/{session.pk}/")
    ui.get_by_label(re.compile("^" + re.escape(tr(lang, "Heures prestées")))).fill("2,5")
    submit(ui, tr(lang, "Enregistrer les heures"))
    submit(ui, tr(lang, "Valider les heures"))
    session.refresh_from_db()
    assert session.statut == "validee"
    ui.get_by_label(re.compile("^" + re.escape(tr(lang, "Numéros des chèques papier")))).fill("\n".join(r["numeros"]))
    submit(ui, tr(lang, "Attacher les chèques"))
    assert ChequeALE.objects.filter(prestation=session).count() == 3

    # 4. The month's ALE 4 form: listed on the forms page, its PDF in the worker's language.
    ui.visit(f"/formulaires/?mois={session.date:%Y-%m}")
    expect(ui.get_by_role("heading", level=1)).to_be_visible()
    text = pdf_text(ui, f"/formulaires/{worker.pk}/{session.date.year}/{session.date.month}/")
    assert tr(worker.langue, "Formulaire de prestations ALE 4") in text, text[:400]
    assert "Formulaire de prestations" not in text
    with translation.override(worker.langue):  # the worker's Belgian date format (fr/nl 03/12/2026, de 03.12.2026)
        worked_on = formats.date_format(session.date, "SHORT_DATE_FORMAT")
    assert worker.nom in text and worked_on in text, text
    log_out(ui, lang)

    # 5. The adviser of the region's public employment service reads the agency's feedback, in their language.
    retour = RetourAdressage.objects.filter(statut="publie", adressage__conseiller__user__email=r["adviser"]).first()
    assert retour is not None, "the demo publishes the agency's feedback to the region's adviser"
    log_in(ui, r["adviser"], demo)
    ui.audit()
    expect(ui.locator("html")).to_have_attribute("lang", lang)
    ui.visit(f"/adressages/{retour.adressage_id}/")
    expect(ui.get_by_text(retour.texte[:40]).first).to_be_visible()
    expect(ui.get_by_text(worker.nom).first).to_be_visible()
    log_out(ui, lang)

    # 6. The superuser's admin lists the region's law rows: the demo's says so in its source (decision 65).
    log_in(ui, "admin@ale-platform.be", demo)
    ui.visit(f"/admin/prestations/reglelegale/?region={region}")
    ui.audit()
    expect(ui.get_by_text(re.compile("^Démonstration : valeurs non sourcées")).first).to_be_visible()
