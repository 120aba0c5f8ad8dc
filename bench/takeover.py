"""The data take-over measured: an ALE's file of workers, one of their eligibility bases (one each), one of
clients, one of this year's registrations (one per client) and one of authorisations (every other client),
analysed and imported in-process (the background tasks' bodies), then imported a second time, which must change
nothing. Each file also holds a few rows an ALE's old files really hold (a NISS with a typo, a postal code cut
short, a client missing from the clients' file, an activity the agency does not offer): they must be refused, each
with its reason on its line of the error report, and the rest imported.

The workers' and the clients' files are shaped like an office's own (`_office_workbook`): a merged title row and a
blank row above the headers, the office's header names ("N° national", "Nom / Raison sociale"), the address in one
cell written three Belgian ways, NISS written with and without dots or spaces, "PP" for a private person, the
activity in lower case, every third client's authorised activity in a column of the clients' file (an authorisation
with a provisional number, whose real number the authorisations' file then brings for every other client), and a
TOTAL formula row under the data."""

import datetime
import io
import time

import openpyxl
import tablib
from django.core.files.storage import default_storage
from django.utils import timezone

from ale_platform.identifiers import build_niss, format_niss
from ale_platform.models import Activite, TypeUtilisateur
from reprise import fichiers, services
from reprise.models import Entite, Reprise

# Rows of each file at full size; the smoke test lowers them.
SIZES = {"workers": 2000, "clients": 5000}
# Refused rows added to each file (see the module's docstring).
BAD_ROWS = 5


def _workbook(headers, rows, bad_rows=()) -> bytes:
    data = tablib.Dataset(headers=headers)
    for row in rows:
        data.append(row)
    for row in bad_rows:
        data.append(row)
    return data.export("xlsx")


def _office_workbook(title, headers, rows, bad_rows=()) -> bytes:
    """The rows as an office keeps them: a merged title and a blank row above the headers, a TOTAL row below."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.append([])
    sheet.append(headers)
    for row in (*rows, *bad_rows):
        sheet.append(row)
    sheet.append([])
    sheet.append(["TOTAL", f"=COUNTA(A4:A{sheet.max_row - 1})"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _office_niss(niss: str, i: int) -> str:
    """A NISS as offices type it: formatted, compact, or with spaces."""
    compact = niss.replace(".", "").replace("-", "")
    return (niss, compact, f"{compact[:2]} {compact[2:4]} {compact[4:6]} {compact[6:9]} {compact[9:]}")[i % 3]


def _office_address(street: str, i: int) -> str:
    """An address in one cell, the three Belgian ways the issue lists."""
    name, number = street.rsplit(" ", 1)
    return (f"{street}, 5030 Gembloux", f"{number} {name.lower()} - 5030 GEMBLOUX", f"{name}, {number} 5030 Gembloux")[
        i % 3
    ]


def _worker_niss(i: int) -> str:
    return format_niss(build_niss(datetime.date(1931, 1, 1) + datetime.timedelta(days=i // 400), 1 + i % 400 * 2))


def _client_niss(i: int) -> str:
    start = datetime.date(1931, 1, 1)
    return format_niss(build_niss(start + datetime.timedelta(days=3000 + i // 400), 1 + i % 400 * 2))


def _bad_niss(niss: str) -> str:
    digits = niss.replace(".", "").replace("-", "")
    return digits[:-2] + f"{(int(digits[-2:]) + 1) % 100:02d}"


def files(activite: str) -> dict[str, bytes]:
    today = timezone.localdate()
    year = today.year
    paid = min(today, datetime.date(year, 1, 15)).strftime("%d/%m/%Y")
    bad = range(SIZES["workers"], SIZES["workers"] + BAD_ROWS)
    workers = _office_workbook(
        "Liste des prestataires ALE",
        ["Nom", "Prénom", "N° national", "Adresse", "GSM", "Langue", "Activités"],
        (
            [
                f"Reprise{i}",
                "Test",
                _office_niss(_worker_niss(i), i),
                _office_address(f"Rue de la Reprise {i}", i),
                "081 00 00 00",
                "fr",
                activite.lower(),
            ]
            for i in range(SIZES["workers"])
        ),
        # Check digits off by one.
        ([f"Erreur{i}", "Test", _bad_niss(_worker_niss(i)), "Rue 1, 5030 Gembloux", "", "fr", ""] for i in bad),
    )
    clients = _office_workbook(
        "Fichier des utilisateurs",
        ["Type", "Nom / Raison sociale", "Prénom", "N° national", "Adresse", "Activités autorisées"],
        (
            [
                "PP",
                f"Client{i}",
                "Test",
                _office_niss(_client_niss(i), i),
                _office_address(f"Rue du Client {i}", i),
                activite.lower() if i % 3 == 0 else "",
            ]
            for i in range(SIZES["clients"])
        ),
        # A postal code cut short: the address cannot be split.
        (["PP", f"Erreur{i}", "Test", _client_niss(i + SIZES["clients"]), "Rue 1, 503 Gembloux", ""] for i in bad),
    )
    bases = _workbook(
        ["NISS", "Base", "Depuis le", "Preuve", "Date de la preuve"],
        (
            [_worker_niss(i), "ris", "01/03/2015", "Attestation du CPAS", "15/03/2015"]
            if i % 2
            else [_worker_niss(i), "chomage_45_plus", "01/01/2020", "Attestation CAPAC", "20/01/2020"]
            for i in range(SIZES["workers"])
        ),
        # Workers missing from the workers' file.
        ([_worker_niss(i + BAD_ROWS), "ris", "01/03/2015", "Attestation du CPAS", "15/03/2015"] for i in bad),
    )
    missing_clients = range(SIZES["clients"] + BAD_ROWS, SIZES["clients"] + 2 * BAD_ROWS)
    inscriptions = _workbook(
        ["NISS ou BCE du client", "Année", "Cotisation (€)", "Payée le", "Validée"],
        ([_client_niss(i), str(year), "7,44", paid, "oui"] for i in range(SIZES["clients"])),
        # Clients missing from the clients' file.
        ([_client_niss(i), str(year), "7,44", paid, "oui"] for i in missing_clients),
    )
    authorised = range(0, SIZES["clients"], 2)
    autorisations = _workbook(
        ["NISS ou BCE du client", "Activité", "Numéro d'autorisation", "Début", "Fin"],
        (
            [_client_niss(i), activite, f"{3_000_000_000 + i:010d}", f"01/01/{year}", f"31/12/{year}"]
            for i in authorised
        ),
        # An activity the agency does not offer.
        (
            [_client_niss(i), "Pilotage d'hélicoptère", f"{3_100_000_000 + i:010d}", f"01/01/{year}", f"31/12/{year}"]
            for i in range(BAD_ROWS)
        ),
    )
    # In the order an ALE imports them: the bases name workers of the first file, the registrations and
    # authorisations clients of the clients' file.
    return {
        Entite.PRESTATAIRES: workers,
        Entite.SITUATIONS: bases,
        Entite.UTILISATEURS: clients,
        Entite.INSCRIPTIONS: inscriptions,
        Entite.AUTORISATIONS: autorisations,
    }


def valid_rows() -> dict[str, int]:
    """The rows of each file that hold nothing wrong (every row but the BAD_ROWS added to each)."""
    return {
        Entite.PRESTATAIRES: SIZES["workers"],
        Entite.SITUATIONS: SIZES["workers"],
        Entite.UTILISATEURS: SIZES["clients"],
        Entite.INSCRIPTIONS: SIZES["clients"],
        Entite.AUTORISATIONS: len(range(0, SIZES["clients"], 2)),
    }


def _import(agence, user, entite, content) -> tuple[dict, Reprise]:
    reprise = services.deposit(agence=agence, entite=entite, name=f"{entite}.xlsx", content=content, acting_user=user)
    Reprise.objects.filter(pk=reprise.pk).update(statut=Reprise.Statut.A_CONFIRMER)
    counts = services.run_import(reprise.pk)
    reprise.refresh_from_db()
    return counts, reprise


def _report_lines_with_a_reason(reprise) -> int:
    """The error report's lines that name a reason (read back from the report the user downloads; not timed)."""
    content, _name, _type = fichiers.error_report(reprise, services.read(reprise))
    report = tablib.Dataset().load(content, format="xlsx")
    reasons = report.headers.index("Erreurs")
    return sum(1 for row in report if row[reasons])


