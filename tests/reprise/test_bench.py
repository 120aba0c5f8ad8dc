"""The take-over benchmark at a tiny scale: it runs, imports everything, re-imports as a no-op, leaves no trace."""

import datetime

import pytest

from bench import generate, measure, takeover
from prestataires.models import Prestataire
from reprise.models import Reprise
from utilisateurs.models import Utilisateur


@pytest.fixture
def small(monkeypatch):
    monkeypatch.setattr(takeover, "SIZES", {"workers": 20, "clients": 50})


def test_the_measurement_imports_then_reimports_as_a_no_op(db, small):
    generate.run(scale=0.0005, seed=7, today=datetime.date(2026, 11, 27), log=lambda _line: None)
    env = measure.Env.build(today=datetime.date(2026, 11, 27))
    workers, clients = Prestataire.objects.count(), Utilisateur.objects.count()
    [result] = measure.run(repeat=1, only=["reprise_import"], env=env, log=lambda _line: None)
    detail = result["detail"]
    assert detail["rows"] == 90
    assert detail["first"]["prestataires"] == {"nouveau": 20, "mise_a_jour": 0, "inchange": 0, "refuse": 0}
    assert detail["first"]["situations"] == {"nouveau": 20, "mise_a_jour": 0, "inchange": 0, "refuse": 0}
    assert detail["again"]["situations"]["inchange"] == 20
    assert detail["first"]["utilisateurs"]["nouveau"] == 50
    assert detail["again"]["prestataires"]["inchange"] == 20 and detail["again"]["utilisateurs"]["inchange"] == 50
    # Rolled back: nothing imported is left.
    assert (Prestataire.objects.count(), Utilisateur.objects.count()) == (workers, clients)
    assert not Reprise.objects.exists()
    assert "reprise_import" in measure.table([result])
