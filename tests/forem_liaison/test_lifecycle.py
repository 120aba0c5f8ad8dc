"""The referral's life: creation by the adviser, the state machine, the log, deadlines, and who sees what."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from forem_liaison import services
from forem_liaison.models import Adressage, ParametresForem, TransitionAdressage

from .factories import (
    AdressageFactory,
    AgenceFactory,
    CollaborateurFactory,
    ConseillerFactory,
    PrestataireFactory,
    equipe,
    move,
    niss_sequence,
)

pytestmark = pytest.mark.django_db

NISS = niss_sequence(4242)


@pytest.fixture
def agence():
    return AgenceFactory(nom="ALE de Gembloux")


@pytest.fixture
def collab(agence):
    return CollaborateurFactory(agence=agence)


@pytest.fixture
def conseiller():
    return ConseillerFactory()


def refer(conseiller, agence, niss=NISS, **extra):
    data = {
        "nom": "Gilson",
        "prenom": "Kevin",
        "niss": niss,
        "motif": "Reprendre un rythme de travail.",
        "categories": ["rythme", "premiere_experience"],
        "consentement_partage": True,
    } | extra
    return services.create_adressage(conseiller=conseiller, agence=agence, acting_user=conseiller.user, **data)


def test_adviser_creates_a_referral_logged_as_received(conseiller, agence):
    adressage = refer(conseiller, agence, numero_dossier_forem="FO-2026-1234")
    assert adressage.etat == "recu"
    assert adressage.bureau == conseiller.bureau
    assert adressage.consentement_le == timezone.localdate()
    log = list(adressage.transitions.values_list("de", "vers", "par"))
    assert log == [("", "recu", conseiller.user.pk)]


def test_invalid_niss_unknown_category_and_missing_consent_are_refused_in_french(conseiller, agence):
    with pytest.raises(ValidationError) as exc:
        refer(conseiller, agence, niss="12345678901", categories=["lune"], consentement_partage=False)
    errors = exc.value.message_dict
    assert set(errors) == {"niss", "categories", "consentement_partage"}
    assert "consentement" in errors["consentement_partage"][0]
    assert not Adressage.objects.exists()


def test_one_open_referral_per_person_and_adviser(conseiller, agence, collab):
    first = refer(conseiller, agence)
    with pytest.raises(ValidationError) as exc:
        refer(conseiller, AgenceFactory())
    assert "déjà un adressage en cours" in exc.value.messages[0]
    # Another adviser may refer the same person; and once closed, the same adviser may again.
    refer(ConseillerFactory(), agence)
    move(first, "refuse", acting_user=collab)
    assert refer(conseiller, agence).etat == "recu"


def test_database_refuses_two_open_referrals_for_the_same_niss_and_adviser(conseiller, agence):
    AdressageFactory(conseiller=conseiller, agence=agence, niss=NISS)
    with pytest.raises(IntegrityError), transaction.atomic():
        AdressageFactory(conseiller=conseiller, agence=agence, niss=NISS)


def test_full_path_with_a_missed_appointment_and_a_second_convocation(conseiller, agence, collab):
    adressage = refer(conseiller, agence)
    adressage = move(adressage, "convoque", "absent", "convoque", "entretien", "inscrit", "actif", acting_user=collab)
    assert adressage.prestataire.niss == NISS
    assert adressage.premier_contact_le == timezone.localdate()
    adressage = move(adressage, "cloture", acting_user=collab)
    assert adressage.issue == "emploi"
    states = list(adressage.transitions.values_list("vers", flat=True))
    assert states == ["recu", "convoque", "absent", "convoque", "entretien", "inscrit", "actif", "cloture"]
    assert all(t.par == collab for t in adressage.transitions.all()[1:])


def test_no_third_convocation(conseiller, agence, collab):
    adressage = move(refer(conseiller, agence), "convoque", "absent", "convoque", "absent", acting_user=collab)
    with pytest.raises(ValidationError) as exc:
        move(adressage, "convoque", acting_user=collab)
    assert "seconde convocation a déjà été envoyée" in exc.value.messages[0]


def test_a_transition_not_allowed_from_the_current_state_is_refused_in_french(conseiller, agence, collab):
    adressage = refer(conseiller, agence)
    with pytest.raises(ValidationError) as exc:
        move(adressage, "actif", acting_user=collab)
    assert exc.value.messages == ["Impossible de passer de « Reçu » à « Actif·ve »."]
    adressage.refresh_from_db()
    assert adressage.etat == "recu"
    assert adressage.transitions.count() == 1


def test_closing_needs_an_outcome_refusing_a_reason_registering_the_persons_file(conseiller, agence, collab):
    adressage = move(refer(conseiller, agence), "convoque", "entretien", acting_user=collab)
    for vers, field in [("cloture", "issue"), ("refuse", "motif"), ("inscrit", "prestataire")]:
        with pytest.raises(ValidationError) as exc:
            services.transition(adressage=adressage, vers=vers, acting_user=collab)
        assert field in exc.value.message_dict
    other_person = PrestataireFactory(agence=agence)
    with pytest.raises(ValidationError) as exc:
        services.transition(adressage=adressage, vers="inscrit", prestataire=other_person, acting_user=collab)
    assert "ne porte pas le NISS" in exc.value.messages[0]


def test_only_the_adviser_withdraws_and_collaborators_of_other_agencies_cannot_act(conseiller, agence, collab):
    adressage = refer(conseiller, agence)
    with pytest.raises(PermissionDenied):
        services.withdraw(adressage=adressage, acting_user=ConseillerFactory(bureau=conseiller.bureau).user)
    with pytest.raises(PermissionDenied):
        services.transition(
            adressage=adressage, vers="convoque", acting_user=CollaborateurFactory(agence=AgenceFactory())
        )
    adressage = services.withdraw(adressage=adressage, motif="Entrée en formation", acting_user=conseiller.user)
    assert adressage.etat == "retire"
    assert TransitionAdressage.objects.filter(adressage=adressage, vers="retire", motif="Entrée en formation").exists()


def test_other_advisers_see_nothing_unless_the_referral_is_shared_with_their_team(client, conseiller, agence):
    adressage = refer(conseiller, agence)
    colleague = ConseillerFactory(bureau=conseiller.bureau)
    stranger = ConseillerFactory()
    url = reverse("forem_liaison:detail", args=[adressage.pk])
    for other in (colleague, stranger):
        client.force_login(other.user)
        assert client.get(url).status_code == 404
        assert client.get(reverse("forem_liaison:rapport_pdf", args=[adressage.pk])).status_code == 404
        home = client.get(reverse("forem_liaison:conseiller_home"))
        assert list(home.context["adressages"]) == []
        assert url not in home.text
    team = equipe(conseiller.bureau, conseiller, colleague)
    with pytest.raises(ValidationError):
        services.share_with_equipe(
            adressage=adressage, equipe=equipe(stranger.bureau, stranger), acting_user=conseiller.user
        )
    services.share_with_equipe(adressage=adressage, equipe=team, acting_user=conseiller.user)
    client.force_login(colleague.user)
    assert client.get(url).status_code == 200
    client.force_login(stranger.user)
    assert client.get(url).status_code == 404


def test_portal_form_keeps_the_input_and_shows_french_errors(client, conseiller, agence):
    client.force_login(conseiller.user)
    response = client.post(
        reverse("forem_liaison:conseiller_create"),
        {"agence": agence.pk, "nom": "Mertens", "prenom": "Aurore", "niss": "12.34.56-789.01", "motif": "Rythme"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "niss" in form.errors and "consentement_partage" in form.errors
    assert "Le consentement de la personne est requis pour adresser." in response.text
    assert 'value="Mertens"' in response.text
    assert not Adressage.objects.exists()


def test_portal_creates_a_referral(client, conseiller, agence):
    client.force_login(conseiller.user)
    response = client.post(
        reverse("forem_liaison:conseiller_create"),
        {
            "agence": agence.pk,
            "nom": "Mertens",
            "prenom": "Aurore",
            "niss": NISS,
            "motif": "Rythme",
            "categories": ["insertion_sociale"],
            "consentement_partage": "on",
        },
    )
    adressage = Adressage.objects.get()
    assert response.status_code == 302 and response["Location"] == adressage.get_absolute_url()
    assert adressage.categories == ["insertion_sociale"]


def test_staff_list_flags_overdue_first_contact_and_feedback(client, agence, collab, conseiller):
    today = timezone.localdate()
    late = AdressageFactory(
        agence=agence, conseiller=conseiller, nom="Enretard", date_adressage=today - datetime.timedelta(days=15)
    )
    AdressageFactory(agence=agence, nom="Recent", date_adressage=today - datetime.timedelta(days=2))
    followed = AdressageFactory(agence=agence, nom="Suivi", date_adressage=today - datetime.timedelta(days=45))
    Adressage.objects.filter(pk=followed.pk).update(etat="entretien")
    client.force_login(collab)
    url = reverse("forem_liaison:staff_list")
    rows = {a.nom: a for a in client.get(url).context["adressages"]}
    assert rows["Enretard"].retard_contact and not rows["Enretard"].retard_retour
    assert not rows["Recent"].retard_contact
    assert rows["Suivi"].retard_retour
    assert [a.nom for a in client.get(url, {"retard": "contact"}).context["adressages"]] == ["Enretard"]
    assert [a.nom for a in client.get(url, {"retard": "retour"}).context["adressages"]] == ["Suivi"]
    # A longer first-contact deadline set by the agency clears the flag.
    ParametresForem.objects.create(agence=agence, delai_premier_contact_jours=20)
    assert not [a for a in client.get(url, {"retard": "contact"}).context["adressages"]]
    assert late.pk in {a.pk for a in client.get(url, {"etat": "recu"}).context["adressages"]}


def test_only_agency_admins_change_the_deadlines(client, agence, collab):
    url = reverse("forem_liaison:parametres")
    client.force_login(collab)
    assert client.post(url, {"delai_premier_contact_jours": 5, "periodicite_retour_jours": 14}).status_code == 403
    admin = CollaborateurFactory(agence=agence, agence__admin=True)
    client.force_login(admin)
    response = client.post(url, {"delai_premier_contact_jours": 0, "periodicite_retour_jours": 14})
    assert "Entre 1 et 90 jours." in response.text
    client.post(url, {"delai_premier_contact_jours": 5, "periodicite_retour_jours": 14})
    params = ParametresForem.objects.get(agence=agence)
    assert (params.delai_premier_contact_jours, params.periodicite_retour_jours) == (5, 14)


def test_staff_transition_form_shows_the_french_error_next_to_the_field(client, agence, collab, conseiller):
    adressage = move(refer(conseiller, agence), "convoque", "entretien", acting_user=collab)
    client.force_login(collab)
    response = client.post(reverse("forem_liaison:transition", args=[adressage.pk]), {"vers": "cloture"})
    assert response.status_code == 400
    assert "Choisissez l&#x27;issue de l&#x27;accompagnement." in response.text
    adressage.refresh_from_db()
    assert adressage.etat == "entretien"


def test_dashboard_flags_overdue_referrals(client, agence, collab):
    today = timezone.localdate()
    AdressageFactory(agence=agence, date_adressage=today - datetime.timedelta(days=30))
    AdressageFactory(agence=agence, date_adressage=today)
    client.force_login(collab)
    response = client.get(reverse("dashboard"))
    tiles = {t.key: t for t in response.context["tiles"]}
    late = tiles["referrals_late"]
    assert late.value == 1 and late.alert
    assert late.url.endswith("?retard=any")


def test_an_advisers_list_across_agencies_applies_each_agencys_own_deadlines(client, conseiller):
    """Three agencies: one with a longer delay, one with a settings row at the defaults, one without a row."""
    today = timezone.localdate()
    patient, explicit, plain = AgenceFactory(), AgenceFactory(), AgenceFactory()
    ParametresForem.objects.create(agence=patient, delai_premier_contact_jours=20, periodicite_retour_jours=60)
    ParametresForem.objects.create(agence=explicit)  # the defaults: 10 days, 30 days
    for agence in (patient, explicit, plain):
        AdressageFactory(
            agence=agence,
            conseiller=conseiller,
            nom=f"Contact {agence.pk}",
            date_adressage=today - datetime.timedelta(days=15),
        )
        followed = AdressageFactory(
            agence=agence,
            conseiller=conseiller,
            nom=f"Suivi {agence.pk}",
            date_adressage=today - datetime.timedelta(days=45),
        )
        Adressage.objects.filter(pk=followed.pk).update(etat="entretien")
    client.force_login(conseiller.user)
    url = reverse("forem_liaison:conseiller_home")
    late_contact = {a.nom for a in client.get(url, {"retard": "contact"}).context["adressages"]}
    late_retour = {a.nom for a in client.get(url, {"retard": "retour"}).context["adressages"]}
    assert late_contact == {f"Contact {explicit.pk}", f"Contact {plain.pk}"}
    assert late_retour == {f"Suivi {explicit.pk}", f"Suivi {plain.pk}"}
    rows = {a.nom: a for a in client.get(url).context["adressages"]}
    assert [nom for nom, a in sorted(rows.items()) if a.retard_contact or a.retard_retour] == sorted(
        late_contact | late_retour
    )


def test_long_lists_are_paginated_and_keep_their_filters(client, conseiller):
    agence = AgenceFactory()
    for i in range(55):
        AdressageFactory(agence=agence, conseiller=conseiller, nom=f"Personne{i:02d}")
    client.force_login(conseiller.user)
    url = reverse("forem_liaison:conseiller_home")
    first = client.get(url, {"etat": "recu"})
    assert len(first.context["adressages"]) == 50
    assert "55 adressages" in first.text
    assert "?etat=recu&amp;page=2" in first.text
    second = client.get(url, {"etat": "recu", "page": 2})
    assert len(second.context["adressages"]) == 5
