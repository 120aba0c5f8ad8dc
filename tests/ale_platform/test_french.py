"""Elision before names ("d'Isabelle") and the person's own form on official PDFs ("Née le", "Active")."""

import pytest
from django.template import engines
from django.utils import translation

from ale_platform.french import elide


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le dossier de Isabelle Dupont est créé.", "Le dossier d'Isabelle Dupont est créé."),
        ("ALE de Éghezée", "ALE d'Éghezée"),
        ("Disponibilités de Yves Martin", "Disponibilités d'Yves Martin"),
        ("Le dossier de Jean Lejeune est créé.", "Le dossier de Jean Lejeune est créé."),
        ("ALE de Huy", "ALE de Huy"),  # h aspiré
        ("Rapport de ALE", "Rapport de ALE"),  # an acronym
        ("Heures de Anne (mars 2026)", "Heures d'Anne (mars 2026)"),
    ],
)
def test_de_before_a_vowel_name_is_elided(text, expected):
    with translation.override("fr"):
        assert elide(text) == expected


def test_other_languages_keep_their_own_sentence():
    with translation.override("nl"):
        assert elide("de Isabelle") == "de Isabelle"


def test_the_template_filter_keeps_escaped_names_escaped():
    template = engines["django"].from_string(
        "{% load i18n %}{% blocktranslate with nom=n asvar t %}Disponibilités de {{ nom }}{% endblocktranslate %}"
        "{{ t|elide }}"
    )
    with translation.override("fr"):
        assert template.render({"n": "Isabelle <b>"}) == "Disponibilités d'Isabelle &lt;b&gt;"
