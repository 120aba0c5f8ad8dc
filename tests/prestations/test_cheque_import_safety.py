"""The voucher CSV import refuses every bad file with a French message next to the form, never a 500, and applies
to a prestation the same voucher rules as its page (worked hours only, never more vouchers than hours started)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prestations import imports
from prestations.models import ChequeALE
from utilisateurs.models import Autorisation

from .factories import ready
from .test_cheques import worked

pytestmark = pytest.mark.django_db
HEADER = "numero;autorisation;nominatif;valeur;statut;prestation"


@pytest.fixture
def s():
    return ready()


@pytest.fixture
def staff(client, s):
    client.force_login(s.staff)
    return client


def _auth(s):
    return Autorisation.objects.filter(utilisateur=s.utilisateur).first().numero


def _upload(staff, content: bytes, action="apercu"):
    url = reverse("prestations:cheque_import")
    response = staff.post(url, {"fichier": SimpleUploadedFile("cheques.csv", content), "action": action})
    assert response.status_code == 200
    return response


def _errors(response) -> str:
    form = response.context["form"]
    text = " ".join(str(e) for errors in form.errors.values() for e in errors)
    lignes = response.context.get("lignes") or []
    text += " ".join(" ".join(ligne.errors) for ligne in lignes)
    return text + " ".join(response.context.get("file_errors") or [])


def test_a_file_in_no_known_encoding_is_refused_on_the_form(staff):
    response = _upload(staff, HEADER.encode() + b"\n\x81\x8d\x8f\x90;\x9d\n")
    assert "Fichier illisible" in _errors(response)
    assert not ChequeALE.objects.exists()


def test_a_file_over_the_size_limit_is_refused(staff, s):
    line = f"\n;{_auth(s)};oui;;;".encode()
    response = _upload(staff, HEADER.encode() + line * (imports.MAX_BYTES // len(line) + 1))
    assert "Fichier trop volumineux : au plus 2 Mo." in _errors(response)


def test_more_values_than_columns_is_a_row_error_and_a_trailing_separator_is_not(staff, s):
    auth = _auth(s)
    text = f"{HEADER}\n7000000001;{auth};oui;;;;\n7000000002;{auth};oui;;;;surplus\n"
    response = _upload(staff, text.encode())
    lignes = response.context["lignes"]
    assert lignes[0].errors == []
    assert lignes[1].errors == ["Plus de valeurs que de colonnes (en trop : surplus)."]


@pytest.mark.parametrize("valeur", ["1e10", "10000", "NaN", "Infinity", "6,123", "-7"])
def test_a_value_outside_the_registers_bounds_is_a_row_error(staff, s, valeur):
    text = f"{HEADER}\n7000000001;{_auth(s)};oui;{valeur};;\n"
    response = _upload(staff, text.encode())
    [ligne] = response.context["lignes"]
    assert ligne.errors, valeur
    response = staff.post(reverse("prestations:cheque_import"), {"contenu": text, "action": "importer"})
    assert response.status_code == 200
    assert not ChequeALE.objects.exists()


def test_the_same_electronic_reference_twice_in_one_file_is_refused(staff, s):
    p = worked(s, hours="3")
    auth = _auth(s)
    text = f"{HEADER}\n;{auth};oui;;validee;{p.reference}\n;{auth};oui;;validee;{p.reference}\n"
    response = staff.post(reverse("prestations:cheque_import"), {"contenu": text, "action": "importer"})
    assert response.status_code == 200
    assert "rien n'a été importé" in _errors(response)
    assert "apparaît 2 fois" in _errors(response)
    assert not ChequeALE.objects.exists()


def test_never_more_paper_vouchers_than_hours_started(staff, s):
    p = worked(s, hours="3")
    auth = _auth(s)
    rows = "".join(f"\n700000000{i};{auth};oui;;;{p.reference}" for i in range(1, 7))
    lignes, _file_errors = imports.parse(HEADER + rows, s.agence)
    assert all(
        "6 chèques pour 3 heures encore à couvrir (3 h prestées) : 3 de trop." in ligne.errors for ligne in lignes
    )
    response = staff.post(reverse("prestations:cheque_import"), {"contenu": HEADER + rows, "action": "importer"})
    assert response.status_code == 200
    assert not ChequeALE.objects.exists()
    three = "".join(f"\n700000000{i};{auth};oui;;;{p.reference}" for i in range(1, 4))
    assert imports.commit(HEADER + three, s.agence, s.staff) == 3
    assert imports.parse(HEADER + "\n7000000009;" + auth + ";oui;;;" + p.reference, s.agence)[0][0].errors == [
        "Cette prestation est déjà couverte par 3 chèques."
    ]


def test_a_planned_prestation_takes_no_voucher(s):
    p = worked(s, hours="2", validate=False)
    p.statut = "planifiee"
    p.save()
    for row in (f"7000000001;{_auth(s)};oui;;;{p.reference}", f";{_auth(s)};oui;;validee;{p.reference}"):
        [ligne], _file_errors = imports.parse(f"{HEADER}\n{row}", s.agence)
        assert ligne.errors == ["Des chèques ne couvrent que des heures prestées (statut : Planifiée)."]
