"""Every page each role can reach (the authorization walk's URL lists, the admin's index and lists for the superuser,
the PDFs among them), and every e-mail, rendered in Dutch and in German, shows no French interface text: neither a
French source string of the catalogue left untranslated, nor French text built outside gettext (caught by French
words that Dutch and German never use).

What the database holds (names, addresses, activity names typed by an agency) is content, not interface: it is
taken out of the page's text before the check. Text in an element marked with another `lang` (the switcher's
"Français") is what it says it is. A worker's PDFs are in the worker's contact language, set here to the
language under test.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import models
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from ale_platform.models import Role
from ale_platform.notifications import REGISTRY
from tests.authz.matrix import ROLES
from tests.authz.test_walk import MATRIX, MODULES
from tests.factories import UserFactory
from tests.pdf import pdf_text

ROOT = Path(__file__).resolve().parents[2]
# allauth's own pages are outside the walk's matrix: the ones a person meets, before and after log-in.
ALLAUTH_PAGES = {
    "anonymous": ["account_login", "account_signup", "account_reset_password"],
    "client": ["account_change_password", "account_email", "mfa_index"],
}
# django-ninja's Swagger UI: a developer page of the API, English by design, not the platform's interface.
DEVELOPER_PAGES = {"/api/v1/docs"}
ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
FRENCH_WORDS = re.compile(
    r"(?<![\w-])(?:le|la|les|une|pour|avec|est|sont|aucun|aucune|votre|vos|nous|vous|cette|mois|jour|jours|heures|"
    r"et|ou|au|aux|été|être|à|prestataires?|utilisateurs?|chèques?|agence|demandes?|séances?|adressages?|"
    r"janvier|février|avril|juin|juillet|août|septembre|octobre|novembre|décembre|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)(?![\w-])|(?<!\w)(?:l|d|qu|n)['’]\w",
    re.IGNORECASE,
)


def _po_entries(path: Path):
    """(msgid, msgstr) of a catalogue's singular entries (enough to know which French strings are translated)."""
    text = path.read_text()
    for block in text.split("\n\n"):
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.MULTILINE)
        msgstr = re.search(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', block, re.MULTILINE)
        if msgid and msgstr:
            yield (_unquote(msgid.group(1)), _unquote(msgstr.group(1)))


def _unquote(lines: str) -> str:
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', lines)).replace('\\"', '"').replace("\\n", "\n")


def _french_sources(language: str) -> set[str]:
    """The French source strings whose translation differs, without placeholders (those are checked by words)."""
    entries = _po_entries(ROOT / "locale" / language / "LC_MESSAGES" / "django.po")
    return {
        " ".join(msgid.split())
        for msgid, msgstr in entries
        if msgid and msgstr != msgid and "%" not in msgid and "{" not in msgid
    }


class _VisibleText(HTMLParser):
    """The text a reader meets (text nodes and labelling attributes), outside <script>/<style> and outside
    elements whose `lang` is not the page's."""

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden)
        self.chunks: list[str] = []

    def _hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = attrs.get("lang")
        hidden = (
            self._hidden()
            or tag in ("script", "style", "template")
            or (lang is not None and tag != "html" and not lang.startswith(self.language))
        )
        if not hidden:
            self.chunks += [attrs[name] for name in ATTRIBUTES if attrs.get(name)]
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.chunks.append(attrs["value"])
        if tag not in VOID:
            self.stack.append((tag, hidden))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not self._hidden() and data.strip():
            self.chunks.append(data)


def visible_text(html: str, language: str) -> list[str]:
    parser = _VisibleText(language)
    parser.feed(html)
    return [" ".join(chunk.split()) for chunk in parser.chunks]


def _database_strings() -> list[str]:
    """Every text value stored in the database (content), longest first so that a longer one goes out whole."""
    values = set()
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))]
        json_fields = [f.name for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]
        fields = [f for f in fields if not model._meta.get_field(f).choices]  # a choice's label is interface
        if not fields and not json_fields:
            continue
        for row in model._default_manager.values_list(*fields, *json_fields):
            for value in row:
                if isinstance(value, str):
                    values.add(" ".join(value.split()))
                elif isinstance(value, list):
                    values.update(" ".join(v.split()) for v in value if isinstance(v, str))
    return sorted((v for v in values if len(v) > 1), key=len, reverse=True)


def untranslated(chunks: list[str], sources: set[str], content: list[str]) -> list[str]:
    found = []
    for chunk in chunks:
        if chunk not in sources and not FRENCH_WORDS.search(chunk):
            continue
        rest = chunk
        for value in content:
            if value in rest:
                rest = rest.replace(value, " ")
        rest = " ".join(rest.split())
        if rest in sources or FRENCH_WORDS.search(rest):
            found.append(chunk)
    return found


