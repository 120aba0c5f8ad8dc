"""API v1 for the Forem's systems: office tokens, scoping, structured errors, rate limit, the whole journey."""

import pytest
from django.test import Client
from django.utils import timezone

from forem_liaison import services
from forem_liaison.models import Adressage

from .factories import (
    AgenceFactory,
    BureauForemFactory,
    CollaborateurFactory,
    ConseillerFactory,
    PrestataireFactory,
    draft_retour,
    niss_sequence,
    token,
)

pytestmark = pytest.mark.django_db

NISS = niss_sequence(777)


@pytest.fixture
def office():
    bureau = BureauForemFactory(nom="Forem — Direction régionale de Namur")
    conseiller = ConseillerFactory(bureau=bureau, user__email="nathalie.renard@forem.be")
    _jeton, raw = token(bureau, conseiller.user)
    return bureau, conseiller, raw


@pytest.fixture
def agence():
    return AgenceFactory(nom="ALE de Gembloux")


def api(raw=None):
    headers = {"Authorization": f"Bearer {raw}"} if raw else {}
    return Client(headers=headers)


def payload(agence, **extra):
    return {
        "conseiller_email": "nathalie.renard@forem.be",
        "agence_id": agence.pk,
        "nom": "Gilson",
        "prenom": "Kevin",
        "niss": NISS,
        "numero_dossier_forem": "FO-123",
        "motif": "Reprendre un rythme.",
        "categories": ["rythme"],
        "consentement_partage": True,
    } | extra


def test_schema_is_served_at_a_stable_url():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["version"] == "1"
    assert "/adressages" in schema["paths"]
    assert schema["servers"] == [{"url": "/api/v1", "description": "Cette plateforme"}]
    assert "bearer" in str(schema["components"]["securitySchemes"]).lower()


def test_no_unknown_or_revoked_token_is_a_401(office, agence):
    bureau, conseiller, raw = office
    assert api().get("/api/v1/adressages").status_code == 401
    response = api("pas-un-jeton").get("/api/v1/adressages")
    assert response.status_code == 401
    assert response.json()["detail"] == "Jeton d'API absent, inconnu ou révoqué."
    assert response.json()["code"] == "non_authentifie"
    bureau.jetons.get().revoke()
    assert api(raw).get("/api/v1/adressages").status_code == 401


def test_unknown_and_wrong_fields_get_a_structured_422_and_nothing_is_saved(office, agence):
    bureau, conseiller, raw = office
    response = api(raw).post(
        "/api/v1/adressages",
        payload(agence, couleur="bleu", consentement_partage="peut-être"),
        content_type="application/json",
    )
    assert response.status_code == 422
    locs = {tuple(e["loc"][-1:]) for e in response.json()["erreurs"]}
    assert ("couleur",) in locs and ("consentement_partage",) in locs
    response = api(raw).post("/api/v1/adressages", payload(agence, niss="12345678901"), content_type="application/json")
    assert response.status_code == 422  # the checksum is part of the schema (format: niss)
    assert response.json()["erreurs"][0]["loc"][-1] == "niss"
    assert not Adressage.objects.exists()


def test_duplicate_is_a_400_and_missing_consent_a_422_with_french_messages(office, agence):
    bureau, conseiller, raw = office
    assert api(raw).post("/api/v1/adressages", payload(agence), content_type="application/json").status_code == 201
    response = api(raw).post("/api/v1/adressages", payload(agence), content_type="application/json")
    assert response.status_code == 400
    assert "déjà un adressage en cours" in response.json()["detail"]
    assert response.json()["code"] == "regle_metier"
    response = api(raw).post(
        "/api/v1/adressages",
        payload(agence, niss=niss_sequence(778), consentement_partage=False),
        content_type="application/json",
    )
    assert response.status_code == 422  # consent is `const: true` in the schema
    assert response.json()["erreurs"][0]["loc"][-1] == "consentement_partage"
    assert Adressage.objects.count() == 1


def test_an_office_token_sees_only_the_offices_referrals(office, agence):
    bureau, conseiller, raw = office
    created = api(raw).post("/api/v1/adressages", payload(agence), content_type="application/json").json()
    other_bureau = BureauForemFactory(nom="Forem — Liège")
    other_conseiller = ConseillerFactory(bureau=other_bureau)
    _j, other_raw = token(other_bureau, other_conseiller.user)
    assert api(other_raw).get("/api/v1/adressages").json()["resultats"] == []
    assert api(other_raw).get(f"/api/v1/adressages/{created['id']}").status_code == 404
    # The other office cannot refer on behalf of an adviser who is not theirs.
    response = api(other_raw).post("/api/v1/adressages", payload(agence), content_type="application/json")
    assert response.status_code == 400


