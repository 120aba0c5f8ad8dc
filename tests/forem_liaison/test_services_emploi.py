"""The public employment service as data of the region (ale-rules.md: the Forem in Wallonia, Actiris in Brussels
since 1.1.2018, the ADG in the German-speaking Community since 2018): its offices, advisers and API tokens belong to
it; it refers only to its own region's agencies; screens and e-mails name it."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from ale_platform.models import ServicePublicEmploi
from forem_liaison import services

from .factories import AgenceFactory, BureauForemFactory, CollaborateurFactory, ConseillerFactory, niss_sequence, token

pytestmark = pytest.mark.django_db
NISS = niss_sequence(4242)


def _service(code):
    return ServicePublicEmploi.objects.get(code=code)


def _referral(conseiller, agence, **extra):
    return services.create_adressage(
        conseiller=conseiller,
        agence=agence,
        nom="Janssens",
        prenom="Lotte",
        niss=NISS,
        motif="Reprendre un rythme.",
        consentement_partage=True,
        acting_user=conseiller.user,
        **extra,
    )


def test_the_three_services_are_data_of_their_region():
    """Rule: the Forem (Wallonia), Actiris (Brussels, since 1.1.2018), the ADG (German-speaking Community)
    (ale-rules.md, "Actors" and "Brussels and the German-speaking Community")."""
    rows = {s.region: (s.code, s.nom_court, s.site) for s in ServicePublicEmploi.objects.all()}
    assert rows == {
        "wallonie": ("forem", "Forem", "https://www.leforem.be"),
        "bruxelles": ("actiris", "Actiris", "https://www.actiris.brussels"),
        "germanophone": ("adg", "ADG", "https://www.adg.be"),
    }
    assert AgenceFactory(region="bruxelles").service_emploi.code == "actiris"
    assert AgenceFactory(region="germanophone").service_emploi.code == "adg"
    assert AgenceFactory().service_emploi.code == "forem"


def test_an_office_belongs_to_a_service_the_forem_by_default():
    assert BureauForemFactory(nom="Forem — Liège").service.code == "forem"
    bureau = BureauForemFactory(nom="Actiris — Antenne Ixelles", service=_service("actiris"))
    assert list(_service("actiris").bureaux.all()) == [bureau]


def test_an_office_refers_only_to_the_agencies_of_its_services_region():
    """Rule: an Actiris adviser refers to Brussels ALE-PWAs, a Forem adviser to Walloon ALEs, never across."""
    actiris = ConseillerFactory(bureau=BureauForemFactory(nom="Actiris — Saint-Gilles", service=_service("actiris")))
    with pytest.raises(Exception) as exc:
        _referral(actiris, AgenceFactory(region="wallonie"))
    assert "n'est pas dans la région de votre service (Actiris : Bruxelles-Capitale)" in str(exc.value)
    assert _referral(actiris, AgenceFactory(region="bruxelles")).bureau.service.code == "actiris"
    forem = ConseillerFactory()
    with pytest.raises(Exception) as exc:
        _referral(forem, AgenceFactory(region="bruxelles"))
    assert "(Forem : Wallonie)" in str(exc.value)


def _api(raw):
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_another_services_token_is_scoped_to_its_own_regions_agencies():
    """The API serves Actiris' systems as it serves the Forem's, scoped to Brussels: the agencies listed, the
    referrals created; a Forem token is unchanged (Walloon agencies)."""
    walloon, brussels = AgenceFactory(nom="ALE de Gembloux"), AgenceFactory(nom="ALE-PWA d'Ixelles", region="bruxelles")
    bureau = BureauForemFactory(nom="Actiris — Ixelles", service=_service("actiris"))
    adviser = ConseillerFactory(bureau=bureau, user__email="lotte.peeters@actiris.be")
    _jeton, raw = token(bureau, adviser.user)
    listed = _api(raw).get("/api/v1/agences").json()
    assert [a["nom"] for a in listed] == ["ALE-PWA d'Ixelles"]
    body = {
        "conseiller_email": "lotte.peeters@actiris.be",
        "nom": "Janssens",
        "prenom": "Lotte",
        "niss": NISS,
        "motif": "Reprendre un rythme.",
        "categories": [],
        "consentement_partage": True,
    }
    refused = _api(raw).post("/api/v1/adressages", {**body, "agence_id": walloon.pk}, content_type="application/json")
    assert refused.status_code == 400
    assert "Actiris : Bruxelles-Capitale" in refused.text
    created = _api(raw).post("/api/v1/adressages", {**body, "agence_id": brussels.pk}, content_type="application/json")
    assert created.status_code == 201
    forem_bureau = BureauForemFactory(nom="Forem — Namur")
    forem_adviser = ConseillerFactory(bureau=forem_bureau)
    _jeton, forem_raw = token(forem_bureau, forem_adviser.user)
    assert [a["nom"] for a in _api(forem_raw).get("/api/v1/agences").json()] == ["ALE de Gembloux"]
    assert _api(forem_raw).get("/api/v1/adressages").json()["total"] == 0  # Actiris' referral is not the Forem's


def test_screens_and_emails_name_the_regions_service(django_capture_on_commit_callbacks):
    """A Brussels agency reads "Actiris" where a Walloon one reads "Forem": the staff list, the e-mail."""
    agence = AgenceFactory(region="bruxelles")
    collab = CollaborateurFactory(agence=agence)
    actiris = ConseillerFactory(bureau=BureauForemFactory(nom="Actiris — Anderlecht", service=_service("actiris")))
    with django_capture_on_commit_callbacks(execute=True):
        adressage = _referral(actiris, agence)
    assert [m.subject for m in mail.outbox] == [f"[ALE] Nouvel adressage (Actiris) : adressage n° {adressage.pk}"]
    assert "Actiris" in mail.outbox[0].body and "Forem" not in mail.outbox[0].body
    client = Client()
    client.force_login(collab)
    page = client.get(reverse("forem_liaison:staff_list")).text
    assert "Adressages reçus du service de l&#x27;emploi (Actiris)" in page or "(Actiris)" in page
    assert "Forem" not in page.split("<main", 1)[-1].split("</main>", 1)[0]
    detail = client.get(reverse("forem_liaison:detail", args=[adressage.pk])).text
    assert "Dossier Actiris" in detail
