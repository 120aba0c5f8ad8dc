"""Issue 20, points 2 and 3: the person reads, in their space, everything the adviser's portal and the API read
about them (same words, when and by whom); what they read is tied to the referral's own file, never to a NISS."""

import pytest
from django.test import Client
from django.urls import reverse

from ale_platform.models import Role
from forem_liaison import services
from forem_liaison.models import RetourAdressage
from tests.factories import UserFactory

from .factories import (
    AdressageFactory,
    AgenceFactory,
    CollaborateurFactory,
    ConseillerFactory,
    PrestataireFactory,
    draft_retour,
    token,
)

pytestmark = pytest.mark.django_db

ABSENT = "Absent au rendez-vous du 3 novembre sans prévenir"


@pytest.fixture
def referred(django_capture_on_commit_callbacks):
    agence = AgenceFactory(nom="ALE de Gembloux")
    collab = CollaborateurFactory(agence=agence, first_name="Sophie", last_name="Lambert")
    conseiller = ConseillerFactory(user__first_name="Nathalie", user__last_name="Renard")
    adressage = AdressageFactory(agence=agence, conseiller=conseiller, nom="Gilson", prenom="Kevin")
    worker = UserFactory(role=Role.PRESTATAIRE)
    prestataire = PrestataireFactory(agence=agence, niss=adressage.niss, compte=worker)
    services.transition(adressage=adressage, vers="convoque", acting_user=collab)
    services.transition(adressage=adressage, vers="absent", motif=ABSENT, acting_user=collab)
    services.transition(adressage=adressage, vers="convoque", motif="Nouvelle convocation", acting_user=collab)
    services.transition(adressage=adressage, vers="entretien", acting_user=collab)
    services.transition(adressage=adressage, vers="inscrit", prestataire=prestataire, acting_user=collab)
    with django_capture_on_commit_callbacks(execute=True):
        retour = services.publish_retour(
            retour=draft_retour(adressage, collab, texte="Kevin prévient quand il ne peut pas venir."),
            acting_user=collab,
        )
    services.reply_to_retour(retour=retour, texte="Merci, je le revois lundi.", acting_user=conseiller.user)
    services.transition(adressage=adressage, vers="cloture", issue="emploi", motif="Contrat signé", acting_user=collab)
    return agence, collab, conseiller, adressage, worker


def test_the_person_reads_everything_the_adviser_and_the_api_read_in_the_same_words(referred):
    agence, collab, conseiller, adressage, worker = referred
    _jeton, raw = token(conseiller.bureau, conseiller.user)
    api = Client(headers={"Authorization": f"Bearer {raw}"}).get(f"/api/v1/adressages/{adressage.pk}").json()
    client = Client()
    client.force_login(worker)
    page = client.get(reverse("forem_liaison:mes_retours")).text
    client.force_login(conseiller.user)
    portal = client.get(adressage.get_absolute_url()).text

    said = [t["motif"] for t in api["transitions"] if t["motif"]] + [adressage.motif]
    said += [r["texte"] for r in api["retours"]] + [rep["texte"] for r in api["retours"] for rep in r["reponses"]]
    assert ABSENT in said and "Merci, je le revois lundi." in said and "Contrat signé" in said
    for words in said:
        assert words.replace("'", "&#x27;") in page, words
    # When and by whom, as the portal says it.
    timeline_line = "Absent·e à l&#x27;entretien</strong> — "
    assert timeline_line in page and timeline_line in portal
    assert "Sophie Lambert : " + ABSENT.replace("'", "&#x27;") in page
    assert "Nathalie Renard, " in page  # the reply's author
    assert "Emploi trouvé" in page and "Clôturé" in page  # the closing outcome
    assert "Publié le " in page and " par Sophie Lambert." in page


def test_the_refusal_reason_is_read_by_the_person(django_capture_on_commit_callbacks):
    agence = AgenceFactory()
    collab = CollaborateurFactory(agence=agence)
    adressage = AdressageFactory(agence=agence)
    worker = UserFactory(role=Role.PRESTATAIRE)
    prestataire = PrestataireFactory(agence=agence, niss=adressage.niss, compte=worker)
    # A referral refused after a registration elsewhere in the agency: linked to the file through an earlier step.
    adressage.prestataire = prestataire
    adressage.save(update_fields=["prestataire"])
    services.transition(adressage=adressage, vers="refuse", motif="Habite hors de la commune", acting_user=collab)
    client = Client()
    client.force_login(worker)
    page = client.get(reverse("forem_liaison:mes_retours")).text
    assert "Motif du refus" in page and page.count("Habite hors de la commune") == 2  # summary and timeline


def test_staff_see_before_saving_a_reason_that_it_is_shared_and_with_whom(referred):
    agence, collab, conseiller, _adressage, _worker = referred
    adressage = AdressageFactory(agence=agence, conseiller=conseiller)
    client = Client()
    client.force_login(collab)
    page = client.get(adressage.get_absolute_url()).text
    assert "Partagé : ce texte sera lu tel quel par Nathalie Renard (Forem, " in page
    assert "par la personne dans son espace, avec votre nom et la date." in page


def test_a_niss_typed_in_another_agency_never_opens_the_referrals_feedback(referred):
    agence, collab, conseiller, adressage, worker = referred
    # A file with the same NISS in agency B (as a legacy row, or typed before the form refused it).
    intruder = UserFactory(role=Role.PRESTATAIRE)
    PrestataireFactory(agence=AgenceFactory(nom="ALE de B"), niss=adressage.niss, compte=intruder)
    assert not RetourAdressage.objects.for_user(intruder).exists()
    client = Client()
    client.force_login(intruder)
    page = client.get(reverse("forem_liaison:mes_retours")).text
    assert "Kevin prévient" not in page and ABSENT.replace("'", "&#x27;") not in page
    assert "Votre suivi avec" not in client.get(reverse("prestataires:espace")).text
    assert RetourAdressage.objects.for_user(worker).count() == 1  # the referral's own person still reads it
