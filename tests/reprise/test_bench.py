"""The take-over benchmark at a tiny scale: it runs, imports everything, re-imports as a no-op, leaves no trace."""

import datetime

import pytest

from bench import generate, measure, takeover
from prestataires.models import Prestataire
from reprise.models import Reprise
from utilisateurs.models import Autorisation, Utilisateur


@pytest.fixture
def small(monkeypatch):
    monkeypatch.setattr(takeover, "SIZES", {"workers": 20, "clients": 50})


def test_the_measurement_imports_then_reimports_as_a_no_op(db, small):
    generate.run(scale=0.0005, seed=7, today=datetime.date(2026, 11, 27), log=lambda _line: None)
    env = measure.Env.build(today=datetime.date(2026, 11, 27))
    workers, clients, autorisations = (m.objects.count() for m in (Prestataire, Utilisateur, Autorisation))
    [result] = measure.run(repeat=1, only=["reprise_import"], env=env, log=lambda _line: None)
    detail = result["detail"]
    assert detail["rows"] == 20 + 20 + 50 + 50 + 25 + 5 * takeover.BAD_ROWS
    # The "at least 99 % of the valid rows imported", measured on the office-shaped files.
    assert detail["valid_rows"] == 20 + 20 + 50 + 50 + 25
    assert detail["imported_valid_rows"] / detail["valid_rows"] >= 0.99
    assert detail["imported_share_percent"] >= 99
    bad = takeover.BAD_ROWS
    # The office-shaped files' title and TOTAL rows are set aside ("ignoree").
    office = {"ignoree": 2}
    assert detail["first"]["prestataires"] == {"nouveau": 20, "mise_a_jour": 0, "inchange": 0, "refuse": bad, **office}
    assert detail["first"]["situations"] == {"nouveau": 20, "mise_a_jour": 0, "inchange": 0, "refuse": bad}
    assert detail["first"]["utilisateurs"] == {"nouveau": 50, "mise_a_jour": 0, "inchange": 0, "refuse": bad, **office}
    assert detail["first"]["inscriptions"] == {"nouveau": 50, "mise_a_jour": 0, "inchange": 0, "refuse": bad}
    # Every third client's "Activités autorisées" gave a provisional authorisation; the authorisations' file (every
    # other client) puts the real number in place of the 9 of them it names (clients 0, 6, … 48).
    assert detail["first"]["autorisations"] == {"nouveau": 16, "mise_a_jour": 9, "inchange": 0, "refuse": bad}
    # Imported again: nothing changes, and the error report gives each refused row its reason.
    unchanged = {"prestataires": 20, "situations": 20, "utilisateurs": 50, "inscriptions": 50, "autorisations": 25}
    for entite, count in unchanged.items():
        shaped = office if entite in ("prestataires", "utilisateurs") else {}
        assert detail["again"][entite] == {"nouveau": 0, "mise_a_jour": 0, "inchange": count, "refuse": bad, **shaped}
        assert detail["report_lines_with_a_reason"][entite] == bad
    # Rolled back: nothing imported is left.
    assert (Prestataire.objects.count(), Utilisateur.objects.count()) == (workers, clients)
    assert Autorisation.objects.count() == autorisations
    assert not Reprise.objects.exists()
    assert "reprise_import" in measure.table([result])
