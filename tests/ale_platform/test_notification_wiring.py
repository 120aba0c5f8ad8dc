"""Each business event sends its notification once, after the transaction commits, to the right people."""

import datetime
import uuid

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import formats, timezone

from ale_platform.models import AgenceMembership, Role
from ale_platform.notifications import agency_staff
from forem_liaison import services as forem_services
from prestations import services as prestation_services
from tests.factories import AgenceFactory, CollaborateurFactory, ConseillerFactory, UserFactory
from tests.forem_liaison.factories import draft_retour, move
from tests.prestations.factories import ready
from tests.utilisateurs.factories import InscriptionFactory, bookable_client
from utilisateurs import services as utilisateur_services
from utilisateurs.calendrier import jours_feries

pytestmark = pytest.mark.django_db
NISS = "85073003328"


def _subjects():
    return sorted(m.subject for m in mail.outbox)


def test_agency_staff_are_its_active_collaborators_only():
    agence, other = AgenceFactory(), AgenceFactory()
    collab = CollaborateurFactory(agence=agence)
    CollaborateurFactory(agence=other)
    gone = CollaborateurFactory(agence=agence, is_active=False)
    admin = CollaborateurFactory(agence=other)
    AgenceMembership.objects.create(user=admin, agence=agence, is_admin=True)
    assert set(agency_staff(agence)) == {collab, admin}
    assert gone not in agency_staff(agence)


def test_a_client_request_notifies_the_agency_collaborators_once(django_capture_on_commit_callbacks):
    agence = AgenceFactory()
    collab = CollaborateurFactory(agence=agence)
    CollaborateurFactory(agence=AgenceFactory())  # another agency: not told
    client = UserFactory(role=Role.CLIENT)
    utilisateur, activite = bookable_client(agence, compte=client, nom="Dupont", prenom="Anne")
    day = _next_weekday(10)
    if day.year != timezone.localdate().year:  # from mid-December: the client has renewed for next year
        InscriptionFactory(utilisateur=utilisateur, annee=day.year)
    with django_capture_on_commit_callbacks(execute=True):
        utilisateur_services.create_demande(
            utilisateur=utilisateur,
            activite=activite,
            description="Tonte de la pelouse",
            nombre_prestataires=1,
            creneaux=[(day, datetime.time(9), datetime.time(11))],
            cle_idempotence=uuid.uuid4(),
            acting_user=client,
        )
        assert mail.outbox == []
    assert len(mail.outbox) == 2  # the agency's collaborators, and the client's acknowledgement
    to_staff = next(m for m in mail.outbox if m.to == [collab.email])
    assert to_staff.subject.startswith("[ALE] Nouvelle demande : ")
    assert f"{day:%d/%m/%Y} 09:00-11:00" in to_staff.body
    assert "Anne Dupont a introduit une nouvelle demande" in to_staff.body  # the client, named
    to_client = next(m for m in mail.outbox if m.to == [client.email])
    assert to_client.subject == f"[ALE] Votre demande est bien reçue : {activite.nom}"
    assert f"{day:%d/%m/%Y} 09:00-11:00" in to_client.body
    assert "/espace-client/demandes/" in to_client.body
    # A link, not the details (docs/privacy.md): the description stays on the platform.
    assert "Tonte" not in to_staff.body + to_client.body


def test_a_request_encoded_by_staff_does_not_notify_them(django_capture_on_commit_callbacks):
    agence = AgenceFactory()
    collab = CollaborateurFactory(agence=agence)
    utilisateur, activite = bookable_client(agence)
    day = _next_weekday(5)
    if day.year != timezone.localdate().year:
        InscriptionFactory(utilisateur=utilisateur, annee=day.year)
    with django_capture_on_commit_callbacks(execute=True):
        utilisateur_services.create_demande(
            utilisateur=utilisateur,
            activite=activite,
            description="Repassage",
            nombre_prestataires=1,
            creneaux=[(day, datetime.time(9), datetime.time(10))],
            cle_idempotence=uuid.uuid4(),
            acting_user=collab,
        )
    assert mail.outbox == []


