"""The whole day, end to end, in a real browser: every page audited (axe, 375 px, Nu HTML checker at the end).

A client signs up (the e-mail verified from the outbox) and books a weekly service; staff validate the
registration, grant the authorisation, match, assign and plan; a session is moved; the worker sees it on a phone;
staff record the hours and vouchers; the task worker (django-tasks-db, as `make run` and production run it) sends
the e-mails and builds the month's ALE 4 ZIP; the client sees the moved and done session, its vouchers and the
euros on the statement; an adviser reads the ALE's published feedback.
"""

import datetime
import re
import subprocess

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from ale_platform.identifiers import build_niss
from ale_platform.numbers import euros
from forem_liaison.models import RetourAdressage
from prestations.models import ChequeALE, GenerationFormulaires, Prestation
from tests.days import weekly_series_start
from utilisateurs.models import Demande, Inscription

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

CLIENT = "paul.journee@example.be"
PASSWORD = "Une-journee-complete-26"
STAFF = "sophie.lambert@ale-gembloux.be"
WORKER = "jean.lejeune@example.be"
ADVISER = "nathalie.renard@forem.be"
PHONE = {"width": 375, "height": 812}
DESK = {"width": 1280, "height": 900}
# Jean Lejeune (demo) does "Petit jardinage" on Monday, Wednesday and Friday mornings.
WEEKDAYS = {0: "lundi", 2: "mercredi", 4: "vendredi"}


def field(ui, text):
    """A form field by its label (Django adds the French label suffix " :")."""
    return ui.get_by_label(re.compile("^" + re.escape(text) + r"\s*:?$"))


def log_out(ui):
    ui.get_by_role("button", name="Se déconnecter").click()
    ui.wait_for_url("**/accounts/login/**")
    ui.audit()


def submit(ui, name):
    ui.get_by_role("button", name=name).click()
    ui.wait_for_load_state("load")
    ui.audit()


