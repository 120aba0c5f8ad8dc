"""Vouchers come in through the wizard like everything else: read by the reprise machinery, checked by the voucher
rules (bounds, duplicates, a prestation's cover, as on its page), all or nothing, idempotent by number, written by
the voucher service with the import in their history. Formerly tests/prestations/test_cheque_import_safety.py and
the CSV tests of test_cheques.py / test_views.py (the old upload path is gone)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prestations.models import ChequeALE
from prestations.services import record_cheque
from reprise.models import Reprise
from tests.factories import AgenceFactory, CollaborateurFactory
from tests.prestations.factories import ready
from tests.prestations.test_cheques import worked
from utilisateurs.models import Autorisation

from .conftest import errors, results, xlsx

pytestmark = pytest.mark.django_db
HEADER = "numero;autorisation;nominatif;valeur;statut;prestation"


@pytest.fixture
def s():
    return ready()


@pytest.fixture
def staff(client, s):
    """A collaborator of the agency who is not its administrator: vouchers are theirs to import."""
    client.force_login(s.staff)
    return client


@pytest.fixture
def walk(wizard, staff, s):
    def run(text: str, confirm=True, name="cheques.csv"):
        upload = SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text)
        return wizard(s.agence, upload, entite="cheques", confirm=confirm, client=staff)

    return run


def _auth(s):
    return Autorisation.objects.filter(utilisateur=s.utilisateur).first().numero


def _deposit(staff, s, content: bytes, name="cheques.csv"):
    return staff.post(
        reverse("reprise:index"),
        {"agence": s.agence.pk, "entite": "cheques", "fichier": SimpleUploadedFile(name, content)},
    )


def test_the_old_address_leads_staff_to_the_wizard_set_to_vouchers(staff):
    response = staff.get("/cheques/import/")
    assert response.status_code == 302
    assert response["Location"] == reverse("reprise:index") + "?entite=cheques"
    page = staff.get(response["Location"])
    assert page.status_code == 200
    form = page.context["form"]
    assert form.fields["entite"].initial == "cheques"
    # Not an administrator: vouchers only, and the list of templates says so.
    assert [code for code, _label in form.fields["entite"].choices] == ["cheques"]
    assert staff.get(reverse("reprise:modele", args=["cheques"])).status_code == 200
    assert staff.get(reverse("reprise:modele", args=["prestataires"])).status_code == 403


def test_a_file_in_no_known_encoding_is_refused_on_the_form(staff, s):
    response = _deposit(staff, s, HEADER.encode() + b"\n\x81\x8d\x8f\x90;\x9d\x00\n")
    assert response.status_code == 400
    assert "Encodage du fichier non reconnu" in " ".join(response.context["form"].errors["fichier"])
    assert not Reprise.objects.exists()


def test_a_file_over_the_size_limit_is_refused(staff, s):
    from reprise.lecture import MAX_BYTES

    line = f"\n;{_auth(s)};oui;;;".encode()
    response = _deposit(staff, s, HEADER.encode() + line * (MAX_BYTES // len(line) + 1))
    assert response.status_code == 400
    assert "Le fichier dépasse 10 Mo" in " ".join(response.context["form"].errors["fichier"])
    assert not Reprise.objects.exists()


def test_more_values_than_columns_is_a_row_error_and_a_trailing_separator_is_not(walk, s):
    auth = _auth(s)
    reprise = walk(f"{HEADER}\n7000000001;{auth};oui;;;;\n7000000002;{auth};oui;;;;surplus\n", confirm=False)
    assert results(reprise) == ["nouveau", "refuse"]
    assert errors(reprise)[3] == {"Ligne": "Plus de valeurs que de colonnes (en trop : surplus)."}


@pytest.mark.parametrize("valeur", ["1e10", "10000", "NaN", "Infinity", "6,123", "-7", "4,00"])
def test_a_value_outside_the_registers_bounds_refuses_the_whole_file(walk, s, valeur):
    auth = _auth(s)
    reprise = walk(f"{HEADER}\n7000000001;{auth};oui;{valeur};;\n7000000002;{auth};oui;;;\n")
    assert results(reprise) == ["refuse", "nouveau"]
    assert "Valeur (€)" in errors(reprise)[2], valeur
    assert reprise.statut == "a_confirmer"  # the confirmation was refused: all or nothing
    assert not ChequeALE.objects.exists()


def test_the_same_electronic_reference_twice_in_one_file_is_refused(walk, s):
    p = worked(s, hours="3")
    auth = _auth(s)
    reprise = walk(f"{HEADER}\n;{auth};oui;;validee;{p.reference}\n;{auth};oui;;validee;{p.reference}\n")
    assert results(reprise) == ["refuse", "refuse"]
    assert "apparaît 2 fois" in errors(reprise)[2]["Référence de la prestation"]
    assert not ChequeALE.objects.exists()


def test_never_more_paper_vouchers_than_hours_started(walk, s):
    p = worked(s, hours="3")
    auth = _auth(s)
    six = "".join(f"\n700000000{i};{auth};oui;;;{p.reference}" for i in range(1, 7))
    reprise = walk(HEADER + six)
    assert set(results(reprise)) == {"refuse"}
    assert all(
        "6 chèques pour 3 heures encore à couvrir (3 h prestées) : 3 de trop." in e["Référence de la prestation"]
        for e in errors(reprise).values()
    )
    assert not ChequeALE.objects.exists()
    three = "".join(f"\n700000000{i};{auth};oui;;;{p.reference}" for i in range(1, 4))
    assert walk(HEADER + three).statut == "terminee"
    assert ChequeALE.objects.filter(prestation=p).count() == 3
    reprise = walk(f"{HEADER}\n7000000009;{auth};oui;;;{p.reference}")
    assert errors(reprise)[2]["Référence de la prestation"] == "Cette prestation est déjà couverte par 3 chèques."


def test_a_planned_prestation_takes_no_voucher(walk, s):
    p = worked(s, hours="2", validate=False)
    p.statut = "planifiee"
    p.save()
    for row in (f"7000000001;{_auth(s)};oui;;;{p.reference}", f";{_auth(s)};oui;;validee;{p.reference}"):
        reprise = walk(f"{HEADER}\n{row}", confirm=False)
        assert errors(reprise)[2]["Référence de la prestation"] == (
            "Des chèques ne couvrent que des heures prestées (statut : Planifiée)."
        )


def test_the_preview_reports_each_bad_row_next_to_its_column_and_commits_nothing(walk, s):
    record_cheque(agence=s.agence, numero="5000000009", utilisateur=s.ferme, acting_user=s.staff)
    auth = _auth(s)
    rows = [
        f"5000000001;{auth};oui;5,95;rentre;",
        f"5000000001;{auth};oui;;;",
        f"50000;{auth};non;;;",
        "5000000002;9999999999;oui;4,00;;",
        f"5000000009;{auth};oui;;;",
        f";{auth};oui;;;",
        f"5000000003;{auth};peut-être;;;",
        f"5000000004;{auth};oui;;perdu;",
    ]
    reprise = walk("\n".join([HEADER, *rows]))
    found = errors(reprise)
    assert 2 not in found
    assert found[3] == {"Numéro du chèque": "En double dans le fichier : même valeur qu'à la ligne 2."}
    assert found[4] == {"Numéro du chèque": "Numéro de chèque « 50000 » mal formé : 10 chiffres attendus."}
    assert found[5]["Numéro d'autorisation"] == "Autorisation « 9999999999 » inconnue dans cette agence."
    assert found[5]["Valeur (€)"] == "Valeur de 4,00 € inférieure au minimum légal de 5,95 € (1,95 € de moins)."
    assert found[6]["Numéro du chèque"].startswith("Le chèque n° 5000000009 est déjà enregistré")
    assert found[7] == {"Numéro du chèque": "Ni numéro de chèque papier, ni référence de prestation électronique."}
    assert found[8]["Nominatif"] == "Répondez oui ou non (pas « peut-être »)."
    assert found[9]["État"].startswith("État « perdu » inconnu (attendus : remis,")
    assert reprise.statut == "a_confirmer"
    assert ChequeALE.objects.count() == 1


def test_paper_and_electronic_vouchers_are_recorded_with_the_import_in_their_history(walk, s):
    p = worked(s, hours="3")
    auth = _auth(s)
    reprise = walk(f"{HEADER}\n6000000001;{auth};oui;;rentre;\n;{auth};oui;;validee;{p.reference}\n")
    assert reprise.statut == "terminee", reprise.erreur
    assert reprise.compteurs["nouveau"] == 2
    paper = ChequeALE.objects.get(numero="6000000001")
    assert (paper.statut, paper.utilisateur, paper.valeur) == ("rentre", s.utilisateur, s.agence.prix_cheque)
    assert ChequeALE.objects.get(type="electronique").quantite == 3
    history = paper.history.first()
    assert history.history_user == s.staff
    assert history.history_change_reason == reprise.change_reason
    assert paper.transitions.get().par == s.staff


def test_importing_the_same_file_twice_changes_nothing(walk, s):
    p = worked(s, hours="3")
    auth = _auth(s)
    text = f"{HEADER}\n6000000001;{auth};oui;;;\n6000000002;{auth};non;7,50;;\n;{auth};oui;;validee;{p.reference}\n"
    assert walk(text).statut == "terminee"
    before = list(ChequeALE.objects.order_by("pk").values())
    again = walk(text)
    assert again.statut == "terminee"
    assert results(again) == ["inchange", "inchange", "inchange"]
    assert list(ChequeALE.objects.order_by("pk").values()) == before


def test_an_xlsx_with_portal_headers_in_dutch_is_understood(walk, s):
    auth = _auth(s)
    upload = xlsx([["Chequenummer", "Machtigingsnummer", "Waarde"], ["6000000011", auth, "7,50"]], "pluxee.xlsx")
    reprise = walk(upload.read(), name="pluxee.xlsx")
    assert reprise.statut == "terminee", reprise.erreur
    assert ChequeALE.objects.get(numero="6000000011").valeur == 7.5


def test_a_collaborator_imports_vouchers_into_their_agency_only(client, s):
    other = ready(agence=AgenceFactory())
    client.force_login(CollaborateurFactory(agence=other.agence))
    auth = _auth(s)
    response = client.post(
        reverse("reprise:index"),
        {
            "agence": s.agence.pk,
            "entite": "cheques",
            "fichier": SimpleUploadedFile("c.csv", f"{HEADER}\n6000000001;{auth};oui;;;\n".encode()),
        },
    )
    assert response.status_code == 400
    assert not Reprise.objects.exists()


def test_a_collaborator_who_is_not_admin_imports_nothing_but_vouchers(staff, s):
    response = staff.post(
        reverse("reprise:index"),
        {"agence": s.agence.pk, "entite": "prestataires", "fichier": SimpleUploadedFile("p.csv", b"Nom;NISS\nA;1\n")},
    )
    assert response.status_code == 400
    assert not Reprise.objects.exists()


def test_another_collaborators_voucher_import_is_visible_but_not_an_admins_worker_import(staff, s):
    theirs = Reprise.objects.create(agence=s.agence, entite="prestataires", fichier="x", nom_fichier="x.csv")
    vouchers = Reprise.objects.create(agence=s.agence, entite="cheques", fichier="y", nom_fichier="y.csv")
    assert staff.get(reverse("reprise:detail", args=[theirs.pk])).status_code == 404
    assert staff.get(reverse("reprise:detail", args=[vouchers.pk])).status_code == 200
