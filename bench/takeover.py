"""The data take-over measured: an ALE's file of workers, one of their eligibility bases (one each) and one of
clients, analysed and imported in-process (the background tasks' bodies), then imported a second time, which must
change nothing."""

import datetime
import time

import tablib
from django.core.files.storage import default_storage

from ale_platform.identifiers import build_niss, format_niss
from reprise import services
from reprise.models import Entite, Reprise

# Rows of each file at full size; the smoke test lowers them.
SIZES = {"workers": 2000, "clients": 5000}


def _workbook(headers, rows) -> bytes:
    data = tablib.Dataset(headers=headers)
    for row in rows:
        data.append(row)
    return data.export("xlsx")


def _worker_niss(i: int) -> str:
    return format_niss(build_niss(datetime.date(1931, 1, 1) + datetime.timedelta(days=i // 400), 1 + i % 400 * 2))


def files() -> dict[str, bytes]:
    start = datetime.date(1931, 1, 1)
    workers = _workbook(
        ["Nom", "Prénom", "NISS", "Rue", "Code postal", "Commune", "Téléphone", "Langue"],
        (
            [
                f"Reprise{i}",
                "Test",
                _worker_niss(i),
                f"Rue de la Reprise {i}",
                "5030",
                "Gembloux",
                "081 00 00 00",
                "fr",
            ]
            for i in range(SIZES["workers"])
        ),
    )
    clients = _workbook(
        ["Type", "Nom", "Prénom", "NISS", "Rue", "Code postal", "Commune"],
        (
            [
                "particulier",
                f"Client{i}",
                "Test",
                format_niss(build_niss(start + datetime.timedelta(days=3000 + i // 400), 1 + i % 400 * 2)),
                f"Rue du Client {i}",
                "5030",
                "Gembloux",
            ]
            for i in range(SIZES["clients"])
        ),
    )
    bases = _workbook(
        ["NISS", "Base", "Depuis le", "Preuve", "Date de la preuve"],
        (
            [_worker_niss(i), "ris", "01/03/2015", "Attestation du CPAS", "15/03/2015"]
            if i % 2
            else [_worker_niss(i), "chomage_45_plus", "01/01/2020", "Attestation CAPAC", "20/01/2020"]
            for i in range(SIZES["workers"])
        ),
    )
    # In the order an ALE imports them: the bases name workers of the first file.
    return {Entite.PRESTATAIRES: workers, Entite.SITUATIONS: bases, Entite.UTILISATEURS: clients}


def _import(agence, user, entite, content) -> dict:
    reprise = services.deposit(agence=agence, entite=entite, name=f"{entite}.xlsx", content=content, acting_user=user)
    Reprise.objects.filter(pk=reprise.pk).update(statut=Reprise.Statut.A_CONFIRMER)
    try:
        return services.run_import(reprise.pk)
    finally:
        default_storage.delete(reprise.fichier)


def import_twice(agence, user) -> dict:
    """Seconds for the first import of the files and for the second one (counts of the second: all unchanged)."""
    contents = files()
    started = time.perf_counter()
    first = {entite: _import(agence, user, entite, content) for entite, content in contents.items()}
    middle = time.perf_counter()
    again = {entite: _import(agence, user, entite, content) for entite, content in contents.items()}
    return {
        "rows": 2 * SIZES["workers"] + SIZES["clients"],
        "first_seconds": round(middle - started, 2),
        "again_seconds": round(time.perf_counter() - middle, 2),
        "first": first,
        "again": again,
    }
