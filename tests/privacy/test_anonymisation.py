import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from ale_platform.models import User
from ale_platform.privacy.models import Anonymisation, ParametresConfidentialite
from ale_platform.privacy.services import anonymise_expired
from ale_platform.scheduling import RECURRING
from forem_liaison.models import Adressage
from prestataires.models import ChangementStatut, Document, Prestataire
from prestations.models import ChequeALE, Prestation
from tableau_de_bord.reports import yearly_report
from tests.factories import (
    AdressageFactory,
    AgenceFactory,
    CollaborateurFactory,
    PrestataireFactory,
    PrestationFactory,
    UserFactory,
    UtilisateurFactory,
)
from utilisateurs.models import Inscription, Utilisateur

pytestmark = pytest.mark.django_db

OLD = datetime.date(2019, 3, 12)
OLD_TS = datetime.datetime(2019, 1, 5, 10, 0, tzinfo=datetime.UTC)


def _sortie(agence, staff, *, nom, when):
    compte = UserFactory(role="prestataire", email=f"{nom.lower()}@example.be", first_name="Jean", last_name=nom)
    p = PrestataireFactory(
        agence=agence, compte=compte, nom=nom, prenom="Jean", iban="BE68539007547034", notes="Très ponctuel"
    )
    Prestataire.objects.filter(pk=p.pk).update(
        statut="sorti", remarques_sensibles="Problème de dos", created_at=OLD_TS, date_inscription=OLD
    )
    ChangementStatut.objects.create(prestataire=p, de="actif", vers="sorti", date=when, motif="Retraite", par=staff)
    p.refresh_from_db()
    return p


@pytest.fixture
def old_files():
    agence = AgenceFactory()
    staff = CollaborateurFactory(agence=agence)
    gone = _sortie(agence, staff, nom="Lejeune", when=datetime.date(2019, 6, 30))
    recent = _sortie(agence, staff, nom="Recent", when=datetime.date.today() - datetime.timedelta(days=30))
    gone.nom = "Lejeune-Martin"
    gone.save()  # a second history row with personal data
    Document.objects.create(
        prestataire=gone, type="autre", titre="Attestation", fichier=SimpleUploadedFile("a.txt", b"donnees")
    )
    client = UtilisateurFactory(agence=agence, nom="Dupont", prenom="Anne", email="anne@example.be")
    Utilisateur.objects.filter(pk=client.pk).update(created_at=OLD_TS)
    Inscription.objects.create(utilisateur=client, annee=2019, validee=True)
    prestation = PrestationFactory(prestataire=gone, utilisateur=client, date=OLD, statut="validee", heures=3)
    ChequeALE.objects.create(agence=agence, utilisateur=client, prestation=prestation, numero="1234567890", valeur=6)
    active_client = UtilisateurFactory(agence=agence, nom="Actif")
    referral = AdressageFactory(agence=agence, nom="Martin", prenom="Léa", email="lea@example.be")
    Adressage.objects.filter(pk=referral.pk).update(
        etat="cloture", issue="emploi", date_adressage=OLD, updated_at=OLD_TS, created_at=OLD_TS
    )
    open_referral = AdressageFactory(agence=agence, nom="Ouvert")
    Adressage.objects.filter(pk=open_referral.pk).update(date_adressage=OLD, updated_at=OLD_TS)
    return {
        "agence": agence,
        "gone": gone,
        "recent": recent,
        "client": client,
        "active_client": active_client,
        "referral": referral,
        "open_referral": open_referral,
        "document": Document.objects.get(prestataire=gone),
    }


def test_a_worker_past_retention_is_anonymised_with_history_account_and_documents(old_files):
    gone, document = old_files["gone"], old_files["document"]
    storage, name = document.fichier.storage, document.fichier.name
    assert storage.exists(name)
    anonymise_expired()
    gone.refresh_from_db()
    assert (gone.nom, gone.prenom, gone.iban, gone.notes, gone.remarques_sensibles) == (
        "Anonyme",
        f"#{gone.pk}",
        "",
        "",
        "",
    )
    assert gone.niss == f"0000{gone.pk:07d}" and gone.rue == "" and gone.commune == ""
    assert gone.statut == "sorti"
    assert gone.changements_statut.get().motif == "(anonymisé)"
    for row in gone.history.all():
        assert row.nom == "Anonyme" and row.niss == gone.niss and row.iban == "" and row.notes == ""
    assert not any("Lejeune" in str(v) for row in gone.history.values() for v in row.values())
    assert not storage.exists(name) and not Document.objects.filter(prestataire=gone).exists()
    assert not Document.history.filter(id=document.pk).exists()
    account = User.objects.get(pk=gone.compte_id)
    assert not account.is_active and account.email.endswith("@anonyme.invalid") and not account.has_usable_password()
    assert not any("lejeune" in str(row.email).lower() for row in account.history.all())
    assert Anonymisation.objects.filter(type_personne="prestataire", objet_id=gone.pk).exists()


def test_files_within_retention_are_untouched(old_files):
    recent_referral = AdressageFactory(agence=old_files["agence"], nom="Ouvert-Recent")
    anonymise_expired()
    recent = Prestataire.objects.get(pk=old_files["recent"].pk)
    assert recent.nom == "Recent" and recent.notes == "Très ponctuel"
    assert Utilisateur.objects.get(pk=old_files["active_client"].pk).nom == "Actif"
    recent_referral.refresh_from_db()
    assert recent_referral.nom == "Ouvert-Recent" and recent_referral.anonymise_le is None


