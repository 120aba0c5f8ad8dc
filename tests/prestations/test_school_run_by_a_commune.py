"""Rule: a school run by a commune is a school for the 70 h (couvin.be: "jardinage et surveillance chez les
particuliers, et écoles"; the law names the user type "enseignement"), whatever its organising body: a client of
type commune marked "établissement scolaire" (`Utilisateur.etablissement_scolaire`) gets the school's 70 h for
supervision, in the services as on screen; an ordinary commune does not."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ale_platform.models import Activite, TypeUtilisateur
from prestations.rulebook import caps_for, effective_category
from tests.factories import ActiviteFactory, PrestataireFactory, UtilisateurFactory

from .factories import authorise, ready
from .test_rulebook import messages, rec

pytestmark = pytest.mark.django_db
# Planned slots (a weekend or a holiday of the month needs a reason: given).
PLANNED = {"statut": "planifiee", "override_reason": "test"}


def _month_days(count):
    """`count` distinct days of the current month (the meters on screen show this month)."""
    first = timezone.localdate().replace(day=1)
    return [first + datetime.timedelta(days=i) for i in range(count)]


def test_a_school_run_by_a_commune_gets_the_schools_70_hours_for_supervision(client):
    s = ready()
    surveillance = ActiviteFactory(
        agence=s.agence,
        nom="Surveillance de midi",
        categorie=Activite.Categorie.MAJOREE,
        types_utilisateurs=[TypeUtilisateur.ENSEIGNEMENT],
    )
    ecole = UtilisateurFactory(
        agence=s.agence, type=TypeUtilisateur.AUTORITE_LOCALE, nom="École communale de Sauvenière", prenom=""
    )
    ecole.etablissement_scolaire = True
    ecole.save()
    year = timezone.localdate().year
    authorise(ecole, surveillance, year)
    caps = caps_for(s.agence, timezone.localdate())
    assert effective_category(surveillance, ecole, caps) == Activite.Categorie.MAJOREE

    days = _month_days(10)
    for day in days:  # 10 × 5 h = 50 h of supervision: above 45 h, within the school's 70 h
        rec(s, 5, day, activite=surveillance, utilisateur=ecole, **PLANNED)
    client.force_login(s.staff)
    page = client.get(reverse("prestataires:detail", args=[s.prestataire.pk]))
    assert "50 h / 70 h" in page.text

    # The same work at an ordinary commune counts under the general 45 h (and is not a school activity).
    other = PrestataireFactory(agence=s.agence, statut="actif", organisme_paiement="capac")
    surveillance.types_utilisateurs = [TypeUtilisateur.ENSEIGNEMENT, TypeUtilisateur.AUTORITE_LOCALE]
    surveillance.save()
    commune = UtilisateurFactory(agence=s.agence, type=TypeUtilisateur.AUTORITE_LOCALE, nom="Commune", prenom="")
    authorise(commune, surveillance, year)
    assert effective_category(surveillance, commune, caps) == Activite.Categorie.GENERALE
    for day in days[:9]:
        rec(s, 5, day, prestataire=other, activite=surveillance, utilisateur=commune, **PLANNED)
    with pytest.raises(ValidationError) as exc:
        rec(s, 5, days[9], prestataire=other, activite=surveillance, utilisateur=commune, **PLANNED)
    assert "Plafond mensuel de 45 h" in messages(exc)


def test_only_a_commune_an_asbl_or_a_school_can_be_marked_as_a_school():
    from django.db import IntegrityError

    s = ready()
    s.utilisateur.etablissement_scolaire = True
    with pytest.raises(IntegrityError):
        s.utilisateur.save()
