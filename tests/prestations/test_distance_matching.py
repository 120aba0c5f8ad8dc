"""Matching by real distance: travel time by the worker's mode against their maximum, "distance inconnue" when a
point is missing, the walking-radius filter, the routing engine's stored times, and the demo's walkers."""

import json
import os
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ale_platform.geo.models import Itineraire
from prestataires.models import Mobilite, Prestataire
from prestations.matching import candidates
from prestations.tasks import calculer_itineraires
from tests.prestations.factories import ready
from tests.prestations.test_matching import demande_for, good_worker
from utilisateurs.models import Utilisateur

pytestmark = pytest.mark.django_db

ANNE = (Decimal("50.565000"), Decimal("4.699000"))


def locate(record, lat, lon):
    type(record).objects.filter(pk=record.pk).update(latitude=lat, longitude=lon, geocodage="trouvee")
    record.refresh_from_db()


def scene():
    """Anne's garden, a walker ~600 m away, a walker ~2 km away (20 min maximum), a worker with no point."""
    s = ready()
    locate(s.utilisateur, *ANNE)
    near = good_worker(s, nom="Proche", mobilite=Mobilite.PIED, temps_trajet_max=20)
    far = good_worker(s, nom="Loin", mobilite=Mobilite.PIED, temps_trajet_max=20)
    unknown = good_worker(s, nom="Inconnu", mobilite=Mobilite.VOITURE)
    locate(near, Decimal("50.569000"), Decimal("4.704700"))
    locate(far, Decimal("50.552400"), Decimal("4.678600"))
    return s, near, far, unknown


def test_the_nearer_walker_ranks_first_and_the_one_beyond_their_maximum_is_blocked_with_the_minutes():
    s, near, far, unknown = scene()
    ranked = candidates(demande_for(s))
    by_pk = {c.prestataire.pk: c for c in ranked}
    order = [c.prestataire.pk for c in ranked]
    assert order.index(near.pk) < order.index(far.pk)
    assert "≈ 10 min à pied (0,8 km)." in by_pk[near.pk].reasons and by_pk[near.pk].eligible
    assert by_pk[far.pk].blockers == ["≈ 35 min à pied (2,6 km) : au-delà de son maximum de 20 min."]
    assert by_pk[unknown.pk].trajet.trajet is None
    assert any(r.startswith("Distance inconnue") for r in by_pk[unknown.pk].reasons)
    # Unknown is not a pass: a known short trip scores more than an unknown one.
    assert by_pk[near.pk].score > by_pk[unknown.pk].score


def test_a_maximum_in_km_blocks_too_and_a_walker_without_a_maximum_gets_the_default():
    s, near, far, _unknown = scene()
    Prestataire.objects.filter(pk=near.pk).update(temps_trajet_max=None, distance_max_km=1, mobilite="velo")
    Prestataire.objects.filter(pk=far.pk).update(temps_trajet_max=None)
    ranked = {c.prestataire.pk: c for c in candidates(demande_for(s))}
    assert ranked[near.pk].eligible  # 0,8 km by bike, under 1 km
    assert "maximum de 45 min" not in " ".join(ranked[far.pk].blockers)  # 35 min on foot: within the default
    Prestataire.objects.filter(pk=far.pk).update(distance_max_km=2)
    ranked = {c.prestataire.pk: c for c in candidates(demande_for(s))}
    assert "au-delà de sa distance maximale de 2 km" in " ".join(ranked[far.pk].blockers)


def test_a_place_not_located_makes_every_distance_unknown():
    s, near, _far, _unknown = scene()
    Utilisateur.objects.filter(pk=s.utilisateur.pk).update(latitude=None, longitude=None, geocodage="introuvable")
    s.utilisateur.refresh_from_db()
    ranked = {c.prestataire.pk: c for c in candidates(demande_for(s))}
    assert ranked[near.pk].trajet.trajet is None


def test_matching_page_shows_minutes_and_filters_by_walking_radius(client, django_assert_max_num_queries):
    s, near, far, unknown = scene()
    demande = demande_for(s)
    client.force_login(s.staff)
    url = reverse("prestations:matching", args=[demande.pk])
    page = client.get(url).content.decode()
    assert "≈ 10 min à pied (0,8 km)" in page and "distance inconnue" in page and "estimation à vol d" in page
    with django_assert_max_num_queries(12):
        filtered = client.get(url, {"minutes_a_pied": "15"})
    shown = {c.prestataire.pk for c in filtered.context["candidates"]}
    assert shown == {near.pk}
    bad = client.get(url, {"minutes_a_pied": "0"})
    assert bad.status_code == 200 and bad.context["filter"].errors


def test_worker_list_filter_by_walking_minutes_from_the_agency(client):
    s, near, far, unknown = scene()
    locate(s.agence, *ANNE)
    client.force_login(s.staff)
    response = client.get(reverse("prestataires:list"), {"minutes_a_pied": "15"})
    names = response.content.decode()
    assert "Proche" in names and "Loin" not in names and "Inconnu" not in names


class FakeOSRM(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        sources = len(self.path.split("?")[0].split("/")[-1].split(";")) - 1
        body = json.dumps(
            {"code": "Ok", "durations": [[600.0 + 60 * i] for i in range(sources)], "distances": [[900.0]] * sources}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_routing_engine_times_are_stored_in_the_background_and_shown_as_routed():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOSRM)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        s, near, far, unknown = scene()
        demande = demande_for(s)
        with override_settings(ALE_ROUTING_URL=f"http://127.0.0.1:{server.server_port}"):
            stored = calculer_itineraires.call(demande.pk)
            assert stored == 2 and Itineraire.objects.filter(mode="pied").count() == 2
            with CaptureQueriesContext(connection) as ctx:
                ranked = {c.prestataire.pk: c for c in candidates(demande)}
    finally:
        server.shutdown()
    trajet = ranked[near.pk].trajet.trajet
    assert trajet.routed and not trajet.label.startswith("≈") and trajet.km == 0.9
    assert trajet.minutes in (10, 11)
    # The stored times ride on the workers' query: the request's dates, the workers, the hour sums.
    assert len(ctx.captured_queries) == 3


def test_demo_shows_the_walkers_and_an_unknown_distance():
    from prestations.demo import OPEN_DEMANDE_KEY
    from utilisateurs.models import Demande

    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    demande = Demande.objects.get(cle_idempotence=OPEN_DEMANDE_KEY)
    ranked = candidates(demande)
    names = [c.prestataire.nom for c in ranked]
    by_name = {c.prestataire.nom: c for c in ranked}
    assert names.index("Lambert") < names.index("Renard")
    assert by_name["Lambert"].eligible and any("min à pied" in r for r in by_name["Lambert"].reasons)
    assert any("au-delà de son maximum de 20 min" in b for b in by_name["Renard"].blockers)
    assert any(r.startswith("Distance inconnue") for r in by_name["Hubert"].reasons + by_name["Hubert"].blockers)
    assert Prestataire.objects.get(nom="Hubert").a_verifier