def test_a_referral_left_open_without_activity_past_retention_expires_too(old_files):
    anonymise_expired()
    referral = Adressage.objects.get(pk=old_files["open_referral"].pk)
    assert referral.nom == "Anonyme" and referral.anonymise_le is not None
    assert referral.etat == "recu"  # its state is a fact kept for the statistics


def test_inactive_client_and_closed_referral_are_anonymised(old_files):
    anonymise_expired()
    client = Utilisateur.objects.get(pk=old_files["client"].pk)
    assert (client.nom, client.email, client.rue) == ("Anonyme", "", "")
    assert client.niss == f"0000{client.pk:07d}" and client.type == "particulier"
    assert all(row.nom == "Anonyme" and row.email == "" for row in client.history.all())
    referral = Adressage.objects.get(pk=old_files["referral"].pk)
    assert (referral.nom, referral.email, referral.motif) == ("Anonyme", "", "(anonymisé)")
    assert all(row.nom == "Anonyme" and row.niss == referral.niss for row in referral.history.all())


def test_hours_vouchers_and_yearly_totals_are_kept(old_files):
    agence = old_files["agence"]
    before = yearly_report(agence, 2019)
    anonymise_expired()
    after = yearly_report(agence, 2019)
    assert before.total_hours == after.total_hours == 3
    assert (before.hours, before.by_type, before.workers_active, before.clients_served) == (
        after.hours,
        after.by_type,
        after.workers_active,
        after.clients_served,
    )
    prestation = Prestation.objects.get(prestataire=old_files["gone"])
    assert prestation.utilisateur_id == old_files["client"].pk
    assert ChequeALE.objects.get(prestation=prestation).utilisateur.nom == "Anonyme"


def test_a_longer_retention_of_the_agency_keeps_the_file(old_files):
    ParametresConfidentialite.objects.create(agence=old_files["agence"], retention_mois=240)
    assert anonymise_expired() == []
    assert Prestataire.objects.get(pk=old_files["gone"].pk).nom == "Lejeune-Martin"


def test_dry_run_lists_without_changing_and_a_second_run_does_nothing(old_files, capsys):
    call_command("anonymise_expired", "--dry-run")
    out = capsys.readouterr().out
    assert f"Prestataire #{old_files['gone'].pk}" in out and "4 dossiers à anonymiser" in out  # the open referral too
    assert Prestataire.objects.get(pk=old_files["gone"].pk).nom == "Lejeune-Martin"
    call_command("anonymise_expired")
    assert "4 dossiers anonymisés" in capsys.readouterr().out
    call_command("anonymise_expired")
    assert "0 dossiers anonymisés" in capsys.readouterr().out


def test_the_daily_task_is_scheduled_and_runs(old_files):
    from ale_platform.privacy.tasks import anonymise_expired_daily

    assert "ale_platform.privacy.tasks.anonymise_expired_daily" in [r.task_path for r in RECURRING]
    result = anonymise_expired_daily.enqueue()
    assert result.return_value == 4


def test_a_workers_decline_reasons_are_anonymised_with_the_file(old_files):
    """Declines live in prestations (above the worker's app): erased through the privacy registry's hook."""
    from django.utils import timezone

    from prestations.models import Affectation
    from tests.utilisateurs.factories import DemandeFactory

    gone, recent = old_files["gone"], old_files["recent"]
    demande = DemandeFactory(utilisateur=old_files["client"])
    declined = Affectation.objects.create(
        demande=demande,
        prestataire=gone,
        statut="declinee",
        motif_refus="Mon fils est malade",
        motif_transmis="Raison familiale",
        declinee_le=timezone.now(),
    )
    declined.motif_refus = "Mon fils est malade, je garde la maison"
    declined.save()  # a history row with the worker's words
    kept = Affectation.objects.create(
        demande=demande, prestataire=recent, statut="declinee", motif_refus="Trop loin", declinee_le=timezone.now()
    )
    anonymise_expired()
    declined.refresh_from_db()
    assert (declined.motif_refus, declined.motif_transmis) == ("(anonymisé)", "(anonymisé)")
    assert not any("malade" in row.motif_refus for row in declined.history.all())
    kept.refresh_from_db()
    assert (kept.motif_refus, kept.motif_transmis) == ("Trop loin", "")


def test_a_job_seeker_referred_again_keeps_the_old_referral_until_the_new_one_expires(old_files):
    old = old_files["referral"]
    again = AdressageFactory(agence=old_files["agence"], niss=old.niss, nom=old.nom, prenom=old.prenom)
    anonymise_expired()
    old.refresh_from_db()
    again.refresh_from_db()
    assert old.nom == "Martin" and old.anonymise_le is None
    assert again.nom == "Martin" and again.anonymise_le is None


def test_a_clients_dispute_comments_and_links_are_anonymised_with_the_file(old_files):
    from prestations.models import LienConfirmation, TransitionPrestation

    prestation = Prestation.objects.get(utilisateur=old_files["client"])
    Prestation.objects.filter(pk=prestation.pk).update(motif_contestation="Ma fille était malade")
    TransitionPrestation.objects.create(prestation=prestation, de="declaree", vers="contestee", motif="malade")
    LienConfirmation.objects.create(
        utilisateur=old_files["client"], jeton_hash="x" * 64, expire_le=timezone.now() + datetime.timedelta(days=1)
    )
    anonymise_expired()
    prestation.refresh_from_db()
    assert prestation.motif_contestation == "(anonymisé)"
    assert list(prestation.transitions.values_list("motif", flat=True)) == ["(anonymisé)"]
    assert not LienConfirmation.objects.filter(utilisateur=old_files["client"]).exists()
