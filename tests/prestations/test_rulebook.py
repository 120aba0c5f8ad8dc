"""The rule book: each test names the rule and its source (docs/regles.md)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prestataires.models import ContratALE, SituationEligibilite
from prestataires.services import sign_contrat
from prestations.models import ChequeALE
from prestations.rulebook import law_in_force, lock_person, vouchers_due
from tests.factories import AgenceFactory, PrestataireFactory, UtilisateurFactory

from .factories import authorise, ready

pytestmark = pytest.mark.django_db
D, T = datetime.date, datetime.time


def rec(s, hours, day, *, prestataire=None, activite=None, utilisateur=None, start=8, **kw):
    from prestations.services import record_prestation

    hours = Decimal(str(hours))
    begin = datetime.datetime.combine(day, T(start))
    end = begin + datetime.timedelta(minutes=int(hours * 60))
    return record_prestation(
        prestataire=prestataire or s.prestataire,
        utilisateur=utilisateur or s.utilisateur,
        activite=activite or s.generale,
        date=day,
        debut=begin.time(),
        fin=end.time(),
        heures=hours,
        acting_user=s.staff,
        **kw,
    )


def messages(exc) -> str:
    return " ".join(m for msgs in exc.value.message_dict.values() for m in msgs)


def test_wallonia_law_is_seeded_data_with_a_date_and_a_region():
    """Rule: 45 h / 70 h / 150 h (45 h outside agriculture) / 630 h and €4.10 per voucher, Wallonia since
    1.4.2010 (ale-tournai.be, couvin.be, news.belgium.be, theux.be): data, not code."""
    law = law_in_force("wallonie", D(2026, 3, 1))
    assert (law.plafond_mensuel, law.plafond_mensuel_majore, law.plafond_mensuel_agricole) == (45, 70, 150)
    assert (law.plafond_hors_agricole, law.plafond_annuel) == (45, 630)
    assert law.indemnite_par_cheque == Decimal("4.10") and law.prix_minimum_cheque == Decimal("5.95")
    assert set(law.types_utilisateurs_majores) == {"particulier", "enseignement"}


def test_the_law_packed_with_another_query_is_the_law_in_force():
    """Rule: the law of a region on a date (before the first row, the earliest; no row, the seed). Matching
    reads it packed with its workers' query (law.packed_law/law_unpacked): the same pick, the same values."""
    from django.db.models import Value

    from ale_platform.models import Agence
    from prestations.models import RegleLegale
    from prestations.rulebook.law import law_unpacked, packed_law, seed_law

    seed_law(RegleLegale)  # the migration's row (a flushing test before this one may have removed it)
    RegleLegale.objects.create(
        region="wallonie",
        en_vigueur_du=D(2027, 1, 1),
        plafond_mensuel=50,
        plafond_mensuel_majore=75,
        types_utilisateurs_majores=["particulier"],
        plafond_mensuel_agricole=150,
        plafond_hors_agricole=50,
        plafond_annuel=650,
        indemnite_par_cheque=Decimal("4.35"),
        prix_minimum_cheque=Decimal("6.20"),
        source="test",
    )

    def packed_text():
        return Agence.objects.annotate(lois=packed_law(Value("wallonie"))).values_list("lois", flat=True).first()

    AgenceFactory()
    text = packed_text()
    for on in (D(2009, 1, 1), D(2026, 12, 31), D(2027, 1, 1)):
        assert law_unpacked(text, "wallonie", on) == law_in_force("wallonie", on)
    assert law_unpacked(text, "wallonie", D(2027, 2, 1)).indemnite_par_cheque == Decimal("4.35")
    RegleLegale.objects.all().delete()
    assert packed_text() is None
    assert law_unpacked(None, "wallonie", D(2026, 3, 1)) == law_in_force("wallonie", D(2026, 3, 1))


def test_one_voucher_per_hour_started():
    """Rule: one voucher per hour worked or started, per prestation (mes-aides-financieres.be; theux.be)."""
    assert [vouchers_due(Decimal(h)) for h in ("0.25", "1", "2.5", "7.75")] == [1, 1, 3, 8]


def test_caps_belong_to_the_person_across_agencies():
    """Rule: the caps belong to the person: a worker registered at several ALEs counts all their hours together
    (honnelles.be; ale-rules.md, "Hour caps")."""
    s = ready()
    other = ready(agence=AgenceFactory())
    twin = other.prestataire
    twin.niss = s.prestataire.niss
    twin.save(update_fields=["niss"])
    for day in (2, 3, 4, 5):
        rec(s, 8, D(2026, 3, day))  # 32 h at the first agency
    rec(other, 8, D(2026, 3, 9), prestataire=twin)  # 40 h for the person
    with pytest.raises(ValidationError) as exc:
        rec(other, 6, D(2026, 3, 10), prestataire=twin)
    assert "Plafond mensuel de 45 h dépassé de 1 h (46 h avec cette prestation)" in messages(exc)
    with pytest.raises(ValidationError) as exc:  # same person, same time, other agency
        rec(s, 2, D(2026, 3, 9))
    assert "travaille déjà de 08:00 à 16:00" in messages(exc)


def test_lock_takes_every_file_of_the_person_in_a_fixed_order():
    """Rule: recordings for one person are serialised whatever the agency (all their files locked, by id)."""
    s = ready()
    twin = PrestataireFactory(agence=AgenceFactory(), niss=s.prestataire.niss)
    with CaptureQueriesContext(connection) as queries:
        assert lock_person(twin) == twin
    sql = queries.captured_queries[-1]["sql"]
    assert "niss" in sql and "ORDER BY" in sql