def _planned(s, day):
    s.prestataire.compte = UserFactory(role=Role.PRESTATAIRE)
    s.prestataire.save()
    s.utilisateur.compte = UserFactory(role=Role.CLIENT)
    s.utilisateur.save()
    return prestation_services.record_prestation(
        prestataire=s.prestataire,
        utilisateur=s.utilisateur,
        activite=s.generale,
        date=day,
        debut=datetime.time(9),
        fin=datetime.time(11),
        heures=2,
        statut="planifiee",
        acting_user=s.staff,
    )


def _next_weekday(days=7):
    """A working day `days` ahead or later whose next day is a working day of the same year (a move's target)."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    after = day + datetime.timedelta(days=1)
    while day.weekday() >= 4 or jours_feries(day, after) or after.year != day.year:
        day = after
        after = day + datetime.timedelta(days=1)
    return day


def test_cancelling_a_prestation_tells_the_worker_and_the_client(django_capture_on_commit_callbacks):
    day = _next_weekday()
    s = ready(year=day.year)
    prestation = _planned(s, day)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        prestation_services.cancel_prestation(prestation=prestation, acting_user=s.staff, motif="Client malade")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([s.prestataire.compte.email, s.utilisateur.compte.email])
    assert all(m.subject.startswith("[ALE] Prestation annulée ou déplacée") for m in mail.outbox)
    assert all("Client malade" in m.body for m in mail.outbox)


def test_moving_a_prestation_tells_the_worker_and_the_client_once(django_capture_on_commit_callbacks):
    day = _next_weekday()
    s = ready(year=day.year)
    prestation = _planned(s, day)
    mail.outbox.clear()
    new_day = day + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        prestation_services.move_prestation(
            prestation=prestation,
            date=new_day,
            debut=datetime.time(14),
            fin=datetime.time(16),
            acting_user=s.staff,
            motif="Demande du client",
        )
    assert len(mail.outbox) == 2
    assert f"{day:%d/%m/%Y} 09:00-11:00" in mail.outbox[0].body


def test_a_worker_can_turn_off_nothing_mandatory_but_staff_can_turn_off_optional(django_capture_on_commit_callbacks):
    from ale_platform.models import PreferenceNotification

    day = _next_weekday()
    s = ready(year=day.year)
    prestation = _planned(s, day)
    mail.outbox.clear()
    PreferenceNotification.objects.create(user=s.prestataire.compte, kind="annulation", mode="desactive")
    with django_capture_on_commit_callbacks(execute=True):
        prestation_services.cancel_prestation(prestation=prestation, acting_user=s.staff, motif="Pluie")
    assert len(mail.outbox) == 2  # cancellation is mandatory: the preference is ignored


def test_crossing_80_percent_of_a_cap_notifies_the_staff_once(django_capture_on_commit_callbacks):
    day = _next_weekday()
    s = ready(year=day.year)
    cap = s.agence.plafond_mensuel  # 45 h by default
    start = day.replace(day=1)
    hours_needed = int(cap * 0.8)  # 36 h: below then at 80 %

    def record(on, heures, debut):
        return prestation_services.record_prestation(
            prestataire=s.prestataire,
            utilisateur=s.utilisateur,
            activite=s.generale,
            date=on,
            debut=datetime.time(debut),
            fin=datetime.time(debut + heures),
            heures=heures,
            statut="planifiee",
            acting_user=s.staff,
            override_reason="test",
        )

    days = [
        start + datetime.timedelta(days=i)
        for i in range(31)
        if (start + datetime.timedelta(days=i)).month == start.month
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(hours_needed // 4 - 1):  # 32 h: 71 %
            record(days[i], 4, 8)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        record(days[20], 4, 8)  # 36 h: 80 %
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [s.staff.email]
    assert mail.outbox[0].subject.startswith("[ALE] Plafond d'heures bientôt atteint : ")
    assert "36 h sur 45 h" in mail.outbox[0].body
    assert formats.date_format(day.replace(day=1), "YEAR_MONTH_FORMAT") in mail.outbox[0].body  # which month
    with django_capture_on_commit_callbacks(execute=True):
        record(days[21], 2, 8)  # still near: no second e-mail
    assert len(mail.outbox) == 1


def test_a_collaborator_who_opted_out_gets_no_cap_notification(django_capture_on_commit_callbacks):
    from ale_platform.models import PreferenceNotification

    day = _next_weekday()
    s = ready(year=day.year)
    PreferenceNotification.objects.create(user=s.staff, kind="plafond_proche", mode="desactive")
    start = day.replace(day=1)
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(10):  # 40 h of 45
            prestation_services.record_prestation(
                prestataire=s.prestataire,
                utilisateur=s.utilisateur,
                activite=s.generale,
                date=start + datetime.timedelta(days=i),
                debut=datetime.time(8),
                fin=datetime.time(12),
                heures=4,
                statut="planifiee",
                acting_user=s.staff,
                override_reason="test",
            )
    assert mail.outbox == []


def test_a_referral_notifies_the_agency_collaborators(django_capture_on_commit_callbacks):
    agence = AgenceFactory()
    collab = CollaborateurFactory(agence=agence)
    conseiller = ConseillerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        adressage = forem_services.create_adressage(
            conseiller=conseiller,
            agence=agence,
            nom="Gilson",
            prenom="Kevin",
            niss=NISS,
            motif="Reprendre un rythme de travail.",
            categories=["rythme"],
            consentement_partage=True,
            acting_user=conseiller.user,
        )
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([collab.email], f"[ALE] Nouvel adressage (Forem) : adressage n° {adressage.pk}")
    ]
    # A link, not the details (docs/privacy.md): no name, NISS nor reason in the e-mail.
    body = mail.outbox[0].body
    assert "Gilson" not in body and NISS not in body and "rythme" not in body
    assert reverse("forem_liaison:detail", args=[adressage.pk]) in body


def test_feedback_published_goes_to_the_adviser_through_the_registry(django_capture_on_commit_callbacks):
    from ale_platform.models import PreferenceNotification
    from tests.factories import AdressageFactory

    agence = AgenceFactory()
    collab = CollaborateurFactory(agence=agence)
    conseiller = ConseillerFactory()
    adressage = AdressageFactory(agence=agence, conseiller=conseiller, prenom="Kevin", nom="Gilson")
    adressage = move(adressage, "convoque", acting_user=collab)
    with django_capture_on_commit_callbacks(execute=True):
        forem_services.publish_retour(retour=draft_retour(adressage, collab), acting_user=collab)
    assert [m.subject for m in mail.outbox] == [f"[ALE] Nouveau retour de l'ALE : adressage n° {adressage.pk}"]
    assert "Gilson" not in mail.outbox[0].body
    mail.outbox.clear()
    PreferenceNotification.objects.create(user=conseiller.user, kind="retour_publie", mode="desactive")
    with django_capture_on_commit_callbacks(execute=True):
        forem_services.publish_retour(retour=draft_retour(adressage, collab), acting_user=collab)
    assert mail.outbox == []


def test_no_cap_notification_for_a_month_already_over(django_capture_on_commit_callbacks):
    """Past work recorded later (the demo's seed records months of it) sends no "cap nearly reached" e-mails."""
    today = timezone.localdate()
    s = ready(year=today.year - 1)
    start = datetime.date(today.year - 1, 3, 2)
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(10):  # 40 h of 45, a year ago
            prestation_services.record_prestation(
                prestataire=s.prestataire,
                utilisateur=s.utilisateur,
                activite=s.generale,
                date=start + datetime.timedelta(days=i),
                debut=datetime.time(8),
                fin=datetime.time(12),
                heures=4,
                statut="effectuee",
                acting_user=s.staff,
                override_reason="test",
            )
    assert [m for m in mail.outbox if "Plafond" in m.subject] == []
