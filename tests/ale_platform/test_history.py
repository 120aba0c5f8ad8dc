"""The audit trail reads like the record's page: labels, names, local dates, Belgian numbers; never raw values."""

import datetime
from decimal import Decimal

import pytest

from ale_platform.history import history_entries
from tests.factories import CollaborateurFactory, PrestationFactory

pytestmark = pytest.mark.django_db


def test_a_validation_shows_the_status_label_the_local_time_and_the_validator_name():
    prestation = PrestationFactory(statut="planifiee", heures=Decimal("3.50"))
    staff = CollaborateurFactory(first_name="Sophie", last_name="Lambert", agence=prestation.agence)
    prestation.statut = "validee"
    prestation.heures = Decimal("3.25")
    prestation.validee_le = datetime.datetime(2026, 12, 1, 3, 7, 57, 732349, tzinfo=datetime.UTC)
    prestation.validee_par = staff
    prestation._history_user = staff
    prestation.save()

    entry = history_entries(prestation)[0]
    changes = {label: (old, new) for label, old, new in entry.changes}
    assert entry.who == "Sophie Lambert"
    statut_label = str(type(prestation)._meta.get_field("statut").verbose_name)
    assert changes[statut_label] == ("Planifiée", "Validée")
    assert changes["validée le"] == ("—", "01/12/2026 04:07")  # Brussels time, no microseconds
    assert changes["validée par"] == ("—", "Sophie Lambert")
    heures_label = str(type(prestation)._meta.get_field("heures").verbose_name)
    assert changes[heures_label] == ("3,5", "3,25")