def test_the_journey_through_the_api(office, agence, django_capture_on_commit_callbacks):
    """The Forem's system refers; the ALE convokes, registers, follows and publishes; the system reads it all."""
    bureau, conseiller, raw = office
    client = api(raw)
    assert {"id": agence.pk, "nom": "ALE de Gembloux", "commune": agence.commune} in client.get(
        "/api/v1/agences"
    ).json()
    created = client.post("/api/v1/adressages", payload(agence), content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert body["etat"] == "recu" and body["conseiller"]["email"] == "nathalie.renard@forem.be"
    assert created["Location"] == f"/api/v1/adressages/{body['id']}"
    adressage = Adressage.objects.get(pk=body["id"])

    collab = CollaborateurFactory(agence=agence)
    for vers in ["convoque", "entretien"]:
        services.transition(adressage=adressage, vers=vers, acting_user=collab)
    prestataire = PrestataireFactory(agence=agence, niss=NISS)
    services.transition(adressage=adressage, vers="inscrit", prestataire=prestataire, acting_user=collab)
    services.transition(adressage=adressage, vers="actif", acting_user=collab)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_retour(retour=draft_retour(adressage, collab), acting_user=collab)
    draft_retour(adressage, collab, texte="Brouillon interne")

    listed = client.get("/api/v1/adressages", {"etat": "actif"}).json()["resultats"]
    assert [a["id"] for a in listed] == [adressage.pk]
    detail = client.get(f"/api/v1/adressages/{adressage.pk}").json()
    assert detail["etat"] == "actif" and detail["etat_libelle"] == "Actif·ve"
    assert [t["vers"] for t in detail["transitions"]] == ["recu", "convoque", "entretien", "inscrit", "actif"]
    assert detail["transitions"][0]["de"] is None
    assert len(detail["retours"]) == 1  # the draft stays private
    retour = detail["retours"][0]
    assert retour["texte"].startswith("Ponctuel")
    assert not {"engagement", "engagement_libelle", "note"} & retour.keys()  # words and facts, never a score
    assert retour["faits"]["rendez_vous_honores"] == 1
    assert retour["faits"]["prestations_refusees"] == 0 and retour["faits"]["refus"] == []
    assert retour["faits"]["regularite"]["prestations_effectuees"] == 0
    assert retour["publie_le"][:10] == timezone.localdate().isoformat() or retour["publie_le"]

    # Wrong transition from the API: withdrawing twice.
    assert (
        client.post(
            f"/api/v1/adressages/{adressage.pk}/retrait", {"motif": "Formation"}, content_type="application/json"
        ).status_code
        == 200
    )
    again = client.post(f"/api/v1/adressages/{adressage.pk}/retrait", {}, content_type="application/json")
    assert again.status_code == 400
    assert "Impossible de passer" in again.json()["detail"]
    assert again["Content-Type"] == "application/problem+json"


def test_management_command_issues_and_revokes_a_token(office, agence):
    import io

    from django.core.management import call_command

    from tests.factories import UserFactory

    bureau, conseiller, _raw = office
    admin = UserFactory(is_superuser=True, mfa=False)
    out = io.StringIO()
    call_command("forem_jeton", bureau=bureau.nom, par=admin.email, stdout=out)
    raw = out.getvalue().strip()
    assert api(raw).get("/api/v1/adressages").status_code == 200
    call_command("forem_jeton", revoquer=raw[4:12], stdout=io.StringIO())
    assert api(raw).get("/api/v1/adressages").status_code == 401


def test_every_read_of_the_api_is_in_the_agencies_access_log(office, agence):
    """docs/privacy.md, "Access log": a token's reads are logged per agency, naming the token, ids only."""
    from ale_platform.privacy.models import LectureDonnees

    bureau, conseiller, raw = office
    other = AgenceFactory(nom="ALE d'Éghezée")
    for target in (agence, other, other):
        services.create_adressage(
            conseiller=conseiller,
            agence=target,
            acting_user=conseiller.user,
            nom="Gilson",
            prenom="Kevin",
            niss=niss_sequence(700 + Adressage.objects.count()),
            motif="Reprendre un rythme.",
            categories=["rythme"],
            consentement_partage=True,
        )
    assert api(raw).get("/api/v1/adressages").status_code == 200
    reads = {r.agence_id: r for r in LectureDonnees.objects.filter(vue="api")}
    assert {a: r.nombre for a, r in reads.items()} == {agence.pk: 1, other.pk: 2}
    assert all(r.lecteur.startswith("jeton ") and r.par is None for r in reads.values())

    one = Adressage.objects.filter(agence=agence).get()
    assert api(raw).get(f"/api/v1/adressages/{one.pk}").status_code == 200
    assert LectureDonnees.objects.filter(vue="api", objet_id=one.pk, nombre=1).count() == 2
