"""Issue 27: an API the Forem's systems can build on (docs, one error shape, pages, incremental sync, visible
limits per office, schema = validation, typed answers, stable ids, anonymised data flagged)."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from forem_liaison import privacy, services
from forem_liaison.models import Adressage

from .factories import (
    AdressageFactory,
    AgenceFactory,
    BureauForemFactory,
    CollaborateurFactory,
    ConseillerFactory,
    draft_retour,
    niss_sequence,
    token,
)

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


@pytest.fixture
def office():
    bureau = BureauForemFactory()
    conseiller = ConseillerFactory(bureau=bureau, user__email="nathalie.renard@forem.be")
    _jeton, raw = token(bureau, conseiller.user)
    return bureau, conseiller, raw


def client(raw):
    return Client(headers={"Authorization": f"Bearer {raw}"})


def schema():
    return Client().get("/api/v1/openapi.json").json()


def assert_problem(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status and body["code"] == code
    assert body["type"] == f"urn:ale-platform:api:probleme:{code}"
    assert body["title"] and body["detail"]
    return body


# 1. Docs -----------------------------------------------------------------------------------------------------


def test_the_reference_page_is_served_without_a_cdn():
    page = Client().get("/api/v1/docs")
    assert page.status_code == 200
    html = page.text
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html.lower()


# 2. One error shape ------------------------------------------------------------------------------------------


def test_malformed_bodies_unknown_paths_trailing_slash_and_wrong_method_are_problems(office):
    _b, _c, raw = office
    c = client(raw)
    body = assert_problem(c.post("/api/v1/adressages", "{", content_type="application/json"), 400, "corps_illisible")
    assert body["detail"].startswith("Corps de requête illisible")
    assert_problem(
        c.post("/api/v1/adressages", "nom=Gilson", content_type="application/x-www-form-urlencoded"),
        400,
        "corps_illisible",
    )
    assert_problem(c.get("/api/v1/inconnu"), 404, "introuvable")
    assert_problem(c.get("/api/v1/adressages/"), 404, "introuvable")
    wrong = assert_problem(c.delete("/api/v1/adressages"), 405, "methode_non_permise")
    assert wrong
    assert set(c.delete("/api/v1/adressages")["Allow"].split(", ")) == {"GET", "POST"}
    assert_problem(c.get("/api/v1/adressages/999999"), 404, "introuvable")
    invalid = assert_problem(c.get("/api/v1/adressages", {"limite": "0"}), 422, "validation")
    assert invalid["erreurs"] == [
        {"loc": ["query", "limite"], "code": "greater_than_equal", "message": "Valeur trop petite."}
    ]
    assert_problem(Client().get("/api/v1/adressages"), 401, "non_authentifie")


def test_with_csrf_checks_on_a_post_anywhere_under_the_prefix_is_still_a_problem(office):
    _b, _c, raw = office
    c = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {raw}"})
    assert_problem(c.post("/api/v1/inconnu", "{}", content_type="application/json"), 404, "introuvable")
    assert_problem(c.post("/api/v1/adressages/", "{}", content_type="application/json"), 404, "introuvable")
    assert_problem(c.post("/api/v1/adressages", "{}", content_type="application/json"), 422, "validation")


def test_every_error_answer_is_documented_as_problem_json():
    doc = schema()
    assert "Probleme" in doc["components"]["schemas"]
    for path in doc["paths"].values():
        for operation in path.values():
            for status, answer in operation["responses"].items():
                if status.startswith("4"):
                    assert list(answer["content"]) == [PROBLEM], (status, operation["operationId"])


# 3. Pagination -----------------------------------------------------------------------------------------------


def test_pages_with_total_and_next_link_reach_every_referral(office):
    bureau, conseiller, raw = office
    agence = AgenceFactory()
    ids = {AdressageFactory(conseiller=conseiller, agence=agence).pk for _ in range(5)}
    c = client(raw)
    page = c.get("/api/v1/adressages", {"limite": 2}).json()
    assert page["total"] == 5 and page["limite"] == 2 and len(page["resultats"]) == 2
    seen = [a["id"] for a in page["resultats"]]
    while page["suivant"]:
        assert page["suivant"].startswith("http://testserver/api/v1/adressages?")
        page = c.get(page["suivant"]).json()
        seen += [a["id"] for a in page["resultats"]]
    assert sorted(seen) == sorted(ids)
    assert_problem(c.get("/api/v1/adressages", {"curseur": "bm9u"}), 400, "curseur_invalide")


# 4. Incremental sync -----------------------------------------------------------------------------------------


def test_modifie_le_moves_with_every_change_and_modifie_depuis_returns_only_those(office):
    bureau, conseiller, raw = office
    agence = AgenceFactory()
    collab = CollaborateurFactory(agence=agence)
    old = AdressageFactory(conseiller=conseiller, agence=agence, date_adressage=datetime.date(2026, 9, 1))
    quiet = AdressageFactory(conseiller=conseiller, agence=agence)
    c = client(raw)
    first = c.get("/api/v1/adressages").json()
    last_poll = max(a["modifie_le"] for a in first["resultats"])
    Adressage.objects.filter(pk__in=[old.pk, quiet.pk]).update(updated_at=timezone.now() - datetime.timedelta(hours=1))
    last_poll = (timezone.now() - datetime.timedelta(minutes=1)).isoformat()

    def changed():
        return [a["id"] for a in c.get("/api/v1/adressages", {"modifie_depuis": last_poll}).json()["resultats"]]

    assert changed() == []
    services.transition(adressage=old, vers="convoque", acting_user=collab)
    assert changed() == [old.pk]
    Adressage.objects.filter(pk=old.pk).update(updated_at=timezone.now() - datetime.timedelta(hours=1))
    services.transition(adressage=old, vers="entretien", acting_user=collab)
    retour = services.publish_retour(retour=draft_retour(old, collab), acting_user=collab)
    Adressage.objects.filter(pk=old.pk).update(updated_at=timezone.now() - datetime.timedelta(hours=1))
    services.reply_to_retour(retour=retour, texte="Merci.", acting_user=conseiller.user)
    assert changed() == [old.pk]  # a reply is a change the partner must see
    # `depuis` still filters on the referral date: September's referral is not "since October".
    assert c.get("/api/v1/adressages", {"depuis": "2026-10-01"}).json()["total"] == 1


def test_publishing_twice_the_same_day_still_moves_modifie_le(office):
    bureau, conseiller, raw = office
    agence = AgenceFactory()
    collab = CollaborateurFactory(agence=agence)
    a = AdressageFactory(conseiller=conseiller, agence=agence)
    services.transition(adressage=a, vers="convoque", acting_user=collab)
    services.transition(adressage=a, vers="entretien", acting_user=collab)
    services.publish_retour(retour=draft_retour(a, collab), acting_user=collab)
    Adressage.objects.filter(pk=a.pk).update(updated_at=timezone.now() - datetime.timedelta(hours=1))
    services.publish_retour(retour=draft_retour(a, collab), acting_user=collab)
    a.refresh_from_db()
    assert a.updated_at > timezone.now() - datetime.timedelta(minutes=1)


def test_reads_carry_etag_and_last_modified_and_answer_304(office):
    bureau, conseiller, raw = office
    a = AdressageFactory(conseiller=conseiller, agence=AgenceFactory())
    c = client(raw)
    for url in ("/api/v1/adressages", f"/api/v1/adressages/{a.pk}"):
        first = c.get(url)
        assert first["ETag"] and first["Last-Modified"]
        again = c.get(url, headers={"If-None-Match": first["ETag"]})
        assert again.status_code == 304 and again.content == b""
        assert again["RateLimit-Remaining"]


def test_the_sync_filters_refuse_what_their_format_does_not_allow(office):
    _b, _c, raw = office
    c = client(raw)
    for params in (
        {"depuis": "0"},
        {"depuis": "2026-10-01T00:00:00Z"},
        {"modifie_depuis": "2026-10-01"},
        {"modifie_depuis": "2026-10-01T08:00:00"},
        {"modifie_depuis": "0"},
    ):
        assert_problem(c.get("/api/v1/adressages", params), 422, "validation")
    assert c.get("/api/v1/adressages", {"modifie_depuis": "2026-10-01T08:00:00+01:00"}).status_code == 200


# 5. Rate limit per office ------------------------------------------------------------------------------------


def test_rate_limit_counts_per_office_with_standard_headers(office, settings):
    bureau, conseiller, raw = office
    _j, second_raw = token(bureau, conseiller.user)
    other = BureauForemFactory()
    _j, other_raw = token(other, ConseillerFactory(bureau=other).user)
    settings.FOREM_API_RATE_LIMIT = 3
    first = client(raw).get("/api/v1/agences")
    assert first["RateLimit-Limit"] == "3" and first["RateLimit-Remaining"] == "2"
    assert first["RateLimit-Policy"] == "3;w=60"
    assert 1 <= int(first["RateLimit-Reset"]) <= 60
    assert client(second_raw).get("/api/v1/agences")["RateLimit-Remaining"] == "1"  # same office, another token
    client(raw).get("/api/v1/agences")
    limited = client(second_raw).get("/api/v1/agences")
    assert_problem(limited, 429, "trop_de_requetes")
    assert limited["Retry-After"] == limited["RateLimit-Reset"] and 1 <= int(limited["Retry-After"]) <= 60
    assert limited["RateLimit-Remaining"] == "0"
    assert client(other_raw).get("/api/v1/agences").status_code == 200  # another office has its own budget


def test_rate_limit_headers_are_documented():
    answer = schema()["paths"]["/adressages"]["get"]["responses"]
    assert {"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"} <= set(answer["200"]["headers"])
    assert "Retry-After" in answer["429"]["headers"]


# 6. Schema = validation --------------------------------------------------------------------------------------


def test_the_schema_states_the_rules_it_enforces():
    doc = schema()
    body = doc["components"]["schemas"]["AdressageIn"]["properties"]
    assert "\\x00" in body["nom"]["pattern"] and "\\x00" in body["motif"]["pattern"]
    assert body["niss"]["format"] == "niss" and "modulo 97" in body["niss"]["description"]
    assert body["conseiller_email"]["format"] == "email"
    assert body["consentement_partage"]["const"] is True
    create = doc["paths"]["/adressages"]["post"]
    assert set(create["responses"]) == {"201", "400", "401", "422", "429"}
    withdraw = doc["paths"]["/adressages/{adressage_id}/retrait"]["post"]
    assert set(withdraw["responses"]) == {"200", "400", "401", "404", "422", "429"}
    assert "regle_metier" in create["description"]
    assert set(doc["paths"]["/agences"]["get"]["responses"]) == {"200", "401", "429"}
    assert "403" not in str([op["responses"].keys() for p in doc["paths"].values() for op in p.values()])


def test_a_bad_email_or_niss_checksum_is_a_validation_error(office):
    bureau, conseiller, raw = office
    agence = AgenceFactory()
    base = {
        "conseiller_email": "nathalie.renard@forem.be",
        "agence_id": agence.pk,
        "nom": "G",
        "prenom": "K",
        "niss": niss_sequence(5),
        "motif": "Rythme.",
        "consentement_partage": True,
    }
    c = client(raw)
    for bad in ({"email": "pas-une-adresse"}, {"niss": "12345678901"}, {"nom": "A\x01"}, {"nom": "   "}):
        response = c.post("/api/v1/adressages", base | bad, content_type="application/json")
        body = assert_problem(response, 422, "validation")
        assert body["erreurs"][0]["loc"] == ["body", "payload", next(iter(bad))]
    assert c.post("/api/v1/adressages", base, content_type="application/json").status_code == 201


# 7 and 8. Typed answers, stable ids --------------------------------------------------------------------------


def test_answers_are_typed_with_stable_ids(office):
    bureau, conseiller, raw = office
    agence = AgenceFactory()
    collab = CollaborateurFactory(agence=agence)
    a = AdressageFactory(conseiller=conseiller, agence=agence)
    services.transition(adressage=a, vers="convoque", acting_user=collab)
    services.transition(adressage=a, vers="entretien", acting_user=collab)
    retour = services.publish_retour(retour=draft_retour(a, collab), acting_user=collab)
    reply = services.reply_to_retour(retour=retour, texte="Merci.", acting_user=conseiller.user)
    detail = client(raw).get(f"/api/v1/adressages/{a.pk}").json()
    assert detail["conseiller"] == {
        "id": conseiller.pk,
        "email": "nathalie.renard@forem.be",
        "nom": conseiller.user.get_full_name(),
    }
    first, *rest = detail["transitions"]  # (the factory writes no creation line: the journey test checks its null)
    assert first["de"] == "recu" and first["vers"] == "convoque" and isinstance(first["id"], int)
    assert [t["id"] for t in detail["transitions"]] == list(
        a.transitions.order_by("le", "pk").values_list("pk", flat=True)
    )
    (published,) = detail["retours"]
    assert published["reponses"][0]["id"] == reply.pk
    assert published["faits"]["seuil_heures"] == 45.0
    assert all(isinstance(m["heures"], float) for m in published["faits"]["heures_par_mois"])
    doc = schema()
    out = doc["components"]["schemas"]["AdressageOut"]["properties"]
    assert out["etat"]["enum"][0] == "recu"
    transition = doc["components"]["schemas"]["TransitionOut"]["properties"]
    assert {"type": "null"} in transition["de"]["anyOf"]
    operation_ids = {op["operationId"] for p in doc["paths"].values() for op in p.values()}
    assert operation_ids == {
        "list_agences",
        "list_adressages",
        "create_adressage",
        "get_adressage",
        "withdraw_adressage",
    }


# 9. Anonymised data ------------------------------------------------------------------------------------------


def test_anonymised_referral_and_feedback_are_flagged_never_invented(office):
    bureau, conseiller, raw = office
    agence = AgenceFactory()
    collab = CollaborateurFactory(agence=agence)
    a = AdressageFactory(conseiller=conseiller, agence=agence)
    services.transition(adressage=a, vers="convoque", acting_user=collab)
    services.transition(adressage=a, vers="entretien", acting_user=collab)
    services.publish_retour(retour=draft_retour(a, collab), acting_user=collab)
    services.transition(adressage=a, vers="cloture", issue="emploi", acting_user=collab)
    before = client(raw).get(f"/api/v1/adressages/{a.pk}").json()
    assert before["anonymise"] is False and before["retours"][0]["anonymise"] is False
    privacy.anonymise(a)
    after = client(raw).get(f"/api/v1/adressages/{a.pk}").json()
    assert after["anonymise"] is True
    assert after["niss"] is None and after["nom"] is None and after["motif"] is None
    (retour,) = after["retours"]
    assert retour["anonymise"] is True and retour["faits"] is None and retour["texte"] is None
    assert after["issue"] == before["issue"] == "emploi"  # not personal: kept, typed
    assert after["modifie_le"] > before["modifie_le"]  # the anonymisation reaches a syncing partner