def run_task_worker():
    """What `make run`'s worker does between two requests: every queued task, then exit."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_whole_day_end_to_end(ui, demo, database_tasks):
    today = timezone.localdate()
    # Three weekly sessions, none on a public holiday (around Christmas the next Friday may be two holidays).
    first = weekly_series_start(today, WEEKDAYS, weeks=3)
    last = first + datetime.timedelta(days=14)

    # 1. The client signs up on a phone; the verification link comes from the e-mail.
    ui.set_viewport_size(PHONE)
    cache.clear()  # allauth's rate limits live in the cache, shared with other tests
    ui.visit("/accounts/signup/")
    ui.get_by_label("Courriel").fill(CLIENT)
    ui.get_by_label("Mot de passe", exact=False).first.fill(PASSWORD)
    ui.get_by_label("Mot de passe (confirmation)").fill(PASSWORD)
    ui.get_by_role("button", name="Création de compte").click()
    ui.wait_for_url("**/accounts/confirm-email/")
    ui.audit()
    message = mail.outbox[-1]
    assert "127.0.0.1" not in message.body.split("\n", 1)[0] and "localhost" not in message.body.split("\n", 1)[0]
    link = re.search(r"https?://\S+/accounts/confirm-email/(\S+)", message.body).group(1)
    ui.visit("/accounts/confirm-email/" + link)
    submit(ui, "Confirmer")
    if "/accounts/login/" in ui.url:
        log_in(ui, CLIENT, {}, password=PASSWORD)
        ui.audit()
    ui.visit("/espace-client/")
    ui.get_by_role("link", name="Compléter mon profil et demander mon inscription").click()
    ui.audit()
    ui.get_by_label("Agence").select_option(label="ALE de Gembloux")
    ui.get_by_label("Type").select_option(label="Particulier")
    ui.get_by_label("Nom ou dénomination").fill("Journée")
    ui.get_by_label("Prénom").fill("Paul")
    ui.get_by_label("NISS").fill(build_niss(datetime.date(1979, 6, 21), 117))
    ui.get_by_label("Rue et numéro").fill("Rue du Moulin 20")
    ui.get_by_label("Code postal").fill("5030")
    ui.get_by_label("Commune").fill("Gembloux")
    submit(ui, "Envoyer ma demande d'inscription")
    expect(ui.get_by_text("Votre demande d'inscription est envoyée")).to_be_visible()
    log_out(ui)

    # 2. Staff validate the registration and grant the authorisation.
    ui.set_viewport_size(DESK)
    log_in(ui, STAFF, demo)
    ui.audit()
    ui.visit("/utilisateurs/?inscription=en_attente")
    ui.get_by_role("link", name="Journée Paul").click()
    ui.audit()
    submit(ui, re.compile(r"Valider \d{4}"))
    expect(ui.get_by_text(re.compile(r"L'inscription \d{4} est validée"))).to_be_visible()
    # The series may reach next year (from 18 December) and the moved session may fall last year (on 1 January):
    # the client holds a validated registration for every year the journey touches, whatever today's date.
    utilisateur = Demande._meta.get_field("utilisateur").related_model.objects.get(compte__email=CLIENT)
    for year in {today.year - 1, today.year, last.year}:
        Inscription.objects.update_or_create(utilisateur=utilisateur, annee=year, defaults={"validee": True})
    ui.get_by_role("link", name="Ajouter une autorisation").click()
    ui.audit()
    ui.get_by_label("Activité").select_option(label="Petit jardinage")
    ui.get_by_label("Numéro d'autorisation").fill("4100000777")
    ui.get_by_label("Début").fill((today - datetime.timedelta(days=30)).isoformat())  # granted last month
    ui.get_by_label("Fin").fill(datetime.date(today.year + 1, 12, 31).isoformat())
    submit(ui, "Enregistrer")
    expect(ui.get_by_text("L'autorisation est enregistrée.")).to_be_visible()
    log_out(ui)

    # 3. The client books a weekly service, on the phone.
    ui.set_viewport_size(PHONE)
    log_in(ui, CLIENT, {}, password=PASSWORD)
    ui.audit()
    ui.visit("/espace-client/reserver/")
    ui.get_by_role("combobox", name="Activité").select_option(label="Petit jardinage — autorisée")
    ui.get_by_label("Description du travail").fill("Tailler la haie et ramasser les feuilles.")
    ui.get_by_role("radio", name="De façon récurrente").check()
    ui.get_by_label(re.compile(r"^De\b")).fill("09:00")
    ui.get_by_label(re.compile(r"^À(\s|$)")).fill("11:30")
    ui.get_by_label(re.compile(r"^Du\b")).fill(first.isoformat())
    ui.get_by_label(re.compile(r"^Au\b")).fill(last.isoformat())
    ui.get_by_role("checkbox", name=WEEKDAYS[first.weekday()]).check()
    submit(ui, "Envoyer la demande")
    expect(ui.get_by_text("Votre demande est enregistrée")).to_be_visible()
    demande = Demande.objects.get(utilisateur__compte__email=CLIENT, recurrente=True)
    request_url = ui.url.replace(ui.base_url, "")
    log_out(ui)

    # 4. Staff match, assign Jean Lejeune and plan the series; then move its first session to yesterday's late
    # afternoon, when it actually took place (Jean's demo days end by 16:30), and record the hours and the vouchers.
    # Yesterday may be a Sunday, a public holiday (the derogation reason is given) or in last year (registered).
    ui.set_viewport_size(DESK)
    log_in(ui, STAFF, demo)
    ui.audit()
    ui.visit(f"/demandes/{demande.pk}/prestataires/")
    ui.get_by_label("Choisir Jean Lejeune").check()
    submit(ui, "Attribuer les prestataires choisi·es")
    expect(ui.get_by_text("Attribué·e").first).to_be_visible()
    submit(ui, "Planifier la série")
    planned = list(Prestation.objects.filter(demande=demande, statut="planifiee").order_by("date"))
    assert len(planned) >= 2 and {p.prestataire.prenom for p in planned} == {"Jean"}

    session = planned[0]
    yesterday = today - datetime.timedelta(days=1)
    ui.visit(f"/prestations/{session.pk}/")
    field(ui, "Nouvelle date").fill(yesterday.isoformat())
    field(ui, "Nouveau début").fill("17:00")
    field(ui, "Nouvelle fin").fill("19:30")
    field(ui, "Motif du déplacement").fill("Avancée à la demande du client")
    ui.locator("#id_deplacer-motif_derogation").fill("Séance avancée d'un commun accord")
    submit(ui, "Déplacer")
    expect(ui.get_by_text("Prestation déplacée.")).to_be_visible()
    field(ui, "Heures prestées").fill("2,5")
    ui.locator("#id_heures-motif_derogation").fill("Séance avancée d'un commun accord")
    submit(ui, "Enregistrer les heures")
    submit(ui, "Valider les heures")
    expect(ui.get_by_text("Prestation validée.")).to_be_visible()
    field(ui, "Numéros des chèques papier").fill("8800000701\n8800000702\n8800000703")
    submit(ui, "Attacher les chèques")
    expect(ui.get_by_text("3 sur 3 chèques dus")).to_be_visible()

    # The month's ALE 4 forms are made in the background: waiting until the task worker runs.
    ui.visit(f"/formulaires/?mois={yesterday:%Y-%m}")
    ui.get_by_role("button", name="Générer tous les formulaires (ZIP)").click()
    ui.wait_for_url(re.compile(r"/formulaires/generations/\d+/$"))
    ui.audit()
    generation = GenerationFormulaires.objects.latest("created_at")
    assert generation.statut == "en_attente"
    sent_before = len(mail.outbox)
    run_task_worker()
    generation.refresh_from_db()
    assert generation.statut == "terminee" and generation.total >= 1 and generation.faits == generation.total
    ui.reload()
    ui.audit()
    expect(ui.get_by_role("link", name="Télécharger le ZIP")).to_be_visible()
    zipped = ui.page.request.get(ui.base_url + ui.get_by_role("link", name="Télécharger le ZIP").get_attribute("href"))
    assert zipped.status == 200 and zipped.body()[:2] == b"PK"
    # The notifications (assignment, planning, the move) went out through the worker, to the client and Jean.
    notified = {address for message in mail.outbox[sent_before:] for address in message.to}
    assert {CLIENT, WORKER} <= notified, notified
    log_out(ui)

    # 5. Jean sees his sessions of this request on his phone, the moved one at its new date.
    ui.set_viewport_size(PHONE)
    log_in(ui, WORKER, demo)
    ui.audit()
    ui.visit("/mon-espace/")
    expect(ui.get_by_text(planned[1].date.strftime("%d/%m/%Y")).first).to_be_visible()
    # His week's planning (yesterday's week: on a Monday it is last week), the day's row with the moved session.
    ui.visit(f"/mon-espace/prestations/?vue=semaine&date={yesterday:%Y-%m-%d}")
    expect(ui.get_by_role("row").filter(has_text=yesterday.strftime("%d/%m")).first).to_contain_text("17:00–19:30")
    log_out(ui)

    # 6. The client sees the session moved and done, with its hours, and the statement of the year.
    log_in(ui, CLIENT, {}, password=PASSWORD)
    ui.audit()
    ui.visit("/espace-client/prestations/")
    row = ui.get_by_role("row").filter(has_text=yesterday.strftime("%d/%m/%Y"))
    expect(row).to_contain_text("2,5")
    expect(row).to_contain_text("17:00")
    # The request shows the session at its new date, as validated, with its vouchers and nothing left to cancel.
    ui.visit(request_url)
    ui.audit()
    moved = ui.locator("ul.creneaux li").filter(has_text=yesterday.strftime("%d/%m/%Y"))
    expect(moved).to_have_count(1)
    expect(moved).to_contain_text("17:00–19:30")
    expect(moved).to_contain_text("Validée")
    expect(moved).to_contain_text(f"vous l'aviez demandée le {first:%d/%m/%Y}")
    expect(moved).to_contain_text("n° 8800000701, n° 8800000702, n° 8800000703")
    expect(moved.get_by_role("link")).to_have_count(0)  # no "Annuler cette date" / "Déplacer"
    expect(ui.locator("ul.creneaux li").filter(has_text=first.strftime("%d/%m/%Y"))).to_have_count(1)  # that one
    ui.visit("/espace-client/")
    with ui.expect_download() as download:
        ui.get_by_role("link", name=f"Relevé {yesterday.year}").click()
    text = subprocess.run(  # noqa: S603
        ["pdftotext", str(download.value.path()), "-"],
        capture_output=True,
        text=True,
        check=True,  # noqa: S607
    ).stdout
    assert "Petit jardinage" in text and "2,5" in text
    assert all(f"n° 880000070{n}" in text for n in (1, 2, 3)), text
    paid = sum(c.quantite * c.valeur for c in ChequeALE.objects.filter(prestation=session))
    assert paid > 0 and f"{euros(paid)} €" in text, text
    log_out(ui)

    # 7. An adviser reads the feedback the ALE published on one of her referrals.
    retour = RetourAdressage.objects.filter(statut="publie", adressage__conseiller__user__email=ADVISER).first()
    assert retour is not None, "the demo publishes feedback to Nathalie Renard"
    log_in(ui, ADVISER, demo)
    ui.audit()
    ui.visit(f"/adressages/{retour.adressage_id}/")
    expect(ui.get_by_text(retour.texte[:40]).first).to_be_visible()


# --- Each role's whole journey, at a phone's width and at a desk's ---------------------------------------------

ROLE_ACCOUNTS = {
    "client": "anne.dupont@example.be",
    "worker": "jean.lejeune@example.be",
    "staff": "sophie.lambert@ale-gembloux.be",
    "adviser": "nathalie.renard@forem.be",
    "superuser": "admin@ale-platform.be",
}
# Where a journey starts besides the header's links (the superuser also works in the admin).
EXTRA_STARTS = {"superuser": ["/admin/", "/admin/prestations/prestation/", "/admin/utilisateurs/utilisateur/"]}
# A sample per URL pattern, not per object: one page of each pattern the role reaches, up to this many pages.
JOURNEY_PAGES = 22
# Not pages: files, feeds and actions (downloads, the calendar feed, log-out, language switch), and the Django
# admin's inner pages beyond a sample (test_admin_walk.py walks them all without a browser).
NOT_PAGES = re.compile(r"format=|/accounts/logout|/langue/|/static/|/media/|\.(pdf|zip|ics|csv|xlsx)$")
ADMIN_SAMPLE = 4


def _links(ui) -> list[str]:
    """Same-site links of the page, header navigation first, then the content."""
    return ui.evaluate(
        """() => [...document.querySelectorAll('header nav a[href], main a[href]')]
            .map(a => a.getAttribute('href'))
            .filter(h => h.startsWith('/') && !h.startsWith('//'))"""
    )


def _audit_here(ui) -> None:
    """axe and the HTML kept for the Nu checker (ui.audit), and no sideways scroll at the current width."""
    ui.audit()
    width = ui.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{ui.url} scrolls sideways at {width[1]} px ({width[0]} px wide)"


@pytest.mark.parametrize("size", [PHONE, DESK], ids=["375px", "1280px"])
@pytest.mark.parametrize("role", list(ROLE_ACCOUNTS))
def test_each_roles_journey_passes_axe_nu_and_fits_the_screen(ui, demo, role, size):
    """Every page a role reaches from its header (its navigation and account links) and, from each of those, one
    page of each further URL pattern (a list's first record, a record's sub-pages), at 375 px and at 1280 px:
    axe-core finds nothing serious or critical, the Nu HTML checker no error (checked with every audited page at
    the end of the session), and no page scrolls sideways. Sampled per URL pattern, so the journey's length does
    not grow with the demo's data."""
    from django.urls import Resolver404, resolve

    ui.set_viewport_size(size)
    cache.clear()  # allauth's log-in rate limits live in the cache, shared with other tests
    log_in(ui, ROLE_ACCOUNTS[role], demo)
    _audit_here(ui)
    home = ui.url.replace(ui.base_url, "")
    seen_patterns, visited, admin_pages = set(), [], 0
    starts = [home, *EXTRA_STARTS.get(role, [])]
    queue = list(starts)
    for path in _links(ui):
        if path not in queue:
            queue.append(path)
    level_one = len(queue)
    index = 0
    while index < len(queue) and len(visited) < JOURNEY_PAGES:
        path = queue[index]
        index += 1
        if NOT_PAGES.search(path):
            continue
        try:
            name = resolve(path.split("?")[0]).view_name
        except Resolver404:
            continue
        if name in seen_patterns:
            continue
        if name.startswith("admin:") and name != "admin:index":
            if admin_pages >= ADMIN_SAMPLE:
                continue
            admin_pages += 1
        probe = ui.page.request.get(ui.base_url + path, max_redirects=0)
        if probe.status != 200 or "text/html" not in probe.headers.get("content-type", ""):
            continue  # a download, a redirect or a page the role may not see: not a step of the journey
        seen_patterns.add(name)
        ui.goto(ui.base_url + path)
        _audit_here(ui)
        visited.append(name)
        if index <= level_one:  # from the header's destinations, one level further
            queue.extend(link for link in _links(ui) if link not in queue)
    assert len(visited) >= 3, visited