def test_70_hours_need_the_activity_and_the_user_type():
    """Rule: the 70 h cap is for gardening and supervision at private users, and schools (couvin.be): the same
    activity at an association counts under the general 45 h."""
    s = ready()
    asbl = UtilisateurFactory(agence=s.agence, type="asbl", nom="Les Amis")
    s.majoree.types_utilisateurs = ["particulier", "asbl"]
    s.majoree.save()
    authorise(asbl, s.majoree, 2026)
    for day in (2, 3, 4, 5, 6):
        rec(s, 8, D(2026, 3, day), activite=s.majoree, utilisateur=asbl)  # 40 h, general cap
    with pytest.raises(ValidationError) as exc:
        rec(s, 6, D(2026, 3, 9), activite=s.majoree, utilisateur=asbl)
    assert "Plafond mensuel de 45 h dépassé de 1 h" in messages(exc)
    rec(s, 6, D(2026, 3, 9), activite=s.majoree)  # at a private user: 70 h cap, 46 h is fine


def test_agency_caps_only_make_the_agency_stricter():
    """Rule: the caps are the law's; an agency may plan below them, never above (ale-rules.md)."""
    lower = ready(agence=AgenceFactory(plafond_mensuel=40))
    for day in (2, 3, 4, 5, 6):
        rec(lower, 8, D(2026, 3, day))
    with pytest.raises(ValidationError) as exc:
        rec(lower, 1, D(2026, 3, 9))
    assert "Plafond mensuel de 40 h dépassé de 1 h" in messages(exc)
    higher = ready(agence=AgenceFactory(plafond_mensuel=60, plafond_mensuel_majore=80))
    for day in (2, 3, 4, 5, 6):
        rec(higher, 8, D(2026, 3, day))
    with pytest.raises(ValidationError) as exc:
        rec(higher, 6, D(2026, 3, 9))
    assert "Plafond mensuel de 45 h dépassé de 1 h" in messages(exc)


def test_no_planning_and_no_hours_for_a_worker_not_eligible_on_that_date():
    """Rule: eligibility is checked before any work (honnelles.be, braives.be): a basis that ended refuses
    planning and recording, with the rule and the date."""
    s = ready()
    s.prestataire.situations.update(jusqu_au=D(2026, 3, 15))
    rec(s, 2, D(2026, 3, 13))
    with pytest.raises(ValidationError) as exc:
        rec(s, 2, D(2026, 3, 16), statut="planifiee")
    text = messages(exc)
    assert "n'est pas éligible à l'ALE le 16/03/2026" in text
    # The refusal names the region and the source of the basis judged (AR 17.12.1999 for the RIS), not another's.
    assert "Wallonie : AR 17.12.1999" in text and "a pris fin le 15/03/2026" in text


def test_no_contract_signature_for_a_worker_not_eligible():
    """Rule: eligibility is checked before the contract (honnelles.be, braives.be)."""
    s = ready()
    worker = PrestataireFactory(agence=s.agence, eligible=False)
    contrat = ContratALE.objects.create(prestataire=worker, date_debut=D(2026, 3, 1))
    with pytest.raises(ValidationError) as exc:
        sign_contrat(contrat=contrat, date_signature=D(2026, 3, 1), acting_user=s.staff)
    assert "n'est pas éligible à l'ALE le 01/03/2026" in messages(exc)
    SituationEligibilite.objects.create(
        prestataire=worker, base="ris", depuis=D(2025, 1, 1), preuve="CPAS", date_preuve=D(2025, 1, 1)
    )
    assert sign_contrat(contrat=contrat, date_signature=D(2026, 3, 1), acting_user=s.staff).date_signature


def test_record_prestation_query_budget(django_assert_max_num_queries):
    """One aggregation of the person's hours per recording, whatever their history."""
    s = ready()
    for day in (2, 3, 4):
        rec(s, 4, D(2026, 3, day))
    with django_assert_max_num_queries(24), CaptureQueriesContext(connection) as queries:
        rec(s, 4, D(2026, 3, 5))
    hour_sums = [q for q in queries.captured_queries if "SUM(" in q["sql"].upper() and '"niss"' in q["sql"]]
    assert len(hour_sums) == 1  # the person's month and year, read once under the lock


def test_hours_form_query_budget(client, django_assert_max_num_queries):
    s = ready()
    client.force_login(s.staff)
    data = {
        "prestataire": s.prestataire.pk,
        "utilisateur": s.utilisateur.pk,
        "activite": s.generale.pk,
        "date": "2026-03-20",
        "debut": "09:00",
        "fin": "12:00",
        "heures": "2,5",
        "statut": "effectuee",
    }
    with django_assert_max_num_queries(40):
        response = client.post(reverse("prestations:create"), data)
    assert response.status_code == 302


def test_voucher_register_minimum_price_is_the_law_of_the_region():
    """Rule: €5.95 minimum voucher price in Wallonia since 1.1.2009 (news.belgium.be), read from the law."""
    from prestations.services import record_cheque

    s = ready()
    with pytest.raises(ValidationError) as exc:
        record_cheque(
            agence=s.agence, numero="1234567890", utilisateur=s.utilisateur, acting_user=s.staff, valeur="5.50"
        )
    assert "minimum légal de 5,95 €" in messages(exc)
    assert not ChequeALE.objects.exists()