def _pages(world):
    """(role, url) of every page the walk's matrix gives a role (GET, 200), allauth's pages, the admin's index and
    every model's list for the superuser."""
    for module in MODULES:
        if hasattr(module, "populate"):
            module.populate(world)
    for name, spec in sorted(MATRIX.items()):
        if spec.method != "get":
            continue
        url = reverse(name, kwargs=spec.kwargs(world))
        if url in DEVELOPER_PAGES:
            continue
        for role in ROLES:
            if spec.statuses[role] == 200:
                yield role, url
    for role, names in ALLAUTH_PAGES.items():
        for name in names:
            yield role, reverse(name)
    yield "superuser", reverse("admin:index")
    for model in admin.site._registry:
        yield "superuser", reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def _page_text(response, language: str) -> list[str] | None:
    if response.status_code != 200 or response.streaming:  # a streamed file is an uploaded document: content
        return None
    if response["Content-Type"].startswith("application/pdf"):
        return [" ".join(line.split()) for line in pdf_text(response.content).splitlines() if line.strip()]
    if response["Content-Type"].startswith("text/html"):
        html = response.content.decode()
        assert f'<html lang="{language}"' in html or "<html" not in html, f"{response.request}: not in {language}"
        return visible_text(html, language)
    return None


@pytest.mark.parametrize("language", ["nl", "de"])
def test_every_page_of_every_role_is_in_the_language_chosen(world, language):
    sources = _french_sources(language)
    users = world.users | {"superuser": UserFactory(is_superuser=True, is_staff=True)}
    clients = {}
    for role, user in users.items():
        client = clients[role] = Client()
        if user is not None:
            user.langue = language
            user.save(update_fields=["langue"])
            client.force_login(user)
        else:
            client.post(reverse("language_switch"), {"language": language, "next": "/"})
    for prestataire in (world.prestataire_a, world.prestataire_b):  # its PDFs are in its contact language
        prestataire.langue = language
        prestataire.save(update_fields=["langue"])
    texts = []
    for role, url in _pages(world):
        chunks = _page_text(clients[role].get(url), language)
        if chunks is not None:
            texts.append((f"{role} {url}", chunks))
    content = _database_strings()  # after the pages: some create rows (a calendar token, a read log)
    findings = {page: sorted(set(found)) for page, chunks in texts if (found := untranslated(chunks, sources, content))}
    assert len(texts) > 100
    assert not findings, f"French text on {len(findings)} {language} page(s):\n" + "\n".join(
        f"{page}: {found}" for page, found in findings.items()
    )


@pytest.mark.parametrize("language", ["nl", "de"])
def test_every_e_mail_is_in_the_recipients_language(db, language):
    sources = _french_sources(language)
    user = UserFactory(role=Role.CLIENT, first_name="Els", langue=language)
    context = {"title": "T", "lines": ["L"], "path": "/", "user": user, "name": "Els", "paragraphs": ["P"]}
    context |= {"links": [("A", "/")], "closing": ["C"], "site_url": "http://x"}
    entries = [{"kind": kind, "context": context, "created_at": timezone.now()} for kind in REGISTRY.values()]
    templates = {code: (kind.template, {"kind": kind}) for code, kind in REGISTRY.items()}
    templates["digest"] = (lambda part: f"notifications/digest/{part}", {"entries": entries})
    findings = {}
    for code, (template, extra) in templates.items():
        with translation.override(language):
            parts = [render_to_string(template(part), context | extra) for part in ("subject.txt", "body.txt")]
            html = render_to_string(template("body.html"), context | extra)
        chunks = [" ".join(line.split()) for part in parts for line in part.splitlines() if line.strip()]
        found = untranslated(chunks + visible_text(html, language), sources, ["Els"])
        if found:
            findings[code] = found
    assert not findings, findings


def test_the_check_sees_a_french_string_and_spares_content_and_other_languages():
    html = (
        '<html lang="nl"><body><h1>Mijn aanvragen</h1><p title="Aucune demande.">Jardinage chez Dupont</p>'
        '<button lang="fr">Français</button><script>var x = "le mois";</script></body></html>'
    )
    chunks = visible_text(html, "nl")
    assert "Français" not in chunks and not any("mois" in c for c in chunks)
    assert untranslated(chunks, {"Aucune demande."}, ["Jardinage chez Dupont"]) == ["Aucune demande."]
    assert untranslated(["Séance du 3 décembre"], set(), []) == ["Séance du 3 décembre"]
