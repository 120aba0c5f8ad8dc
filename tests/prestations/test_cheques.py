"""Vouchers: the register, one voucher per hour worked or started, states with a log, lists, CSV import."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from prestations.models import ChequeALE, Prestation
from prestations.rulebook import vouchers_due
from prestations.selectors import clients_debiteurs, prestations_a_regulariser
from prestations.services import (
    attach_vouchers,
    change_cheque_statut,
    record_cheque,
    record_prestation,
    validate_prestation,
)

from .factories import ready

pytestmark = pytest.mark.django_db
D, T = datetime.date, datetime.time


def worked(s, hours="2.5", day=None, validate=True):
    day = day or D(2026, 3, 10)
    p = record_prestation(
        prestataire=s.prestataire,
        utilisateur=s.utilisateur,
        activite=s.generale,
        date=day,
        debut=T(9),
        fin=T(13),
        heures=Decimal(hours),
        acting_user=s.staff,
    )
    return validate_prestation(prestation=p, acting_user=s.staff) if validate else p


def test_a_prestation_of_2_5_hours_needs_3_vouchers():
    s = ready()
    p = worked(s)
    assert vouchers_due(p.heures) == 3
    with pytest.raises(ValidationError) as exc:
        attach_vouchers(
            prestation=p, acting_user=s.staff, numeros=["1000000001", "1000000002", "1000000003", "1000000004"]
        )
    assert "4 chèques pour 3 heures encore à couvrir (2,5 h prestées) : 1 de trop." in exc.value.message_dict["numeros"]
    attach_vouchers(prestation=p, acting_user=s.staff, numeros=["1000000001", "1000000002"])
    assert [r.pk for r in prestations_a_regulariser(Prestation.objects.all())] == [p.pk]
    assert clients_debiteurs(Prestation.objects.all())[0]["cheques"] == 1
    attach_vouchers(prestation=p, acting_user=s.staff, numeros=["1000000003"])
    assert not prestations_a_regulariser(Prestation.objects.all()).exists()
    assert clients_debiteurs(Prestation.objects.all()) == []
    assert ChequeALE.objects.get(numero="1000000001").valeur == s.agence.prix_cheque


def test_electronic_voucher_covers_the_hours_and_can_be_contested():
    s = ready()
    p = worked(s, hours="4")
    [cheque] = attach_vouchers(prestation=p, acting_user=s.staff, electronique=True)
    assert cheque.quantite == 4 and cheque.statut == "validee"
    with pytest.raises(ValidationError):
        change_cheque_statut(cheque=cheque, statut="contestee", acting_user=s.staff, motif="")
    change_cheque_statut(cheque=cheque, statut="contestee", acting_user=s.staff, motif="Client conteste 1 h")
    assert [r.pk for r in prestations_a_regulariser(Prestation.objects.all())] == [p.pk]
    assert [(t.de, t.vers) for t in cheque.transitions.all()] == [("", "validee"), ("validee", "contestee")]


def test_paper_voucher_states_follow_the_register_rules():
    s = ready()
    c = record_cheque(agence=s.agence, numero="2000000001", utilisateur=s.utilisateur, acting_user=s.staff)
    with pytest.raises(ValidationError) as exc:
        change_cheque_statut(cheque=c, statut="paye", acting_user=s.staff)
    assert "ne peut pas passer à « Indemnité payée au prestataire »" in exc.value.message_dict["statut"][0]
    for statut in ("rentre", "transmis", "paye"):
        c = change_cheque_statut(cheque=c, statut=statut, acting_user=s.staff)
    assert [t.vers for t in c.transitions.all()] == ["remis", "rentre", "transmis", "paye"]


@pytest.mark.parametrize(
    ("numero", "valeur", "message"),
    [
        ("12345", None, "Numéro de chèque « 12345 » mal formé : 10 chiffres attendus."),
        ("2000000009", "5.50", "Valeur de 5,50 € inférieure au minimum légal de 5,95 € (0,45 € de moins)."),
    ],
)
def test_bad_vouchers_are_refused(numero, valeur, message):
    s = ready()
    with pytest.raises(ValidationError) as exc:
        record_cheque(agence=s.agence, numero=numero, valeur=valeur, utilisateur=s.utilisateur, acting_user=s.staff)
    assert message in [m for msgs in exc.value.message_dict.values() for m in msgs]
    assert not ChequeALE.objects.exists()


def test_number_used_once_in_service_and_database():
    s = ready()
    record_cheque(agence=s.agence, numero="3000000001", utilisateur=s.utilisateur, acting_user=s.staff)
    with pytest.raises(ValidationError) as exc:
        record_cheque(agence=s.agence, numero="3000000001", utilisateur=s.utilisateur, acting_user=s.staff)
    assert exc.value.message_dict["numero"] == [
        "Le chèque n° 3000000001 est déjà enregistré : un numéro ne sert qu'une fois."
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        ChequeALE.objects.create(
            agence=s.agence, numero="3000000001", utilisateur=s.utilisateur, valeur=Decimal("5.95")
        )
    with pytest.raises(IntegrityError), transaction.atomic():  # the DB refuses a malformed number too
        ChequeALE.objects.create(agence=s.agence, numero="12AB", utilisateur=s.utilisateur, valeur=Decimal("5.95"))


def test_a_voucher_entered_beforehand_is_attached_from_the_register():
    s = ready()
    record_cheque(agence=s.agence, numero="4000000001", utilisateur=s.utilisateur, acting_user=s.staff)
    p = worked(s, hours="1")
    [c] = attach_vouchers(prestation=p, acting_user=s.staff, numeros=["4000000001"])
    assert c.prestation == p and ChequeALE.objects.count() == 1


def test_voucher_messages_agree_in_number_with_one_hour():
    s = ready()
    p = worked(s, hours="1")
    with pytest.raises(ValidationError) as exc:
        attach_vouchers(prestation=p, acting_user=s.staff, numeros=["1000000011", "1000000012"])
    assert "2 chèques pour 1 heure encore à couvrir (1 h prestées) : 1 de trop." in exc.value.message_dict["numeros"]
    attach_vouchers(prestation=p, acting_user=s.staff, numeros=["1000000011"])
    with pytest.raises(ValidationError) as exc:
        attach_vouchers(prestation=p, acting_user=s.staff, numeros=["1000000012"])
    assert "Cette prestation est déjà couverte par 1 chèque." in str(exc.value)
