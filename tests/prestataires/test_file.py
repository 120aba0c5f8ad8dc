"""The worker's file: registration by staff, identifiers and their consistency, French errors, nothing half-saved."""

from django.urls import reverse

from prestataires.models import Prestataire

from .conftest import valid_identity


def test_staff_registers_a_worker_with_a_consistent_identity(staff, world):
    response = staff.post(reverse("prestataires:create"), valid_identity())
    prestataire = Prestataire.objects.get(niss="85073003427")
    assert response.status_code == 302
    assert response["Location"] == reverse("prestataires:detail", kwargs={"pk": prestataire.pk})
    assert prestataire.agence == world.agence_a
    assert prestataire.iban == "BE62510007547061"
    assert prestataire.statut == Prestataire.Statut.INSCRIT
    page = staff.get(response["Location"])
    assert "85.07.30-034.27" in page.text


def test_worker_born_in_2000_or_later_is_accepted(staff):
    data = valid_identity(niss="03.02.11-122.42", date_naissance="2003-02-11", sexe="F")
    assert staff.post(reverse("prestataires:create"), data).status_code == 302
    assert Prestataire.objects.filter(niss="03021112242").exists()


def _errors(response, field):
    return [str(e) for e in response.context["form"].errors.get(field, [])]


def test_invalid_niss_gets_a_french_message_and_the_form_is_kept(staff):
    before = Prestataire.objects.count()
    response = staff.post(reverse("prestataires:create"), valid_identity(niss="85.07.30-034.28"))
    assert response.status_code == 200
    assert "contrôle" in _errors(response, "niss")[0]
    assert 'value="Lambotte"' in response.text  # the rest of the form is kept
    assert Prestataire.objects.count() == before


def test_birth_date_and_sex_contradicting_the_niss_are_refused(staff):
    before = Prestataire.objects.count()
    response = staff.post(reverse("prestataires:create"), valid_identity(date_naissance="1985-07-31", sexe="M"))
    assert "ne correspond pas au NISS" in _errors(response, "date_naissance")[0]
    assert "ne correspond pas au NISS" in _errors(response, "sexe")[0]
    assert Prestataire.objects.count() == before


def test_invalid_iban_and_postal_code_are_refused(staff):
    before = Prestataire.objects.count()
    response = staff.post(reverse("prestataires:create"), valid_identity(iban="BE62 5100 0754 7062", code_postal="50"))
    assert "IBAN n'est pas valide" in _errors(response, "iban")[0]
    assert "4 chiffres" in _errors(response, "code_postal")[0]
    assert Prestataire.objects.count() == before


def test_cpas_is_required_for_ris_beneficiaries(staff):
    response = staff.post(reverse("prestataires:create"), valid_identity(organisme_paiement="cpas"))
    assert "CPAS" in _errors(response, "cpas")[0]


def test_the_same_niss_twice_in_one_agency_is_refused(staff, world):
    staff.post(reverse("prestataires:create"), valid_identity())
    response = staff.post(reverse("prestataires:create"), valid_identity(nom="Autre"))
    assert "existe déjà" in _errors(response, "niss")[0]
    assert Prestataire.objects.filter(niss="85073003427").count() == 1


def test_staff_edits_the_identity_and_the_change_is_in_the_history(staff, world):
    p = world.prestataire_a
    data = valid_identity(niss=p.niss, date_naissance="", sexe="", telephone="0499 00 00 00")
    from ale_platform.identifiers import niss_birth_date, niss_sex

    data |= {"date_naissance": niss_birth_date(p.niss).isoformat(), "sexe": niss_sex(p.niss)}
    response = staff.post(reverse("prestataires:edit", kwargs={"pk": p.pk}), data)
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.telephone == "0499 00 00 00"
    page = staff.get(reverse("prestataires:detail", kwargs={"pk": p.pk}))
    assert "0499 00 00 00" in page.text
    assert "Modification" in page.text


def test_profile_sets_activities_mobility_and_trainings(staff, world):
    from tests.factories import ActiviteFactory

    jardin = ActiviteFactory(agence=world.agence_a, nom="Petit jardinage")
    autre_agence = ActiviteFactory(agence=world.agence_b, nom="Ailleurs")
    p = world.prestataire_a
    url = reverse("prestataires:profil", kwargs={"pk": p.pk})
    refused = staff.post(url, {"activites": [autre_agence.pk], "mobilite": "velo"})
    assert refused.status_code == 200 and refused.context["form"].errors["activites"]
    response = staff.post(
        url,
        {
            "activites": [jardin.pk],
            "mobilite": "velo",
            "distance_max_km": "10",
            "communes_mobilite": "Gembloux, Sauvenière",
            "langues_parlees": "français, néerlandais",
            "formations": "Premiers secours (2025)",
            "notes": "Préfère les matinées.",
        },
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert list(p.activites.all()) == [jardin]
    assert p.mobilite == "velo" and p.distance_max_km == 10
    assert p.communes_mobilite == ["Gembloux", "Sauvenière"]


def test_a_niss_registered_in_another_agency_is_refused_by_the_form_as_by_the_import(staff, world):
    """One rule for the staff form and the take-over import (issue 20.3): a file typed with another agency's NISS
    would let this agency's worker account read what is tied to the other agency's person."""
    from ale_platform.identifiers import niss_birth_date, niss_sex

    other = world.prestataire_b
    identity = {"niss": other.niss, "date_naissance": niss_birth_date(other.niss).isoformat(),
                "sexe": niss_sex(other.niss)}  # fmt: skip
    response = staff.post(reverse("prestataires:create"), valid_identity() | identity)
    assert _errors(response, "niss") == ["Ce NISS est déjà inscrit dans une autre agence."]
    p = world.prestataire_a
    before = p.niss
    response = staff.post(reverse("prestataires:edit", kwargs={"pk": p.pk}), valid_identity() | identity)
    assert _errors(response, "niss") == ["Ce NISS est déjà inscrit dans une autre agence."]
    p.refresh_from_db()
    assert p.niss == before
