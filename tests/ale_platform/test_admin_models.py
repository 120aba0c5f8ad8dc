"""Every model of every app is in the admin; agency admins see only their agencies' rows; nothing sensitive shows."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from ale_platform.admin_site import AgenceScopedAdmin
from tests.factories import (
    AdressageFactory,
    AgenceFactory,
    CollaborateurFactory,
    PrestataireFactory,
    PrestationFactory,
    UserFactory,
    UtilisateurFactory,
)
from tests.utilisateurs.factories import DemandeFactory, InscriptionFactory

pytestmark = pytest.mark.django_db
APPS = ["ale_platform", "prestataires", "utilisateurs", "prestations", "forem_liaison"]


def _models():
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            if not model.__name__.startswith("Historical"):
                yield model


def test_every_model_of_every_app_has_a_model_admin():
    missing = [m._meta.label for m in _models() if m not in admin.site._registry]
    assert missing == []


def test_every_changelist_and_change_page_opens_for_the_superuser(client, world):
    PrestationFactory(prestataire=world.prestataire_a, utilisateur=world.utilisateur_a)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for model in _models():
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        response = client.get(url)
        assert response.status_code == 200, url
        obj = model.objects.first()
        if obj is not None:
            change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            assert client.get(change).status_code == 200, change


@pytest.fixture
def agency_admin(client):
    mine, other = AgenceFactory(nom="ALE de Gembloux"), AgenceFactory(nom="ALE d'Éghezée")
    user = CollaborateurFactory(agence=mine, agence__admin=True)
    client.force_login(user)
    return user, mine, other


def _rows(client, model):
    opts = model._meta
    response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert response.status_code == 200
    return list(response.context["cl"].queryset)


def test_agency_admin_sees_only_their_agency_rows(client, agency_admin):
    from forem_liaison.models import Adressage
    from prestataires.models import Prestataire
    from prestations.models import Prestation
    from utilisateurs.models import Demande, Inscription, Utilisateur

    _user, mine, other = agency_admin
    objs = {}
    for key, agence in (("mine", mine), ("other", other)):
        worker = PrestataireFactory(agence=agence)
        client_file = UtilisateurFactory(agence=agence)
        objs[key] = {
            Prestataire: worker,
            Utilisateur: client_file,
            Inscription: InscriptionFactory(utilisateur=client_file),
            Demande: DemandeFactory(utilisateur=client_file),
            Prestation: PrestationFactory(prestataire=worker, utilisateur=client_file),
            Adressage: AdressageFactory(agence=agence),
        }
    for model, obj in objs["mine"].items():
        assert _rows(client, model) == [obj], model
        opts = model._meta
        other_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[objs["other"][model].pk])
        assert client.get(other_url).status_code == 404  # as if it did not exist

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for model in objs["mine"]:
        assert {objs["mine"][model], objs["other"][model]} <= set(_rows(client, model))


def test_agency_admin_does_not_see_the_forem_side_nor_platform_wide_data(client, agency_admin):
    index = client.get(reverse("admin:index"))
    app_models = {m["object_name"] for app in index.context["app_list"] for m in app["models"]}
    assert {"Prestataire", "Utilisateur", "Adressage", "Agence"} <= app_models
    assert not app_models & {"BureauForem", "Conseiller", "JetonAPI", "User", "RegleEligibilite", "CongeScolaire"}
    assert client.get(reverse("admin:forem_liaison_jetonapi_changelist")).status_code == 403


def test_foreign_keys_offer_only_the_agency_rows(client, agency_admin):
    _user, mine, other = agency_admin
    my_worker, other_worker = PrestataireFactory(agence=mine), PrestataireFactory(agence=other)
    form = client.get(reverse("admin:prestataires_absence_add")).context["adminform"].form
    choices = set(form.fields["prestataire"].queryset)
    assert my_worker in choices and other_worker not in choices


def test_sensitive_and_audit_fields(client, world):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = client.get(reverse("admin:prestataires_prestataire_change", args=[world.prestataire_a.pk]))
    assert "remarques_sensibles" not in page.context["adminform"].form.fields
    readonly = admin.site._registry[type(world.prestataire_a)].get_readonly_fields(page.wsgi_request)
    assert "created_at" in readonly
    demande_admin = admin.site._registry[apps.get_model("utilisateurs", "Demande")]
    assert {"created_at", "created_by"} <= set(demande_admin.get_readonly_fields(page.wsgi_request))
    assert all(
        isinstance(a, AgenceScopedAdmin)
        for m, a in admin.site._registry.items()
        if any(f.name == "agence" for f in m._meta.concrete_fields)
    )
