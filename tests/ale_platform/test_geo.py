"""Coordinates of addresses: located in the background on save, flagged when not found, placed by hand by staff."""

import json
import os
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

from ale_platform.geo import backends
from ale_platform.geo.addresses import address_of, normalise
from ale_platform.geo.filters import within_walk
from ale_platform.geo.models import AdresseConnue, StatutGeocodage
from ale_platform.geo.travel import estimate, straight_km
from ale_platform.identifiers import niss_birth_date, niss_sex
from prestataires.forms import PrestataireForm
from prestataires.models import Prestataire
from tests.factories import AgenceFactory, PrestataireFactory

pytestmark = pytest.mark.django_db

GEMBLOUX = (50.5614, 4.6966)


def seed_point(rue, code_postal, commune, lat, lon):
    AdresseConnue.objects.create(
        adresse=normalise(rue, f"{code_postal} {commune}"),
        latitude=Decimal(str(lat)),
        longitude=Decimal(str(lon)),
        source=AdresseConnue.Source.SEMEE,
    )


class Boom:
    def __init__(self, **options):
        pass

    def geocode(self, address, readable=""):
        raise ConnectionError("service injoignable")


def test_saving_an_address_locates_it_in_the_background(django_capture_on_commit_callbacks):
    seed_point("Rue du Moulin 8", "5030", "Gembloux", 50.56, 4.695)
    agence = AgenceFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        p = PrestataireFactory(agence=agence, rue="Rue du Moulin 8", code_postal="5030", commune="GEMBLOUX ")
        p.refresh_from_db()
        assert p.geocodage == StatutGeocodage.A_LOCALISER and p.point is None  # not inside the save
    assert len(callbacks) == 1
    p.refresh_from_db()
    assert p.geocodage == StatutGeocodage.TROUVEE
    assert p.point == (50.56, 4.695)


def test_an_unknown_address_is_flagged_for_staff_not_fatal(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        p = PrestataireFactory(rue="Chemin perdu 999", code_postal="5030", commune="Gembloux")
    p.refresh_from_db()
    assert p.geocodage == StatutGeocodage.INTROUVABLE and p.a_verifier
    assert p.point is None and "à la main" in p.geocodage_note
    assert Prestataire.objects.filter(pk=p.pk).exists()


@override_settings(ALE_GEOCODING={"BACKEND": "tests.ale_platform.test_geo.Boom"})
def test_a_geocoder_that_fails_leaves_the_save_done_and_the_address_flagged(django_capture_on_commit_callbacks):
    backends.geocoder.cache_clear()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            p = PrestataireFactory(rue="Rue du Moulin 8")
    finally:
        backends.geocoder.cache_clear()
    p.refresh_from_db()
    assert p.geocodage == StatutGeocodage.INTROUVABLE
    assert "service injoignable" in p.geocodage_note


def test_a_changed_address_drops_the_old_point_and_an_unchanged_one_is_not_looked_up_again(
    django_capture_on_commit_callbacks,
):
    seed_point("Rue du Moulin 8", "5030", "Gembloux", 50.56, 4.695)
    with django_capture_on_commit_callbacks(execute=True):
        p = PrestataireFactory(rue="Rue du Moulin 8")
    p = Prestataire.objects.get(pk=p.pk)
    assert p.point == (50.56, 4.695)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        p.telephone = "0470 00 00 00"
        p.save()
    assert callbacks == []
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        p.rue = "Rue Neuve 1"
        p.save()
    p.refresh_from_db()
    assert len(callbacks) == 1 and p.latitude is None and p.geocodage == StatutGeocodage.A_LOCALISER


def test_staff_place_a_point_by_hand_and_it_stays_until_the_address_changes(django_capture_on_commit_callbacks):
    p = PrestataireFactory(rue="Chemin perdu 999", date_naissance=None)
    agence = p.agence
    data = {
        "nom": p.nom,
        "prenom": p.prenom,
        "niss": p.niss,
        "date_naissance": niss_birth_date(p.niss).isoformat(),
        "sexe": niss_sex(p.niss),
        "rue": p.rue,
        "code_postal": p.code_postal,
        "commune": p.commune,
        "langue": "fr",
        "date_inscription": "2025-01-01",
        "latitude_manuelle": "50,5701",
        "longitude_manuelle": "",
    }
    form = PrestataireForm(data, instance=p, agence=agence)
    assert not form.is_valid()
    assert "Indiquez la latitude et la longitude" in str(form.errors["longitude_manuelle"])
    data["longitude_manuelle"] = "4,7002"
    p = Prestataire.objects.get(pk=p.pk)
    form = PrestataireForm(data, instance=p, agence=agence)
    assert form.is_valid(), form.errors
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        form.save()
    assert callbacks == []  # placed by hand: nothing to look up
    p.refresh_from_db()
    assert p.geocodage == StatutGeocodage.MANUELLE and p.point == (50.5701, 4.7002)


def test_walking_estimate_and_its_label():
    there = (GEMBLOUX[0] + 0.0040, GEMBLOUX[1] + 0.0057)  # ~600 m away
    assert 0.55 < straight_km(GEMBLOUX, there) < 0.65
    trip = estimate(GEMBLOUX, there, "pied")
    assert trip.minutes == 10 and not trip.routed
    assert trip.label == "≈ 10 min à pied (0,8 km)"
    assert estimate(GEMBLOUX, there, "voiture").minutes < trip.minutes


def test_the_walking_radius_filter_agrees_with_the_estimate():
    agence = AgenceFactory()
    near = PrestataireFactory(agence=agence)
    far = PrestataireFactory(agence=agence)
    unknown = PrestataireFactory(agence=agence)
    Prestataire.objects.filter(pk=near.pk).update(
        latitude=Decimal("50.565400"), longitude=Decimal("4.702300"), geocodage="trouvee"
    )
    Prestataire.objects.filter(pk=far.pk).update(
        latitude=Decimal("50.573000"), longitude=Decimal("4.725000"), geocodage="trouvee"
    )
    found = set(within_walk(Prestataire.objects.filter(agence=agence), GEMBLOUX, 15).values_list("pk", flat=True))
    assert found == {near.pk}
    near.refresh_from_db()
    assert estimate(near.point, GEMBLOUX, "pied").minutes <= 15
    assert unknown.pk not in found


def test_address_normalisation_ignores_case_accents_and_spaces():
    assert normalise("Rue  Entrée Jacques 22", "5030 GEMBLOUX") == normalise("rue entree jacques 22", "5030 Gembloux")
    p = Prestataire(rue="", code_postal="", commune="")
    assert address_of(p) == ""


class FakeNominatim(BaseHTTPRequestHandler):
    answers: list = []
    calls = 0

    def do_GET(self):  # noqa: N802 - http.server's name
        type(self).calls += 1
        body = json.dumps(self.answers).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def nominatim():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeNominatim)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeNominatim.calls = 0
    yield server
    server.shutdown()


