"""Rule: eligibility is checked before any work is paid (honnelles.be, braives.be), not only when it is planned.

The federal limitation of unemployment benefits ends bases in waves from 1.1.2026 to 1.7.2027 (levif.be): a slot
planned while the worker was eligible must not reach the client's confirmation, the validation, the ALE 4 or the
payment body's statement once the basis has ended; staff see it at once, with the next step.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ale_platform.models import Role
from prestations.eligibility_watch import work_after_eligibility
from prestations.models import Prestation
from prestations.selectors import formulaire, releves
from prestations.services import confirm_hours, validate_prestation
from tests.factories import UserFactory

from .factories import ready
from .test_rulebook import messages, rec

pytestmark = pytest.mark.django_db
D = datetime.date


def _basis_ends(s, day):
    s.prestataire.situations.update(jusqu_au=day)


def test_client_cannot_confirm_hours_dated_after_the_end_of_eligibility():
    s = ready()
    slot = rec(s, 2, D(2026, 11, 20), statut="planifiee")
    _basis_ends(s, D(2026, 11, 15))
    client = UserFactory(role=Role.CLIENT)
    with pytest.raises(ValidationError) as exc:
        confirm_hours(prestation=slot, acting_user=client)
    text = messages(exc)
    assert "l'ALE doit d'abord vérifier" in text and "20/11/2026" in text
    assert "Revenu d'intégration" not in text  # the client never reads another person's benefits
    slot.refresh_from_db()
    assert slot.statut == Prestation.Statut.PLANIFIEE


def test_staff_cannot_validate_hours_dated_after_the_end_of_eligibility():
    s = ready()
    worked = rec(s, 2, D(2026, 11, 20))
    _basis_ends(s, D(2026, 11, 15))
    with pytest.raises(ValidationError) as exc:
        validate_prestation(prestation=worked, acting_user=s.staff)
    assert "n'est pas éligible à l'ALE le 20/11/2026" in messages(exc)
    assert "a pris fin le 15/11/2026" in messages(exc)
    worked.refresh_from_db()
    assert worked.statut == Prestation.Statut.EFFECTUEE


def test_ale4_and_statement_do_not_pay_hours_dated_after_the_end_of_eligibility():
    """A line validated before the end date was typed (backdated) is flagged and never counted."""
    s = ready()
    lawful = rec(s, 2.5, D(2026, 11, 10))
    unlawful = rec(s, 2, D(2026, 11, 20))
    for p in (lawful, unlawful):
        validate_prestation(prestation=p, acting_user=s.staff)
    _basis_ends(s, D(2026, 11, 15))

    form = formulaire(s.prestataire, 2026, 11)
    assert form.cheques_dus == 3 and str(form.montant) == "12.30"
    assert [p.pk for p in form.hors_eligibilite] == [unlawful.pk]

    (statement,) = releves(s.agence, 2026, 11)
    assert [(ligne.cheques, str(ligne.montant)) for ligne in statement.lignes] == [(3, "12.30")]
    assert [p.pk for p in statement.hors_eligibilite] == [unlawful.pk]


def test_slots_planned_after_the_end_of_a_basis_are_listed_at_once_with_the_next_step():
    s = ready()
    before = rec(s, 2, D(2026, 12, 14), statut="planifiee")
    after = rec(s, 2, D(2026, 12, 21), statut="planifiee")
    assert work_after_eligibility(agence=s.agence) == []
    _basis_ends(s, D(2026, 12, 15))
    found = work_after_eligibility(agence=s.agence)
    assert [w.prestation.pk for w in found] == [after.pk]
    assert before.pk not in [w.prestation.pk for w in found]
    assert "a pris fin le 15/12/2026" in found[0].reason
    assert "voie (a) de 2026" in found[0].next_step  # the Walloon 12-month route is open on that date
    assert work_after_eligibility(prestataire=s.prestataire)[0].prestation == after


def test_another_basis_covering_the_date_keeps_the_slot_off_the_list():
    s = ready()
    rec(s, 2, D(2026, 12, 21), statut="planifiee")
    _basis_ends(s, D(2026, 12, 15))
    s.prestataire.situations.create(
        base="forem_12_mois", depuis=D(2025, 1, 1), preuve="Attestation Forem", date_preuve=D(2026, 11, 1)
    )
    assert work_after_eligibility(agence=s.agence) == []


def test_staff_see_work_after_eligibility_on_the_dashboard_and_the_worker_file(client):
    s = ready()
    rec(s, 2, D(2026, 12, 21), statut="planifiee")
    _basis_ends(s, D(2026, 12, 15))
    client.force_login(s.staff)
    page = client.get(reverse("dashboard"))
    tile = {t.key: t for t in page.context["tiles"]}["after_eligibility"]
    assert tile.value == 1 and tile.alert
    assert "21/12/2026" in page.text and "voie (a) de 2026" in page.text
    file = client.get(reverse("prestataires:detail", args=[s.prestataire.pk]))
    assert 'id="hors-eligibilite"' in file.text and "21/12/2026" in file.text


def test_the_worker_is_told_in_plain_words_before_the_basis_ends(client, django_capture_on_commit_callbacks):
    """Told at once when the end date is typed (not only on day 30 and day 7), and in their space until then."""
    from ale_platform.notifications import MY_BASIS_ENDING

    s = ready()
    account = UserFactory(role=Role.PRESTATAIRE)
    s.prestataire.compte = account
    s.prestataire.save()
    rec(s, 2, D(2026, 12, 21), statut="planifiee")
    situation = s.prestataire.situations.get()
    staff = client
    staff.force_login(s.staff)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        from prestataires.services import announce_basis_end

        _basis_ends(s, D(2026, 12, 15))
        situation.refresh_from_db()
        assert announce_basis_end(situation, D(2026, 12, 2))  # 13 days ahead: neither day 30 nor day 7
    assert len(callbacks) == 2  # staff, and the worker (MY_BASIS_ENDING)
    assert MY_BASIS_ENDING.code == "ma_base_eligibilite_fin"
    client.force_login(account)
    page = client.get(reverse("prestataires:espace"))
    assert "prend fin le 15/12/2026" in page.text
    assert "auprès de votre service de l'emploi (Forem)" in page.text
    assert "21/12/2026" in page.text


def test_the_ale4_flags_an_unlawful_line_without_naming_the_persons_benefits():
    """The ALE 4 goes to the payment body: the line says "non due", not which benefit ended."""
    from prestations.pdf import formulaire_pdf
    from tests.pdf import pdf_text

    s = ready()
    unlawful = rec(s, 2, D(2026, 11, 20))
    validate_prestation(prestation=unlawful, acting_user=s.staff)
    _basis_ends(s, D(2026, 11, 15))
    text = pdf_text(formulaire_pdf(s.prestataire, 2026, 11))
    assert "non due" in text and "non éligible à l'ALE à cette date" in text
    assert "Revenu d'intégration" not in text


def test_the_months_closing_screen_names_work_after_the_end_of_eligibility(client):
    """Issue 22 × 20: what blocks a worker's month on `Clôture du mois` includes hours dated after their basis."""
    s = ready()
    rec(s, 2, D(2026, 11, 20))
    _basis_ends(s, D(2026, 11, 15))
    client.force_login(s.staff)
    page = client.get(reverse("prestations:cloture"), {"mois": "2026-11"}).content.decode()
    assert "1 après la fin de l&#x27;éligibilité" in page or "1 après la fin de l'éligibilité" in page
