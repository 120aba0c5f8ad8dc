"""One rule book, one answer: for workers in a spread of situations, every screen and document shows the same used
hours, cap and remaining hours (docs/regles.md, "Où la règle est appliquée")."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ale_platform.models import Role
from prestations.matching import Slot, candidates
from prestations.services import record_prestation
from tests.factories import AgenceFactory, CollaborateurFactory, PrestataireFactory, PrestationFactory, UserFactory
from tests.utilisateurs.factories import DemandeFactory

from .factories import ready

pytestmark = pytest.mark.django_db


def work(worker, activite, utilisateur, hours, day, statut="effectuee"):
    """`hours` in rows of at most 20 h on `day` (the factory writes them as they are: a situation to display)."""
    left = Decimal(hours)
    while left > 0:
        chunk = min(left, Decimal(20))
        PrestationFactory(
            prestataire=worker, activite=activite, utilisateur=utilisateur, heures=chunk, date=day, statut=statut
        )
        left -= chunk


@pytest.fixture
def spread():
    """Near the general cap; the same person in two agencies; an agriculture mix; a basis that ended."""
    today = timezone.localdate()
    s = ready(year=today.year, nom="Quarante", prenom="Anne")
    account = UserFactory(role=Role.PRESTATAIRE)
    s.prestataire.compte = account
    s.prestataire.save(update_fields=["compte"])
    work(s.prestataire, s.generale, s.utilisateur, 40, today)

    twin_a = PrestataireFactory(agence=s.agence, statut="actif", nom="Double", prenom="Bruno")
    other = ready(year=today.year, agence=AgenceFactory(), nom="Double", prenom="Bruno", niss=twin_a.niss)
    work(twin_a, s.generale, s.utilisateur, 25, today)
    work(other.prestataire, other.generale, other.utilisateur, 15, today, statut="planifiee")

    agri = PrestataireFactory(agence=s.agence, statut="actif", nom="Fermier", prenom="Carl")
    work(agri, s.agricole, s.ferme, 100, today)
    work(agri, s.generale, s.utilisateur, 40, today)

    ended = PrestataireFactory(agence=s.agence, statut="actif", nom="Fini", prenom="Denis")
    ended.situations.update(depuis=today - datetime.timedelta(days=400), jusqu_au=today - datetime.timedelta(days=1))
    work(ended, s.generale, s.utilisateur, 40, today)
    return s, other, account, [s.prestataire, twin_a, agri, ended], other.prestataire


def test_every_screen_shows_the_same_used_cap_and_remaining_hours(spread):
    s, other, account, workers, twin_b = spread
    today = timezone.localdate()
    staff = Client()
    staff.force_login(s.staff)
    staff_b = Client()
    staff_b.force_login(CollaborateurFactory(agence=other.agence))
    remaining = "5 h en activités générales (plafond qui limite : 45 h, activités générales)"

    # The worker list: 5 h left under the 45 h general cap, for each of them.
    listing = staff.get(reverse("prestataires:list")).text
    assert listing.count("5 h restantes (40/45 h, activités générales)") == 4

    # The worker file: the same meters, and the same remaining hours (the twin's other file too).
    for worker in workers:
        page = staff.get(reverse("prestataires:detail", kwargs={"pk": worker.pk})).text
        assert "40 h / 45 h" in page and remaining in page, worker
    assert "140 h / 150 h" in staff.get(reverse("prestataires:detail", kwargs={"pk": workers[2].pk})).text
    twin_page = staff_b.get(reverse("prestataires:detail", kwargs={"pk": twin_b.pk})).text
    assert "40 h / 45 h" in twin_page and remaining in twin_page

    # The worker's own space shows the binding cap, not only the month's headline.
    own = Client()
    own.force_login(account)
    assert remaining in own.get(reverse("prestataires:espace")).text

    # The dashboard: the worst meter of each, same numbers.
    dashboard = staff.get(reverse("dashboard")).text
    assert dashboard.count("40 / 45 h") >= 3 and "140 / 150 h" in dashboard

    # Matching: the same remaining hours for a general activity at a private user.
    demande = DemandeFactory(utilisateur=s.utilisateur, activite=s.generale)
    ranked = candidates(demande, [Slot(today, datetime.time(9), datetime.time(11))])
    by_pk = {c.prestataire.pk: c for c in ranked}
    assert [by_pk[w.pk].heures_restantes for w in workers] == [Decimal(5)] * 4
    assert any("Pas éligible" in b for b in by_pk[workers[3].pk].blockers)

    # Recording: 5 h more pass the cap check, 6 h are refused by exactly the hour that is missing.
    for worker, agence_setup in ((workers[0], s), (twin_b, other)):
        with pytest.raises(ValidationError) as exc:
            record_prestation(
                prestataire=worker,
                utilisateur=agence_setup.utilisateur,
                activite=agence_setup.generale,
                date=today,
                debut=datetime.time(14),
                fin=datetime.time(20),
                heures=6,
                acting_user=agence_setup.staff,
                statut="planifiee",
            )
        assert "Plafond mensuel de 45 h dépassé de 1 h (46 h avec cette prestation)" in " ".join(
            exc.value.message_dict["heures"]
        )
    with pytest.raises(ValidationError) as exc:
        record_prestation(
            prestataire=workers[3],
            utilisateur=s.utilisateur,
            activite=s.generale,
            date=today,
            debut=datetime.time(14),
            fin=datetime.time(16),
            heures=2,
            acting_user=s.staff,
            statut="planifiee",
        )
    assert "n'est pas éligible à l'ALE le" in " ".join(exc.value.message_dict["prestataire"])