def _nominatim(server):
    return backends.NominatimGeocoder(
        domain=f"127.0.0.1:{server.server_port}", scheme="http", user_agent="tests", timeout=2, min_delay_seconds=0
    )


def _place(lat, lon):
    return {"lat": str(lat), "lon": str(lon), "display_name": "x", "place_id": 1, "boundingbox": [0, 0, 0, 0]}


def test_nominatim_answer_is_cached_on_the_normalised_address(nominatim):
    FakeNominatim.answers = [_place(50.56, 4.695)]
    geocoder = _nominatim(nominatim)
    address = normalise("Rue du Moulin 8", "5030 Gembloux")
    first = geocoder.geocode(address, "Rue du Moulin 8, 5030 Gembloux, Belgique")
    again = geocoder.geocode(address, "rue du moulin 8, 5030 GEMBLOUX")
    assert first.statut == again.statut == StatutGeocodage.TROUVEE
    assert (first.latitude, first.longitude) == (Decimal("50.560000"), Decimal("4.695000"))
    assert FakeNominatim.calls == 1 and AdresseConnue.objects.filter(adresse=address).exists()


def test_nominatim_far_apart_answers_are_ambiguous_and_not_cached(nominatim):
    FakeNominatim.answers = [_place(50.56, 4.695), _place(50.45, 4.86)]
    result = _nominatim(nominatim).geocode(normalise("Rue de la Station 1", "5030 Gembloux"))
    assert result.statut == StatutGeocodage.AMBIGUE and "lieux possibles" in result.note
    assert not AdresseConnue.objects.exists()


def test_existing_addresses_are_queued_by_the_command(django_capture_on_commit_callbacks):
    from django.core.management import call_command

    seed_point("Rue du Moulin 8", "5030", "Gembloux", 50.56, 4.695)
    p = PrestataireFactory(rue="Rue du Moulin 8")
    Prestataire.objects.filter(pk=p.pk).update(geocodage_adresse="", geocodage="a_localiser")  # as after migrating
    with django_capture_on_commit_callbacks(execute=True):
        call_command("localiser_adresses", stdout=open(os.devnull, "w"))  # noqa: SIM115
    p.refresh_from_db()
    assert p.point == (50.56, 4.695)