def _activite(agence) -> str:
    offered = Activite.objects.filter(agence=agence, active=True).order_by("nom")
    return next(a.nom for a in offered if a.allows(TypeUtilisateur.PARTICULIER))


def import_twice(agence, user) -> dict:
    """Seconds for the first import of the files and for the second one (counts of the second: all unchanged), and
    per file the error report's lines that give a reason (the refused rows)."""
    contents = files(_activite(agence))
    reports: dict[str, int] = {}
    seconds: dict[str, list[float]] = {}

    def timed(entite, content, report: bool) -> dict:
        started = time.perf_counter()
        counts, reprise = _import(agence, user, entite, content)
        seconds.setdefault(entite, []).append(round(time.perf_counter() - started, 2))
        if report:
            reports[entite] = _report_lines_with_a_reason(reprise)
        default_storage.delete(reprise.fichier)
        return counts

    first = {entite: timed(entite, content, report=False) for entite, content in contents.items()}
    again = {entite: timed(entite, content, report=True) for entite, content in contents.items()}
    # The issue's measure: the share of the files' valid rows (all but the BAD_ROWS of each) that the first import
    # wrote. A row merged into another, or set aside as a title or TOTAL, is not a valid row of its own.
    valid = valid_rows()
    imported = {entite: first[entite]["nouveau"] + first[entite]["mise_a_jour"] for entite in valid}
    return {
        "rows": 2 * SIZES["workers"] + 2 * SIZES["clients"] + len(range(0, SIZES["clients"], 2)) + 5 * BAD_ROWS,
        "valid_rows": sum(valid.values()),
        "imported_valid_rows": sum(min(imported[e], valid[e]) for e in valid),
        "imported_share_percent": round(100 * sum(min(imported[e], valid[e]) for e in valid) / sum(valid.values()), 2),
        # The error reports are read back after each second import, outside the time.
        "first_seconds": round(sum(s[0] for s in seconds.values()), 2),
        "again_seconds": round(sum(s[1] for s in seconds.values()), 2),
        "seconds_per_file": seconds,
        "first": first,
        "again": again,
        "report_lines_with_a_reason": reports,
    }
