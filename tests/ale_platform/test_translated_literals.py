"""User-facing text goes through gettext (docs/decisions.md 6): history reasons, status-log motives and API
errors written as bare French literals never reached the Dutch and German catalogues."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["ale_platform", "prestataires", "prestations", "utilisateurs", "forem_liaison", "reprise", "tableau_de_bord"]
# reason="…", motif="…", ValidationError("…") / ValidationError({"field": ["…"]}), messages.x(request, "…")
BARE = re.compile(
    r"""\b(?:reason|motif)=f?["'][^"']|ValidationError\(\s*(?:\{\s*["']\w+["']:\s*\[?\s*)?f?["']"""
    r"""|messages\.\w+\(\s*request,\s*f?["'](?! ?["']\.join)"""  # " ".join(exc.messages) is translated text
)


def _sources():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or path.name == "demo.py" or path.name.startswith("demo_"):
                continue  # migrations freeze text; demo data is content, not interface
            yield path


def test_no_bare_french_literal_in_history_reasons_messages_or_errors():
    bare = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _sources()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if BARE.search(line)
    ]
    assert bare == []


def test_the_hours_history_reason_reaches_the_catalogues():
    for language in ("nl", "de"):
        catalogue = (ROOT / "locale" / language / "LC_MESSAGES" / "django.po").read_text()
        assert 'msgid "Heures encodées"' in catalogue
        assert 'msgid "Confirmée par l\'utilisateur"' in catalogue
