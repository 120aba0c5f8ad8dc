"""The data take-over measured: an ALE's file of workers and one of clients, analysed and imported in-process
(the background tasks' bodies), then imported a second time, which must change nothing."""

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


def files() -> dict[str, bytes]:
    start = datetime.date(1931, 1, 1)
    workers = _workbook(
        ["Nom", "Prénom", "NISS", "Rue", "Code postal", "Commune", "Téléphone", "Langue"],
        (
            [
                f"Reprise{i}",
                "Test",
                format_niss(build_niss(start + datetime.timedelta(days=i // 400), 1 + i % 400 * 2)),
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
    return {Entite.PRESTATAIRES: workers, Entite.UTILISATEURS: clients}


def _import(agence, user, entite, content) -> dict:
    reprise = services.deposit(agence=agence, entite=entite, name=f"{entite}.xlsx", content=content, acting_user=user)
    Reprise.objects.filter(pk=reprise.pk).update(statut=Reprise.Statut.A_CONFIRMER)
    try:
        return services.run_import(reprise.pk)
    finally:
        default_storage.delete(reprise.fichier)


def import_twice(agence, user) -> dict:
    """Seconds for the first import of both files and for the second one (counts of the second: all unchanged)."""
    contents = files()
    started = time.perf_counter()
    first = {entite: _import(agence, user, entite, content) for entite, content in contents.items()}
    middle = time.perf_counter()
    again = {entite: _import(agence, user, entite, content) for entite, content in contents.items()}
    return {
        "rows": sum(SIZES.values()),
        "first_seconds": round(middle - started, 2),
        "again_seconds": round(time.perf_counter() - middle, 2),
        "first": first,
        "again": again,
    }
