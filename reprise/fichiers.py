"""Files the wizard hands out: the error report, an empty template per kind of file, and sample files."""

import datetime

import tablib
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from ale_platform.exports import table_bytes, workbook_bytes
from ale_platform.identifiers import build_bce, build_belgian_iban, build_niss, format_bce, format_niss
from ale_platform.models import Activite, TypeUtilisateur
from prestations.services import belgian_holiday

from .importeurs import IMPORTEURS, Resultat
from .models import Entite

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
REPORT_LINE = _l("Ligne du fichier")


def _sheet(dataset) -> tuple:
    return (dataset.title or _("Données"), list(dataset.headers), [list(row) for row in dataset])


def error_report(reprise, table) -> tuple[bytes, str, str]:
    """The uploaded file as read, with the file's own line number first and each row's result, reasons and notes
    (an address split, a status that names no basis…) in three added columns; a reason names the office's header.
    Corrected and deposited again, it imports the fixed rows (the others are unchanged)."""
    results = {ligne["numero"]: ligne for ligne in reprise.lignes}
    importer = IMPORTEURS[reprise.entite]
    header_of = {
        str(importer.champ(name).label): table.headers[int(index)]
        for index, name in reprise.correspondance.items()
        if name and int(index) < len(table.headers)
    }
    rows = []
    for numero, row in zip(table.lines, table, strict=True):
        ligne = results.get(numero, {})
        statut = ligne.get("statut", "")
        reasons = "; ".join(f"{header_of.get(col, col)} : {msg}" for col, msg in ligne.get("erreurs", {}).items())
        notes = "; ".join(ligne.get("notes", []))
        rows.append([numero, *row, str(Resultat.LABELS.get(statut, "")), reasons, notes])
    # Every cell, headers included, typed by anyone: neutralised by the one writer (read back as typed, see lecture).
    fmt = table.source_format
    headers = [REPORT_LINE, *table.headers, _("Résultat"), _("Erreurs"), _("Remarques")]
    content = table_bytes(headers, rows, fmt, title=_("Rapport"))
    stem = reprise.nom_fichier.rsplit(".", 1)[0]
    return content, f"{stem}-rapport.{fmt}", XLSX if fmt == "xlsx" else CSV


def template(entite: str, agence=None) -> bytes:
    """An XLSX with the expected columns and one example row, and a second sheet of allowed values."""
    champs = IMPORTEURS[entite].champs
    data = tablib.Dataset(headers=[str(c.label) for c in champs], title=_("Données"))
    data.append([str(c.example) for c in champs])
    help_sheet = tablib.Dataset(
        headers=[_("Colonne"), _("Obligatoire"), _("Valeurs permises"), _("Exemple")], title=_("Valeurs permises")
    )
    for c in champs:
        help_sheet.append([str(c.label), _("oui") if c.required else _("non"), str(c.allowed), str(c.example)])
    if agence is not None and any(c.name.startswith("activite") for c in champs):
        for activite in Activite.objects.filter(agence=agence, active=True):
            help_sheet.append([_("Activité de l'agence"), "", activite.nom, ""])
    return workbook_bytes([_sheet(data), _sheet(help_sheet)])


def _activities(agence, type_=TypeUtilisateur.PARTICULIER) -> list[str]:
    names = [a.nom for a in Activite.objects.filter(agence=agence, active=True) if a.allows(type_)]
    return names or [_("Jardinage")]


def sample(entite: str, agence) -> bytes:
    """A realistic file for trying the wizard, in the agency's words, with a few rows that will be refused."""
    year = timezone.localdate().year
    people = [
        ("Lejeune", "Sophie", build_niss(datetime.date(1971, 3, 14), 502), "Rue du Moulin 4", "5030", "Gembloux"),
        ("Peeters", "Jan", build_niss(datetime.date(1968, 11, 2), 503), "Chaussée de Namur 81", "5030", "Gembloux"),
        ("Mertens", "Aïcha", build_niss(datetime.date(1990, 6, 21), 504), "Rue Haute 7", "5031", "Grand-Leez"),
        ("Dubois", "Luc", build_niss(datetime.date(1959, 1, 9), 505), "Place Saint-Guibert 2", "5030", "Gembloux"),
    ]
    commune_bce = build_bce(2_716_450)
    activities = _activities(agence)
    if entite == Entite.PRESTATAIRES:
        data = tablib.Dataset(
            headers=["Nom", "Prénom", "N° NISS", "Adresse", "CP", "Localité", "GSM", "IBAN", "Activités"]
        )
        for i, (nom, prenom, niss, rue, cp, commune) in enumerate(people):
            iban = build_belgian_iban(310, 1_234_500 + i)
            data.append([nom, prenom, format_niss(niss), rue, cp, commune, f"0470 12 34 0{i}", iban, activities[0]])
        data.append(["Renard", "Paul", "85.07.30-033.99", "Rue Neuve 1", "5030", "Gembloux", "", "", activities[0]])
        data.append(
            [
                "Collin",
                "Anne",
                format_niss(build_niss(datetime.date(1980, 5, 5), 506)),
                "Rue Neuve 3",
                "5030",
                "Gembloux",
                "",
                "",
                "Cueillette de champignons",
            ]
        )
        data.append(["Lejeune", "Sophie", format_niss(people[0][2]), "Rue du Moulin 4", "5030", "Gembloux", "", "", ""])
    elif entite == Entite.UTILISATEURS:
        data = tablib.Dataset(
            headers=[
                "Type",
                "Naam",
                "Voornaam",
                "INSZ",
                "Ondernemingsnummer",
                "Straat",
                "Postcode",
                "Gemeente",
                "Telefoon",
            ]
        )
        for nom, prenom, _niss, rue, cp, commune in people[:3]:
            client_niss = build_niss(datetime.date(1950, 2, 1) + datetime.timedelta(days=len(nom)), 610 + len(prenom))
            data.append(
                ["particulier", f"{nom}-Client", prenom, format_niss(client_niss), "", rue, cp, commune, "081 61 00 00"]
            )
        data.append(
            [
                "commune",
                "Administration communale de Gembloux",
                "",
                "",
                format_bce(commune_bce),
                "Parc d'Épinoy 1",
                "5030",
                "Gembloux",
                "081 62 63 00",
            ]
        )
        data.append(
            [
                "particulier",
                "Masson",
                "Julie",
                format_niss(build_niss(datetime.date(1975, 8, 8), 612)),
                "",
                "Rue Verte 9",
                "123",
                "Gembloux",
                "",
            ]
        )
    elif entite == Entite.INSCRIPTIONS:
        data = tablib.Dataset(headers=["NISS ou BCE", "Année", "Cotisation", "Payée le", "Validée"])
        for ident in _sample_clients():
            paid = min(datetime.date(year, 1, 15), timezone.localdate())  # never in the future
            data.append([ident, year, "7,44", f"{paid:%d/%m/%Y}", "oui"])
        data.append([format_niss(build_niss(datetime.date(1940, 1, 1), 1)), year, "7,44", "", "oui"])
    elif entite == Entite.SITES:
        data = tablib.Dataset(headers=["BCE du client", "Nom du site", "Adresse", "Code postal", "Localité"])
        data.append([format_bce(commune_bce), "Hôtel de ville", "Parc d'Épinoy 1", "5030", "Gembloux"])
        data.append([format_bce(commune_bce), "Cimetière de Sauvenière", "Rue du Cimetière 2", "5030", "Sauvenière"])
        data.append([format_bce(commune_bce), "Salle des fêtes", "Rue de la Fête 3", "", "Grand-Leez"])
    elif entite == Entite.CONTACTS:
        data = tablib.Dataset(headers=["BCE du client", "Nom", "Prénom", "Fonction", "Téléphone", "E-mail"])
        data.append([format_bce(commune_bce), "Martin", "Claire", "Échevine", "081 62 63 01", ""])
        data.append([format_bce(commune_bce), "Hubert", "Marc", "Service travaux", "", "travaux@example.be"])
        data.append([format_bce(commune_bce), "Sans", "Coordonnées", "Accueil", "", ""])
    elif entite == Entite.PRESTATIONS:
        data = _sample_prestations(people, activities[0])
    elif entite == Entite.SITUATIONS:
        data = _sample_situations(people, year)
    elif entite == Entite.CONTRATS:
        data = _sample_contrats(people, year)
    elif entite == Entite.CHEQUES:
        data = _sample_cheques(year)
    else:
        data = tablib.Dataset(headers=["Client", "Activité", "N° autorisation", "Du", "Au"])
        for i, ident in enumerate(_sample_clients()[:3]):
            data.append([ident, activities[0], f"90{year % 100:02d}{i:06d}", f"01/01/{year}", f"31/12/{year}"])
        data.append(
            [_sample_clients()[0], activities[0], f"91{year % 100:02d}000001", f"31/12/{year}", f"01/01/{year}"]
        )
    data.title = _("Données")
    return workbook_bytes([_sheet(data)])


def _sample_situations(people, year: int) -> tablib.Dataset:
    """The sample workers' bases: one each (RIS, unemployment at 45+, the 2026 Forem route), and two refused."""
    data = tablib.Dataset(
        headers=["INSZ", "Base", "Depuis le", "Jusqu'au", "Mois d'allocations sur 36", "Preuve", "Date de la preuve"]
    )
    niss = [format_niss(n) for _nom, _prenom, n, *_rest in people]
    data.append([niss[0], "ris", "01/03/2019", "", "", "Attestation du CPAS", "15/03/2019"])
    data.append([niss[1], "chomage_45_plus", "01/01/2023", "", "", "Attestation CAPAC", "20/01/2023"])
    proof = min(datetime.date(year, 1, 5), sample_contract_dates()[1])  # before the contract's signature
    data.append([niss[2], "forem_12_mois", f"01/09/{year - 2}", "", "", "Attestation du Forem", f"{proof:%d/%m/%Y}"])
    data.append([niss[3], "chomage_24_36", "01/06/2022", "", "", "Attestation CAPAC", "10/06/2022"])
    data.append([niss[3], "ris", "01/06/2022", "01/01/2022", "", "Attestation du CPAS", "10/06/2022"])
    return data


def _sample_contrats(people, year: int) -> tablib.Dataset:
    """Their contracts, signed in January (which makes them actif); the fourth has no valid basis: refused."""
    data = tablib.Dataset(headers=["NISS", "Début", "Signé le", "Fin"])
    debut, signe = sample_contract_dates()
    for _nom, _prenom, niss, *_rest in people:
        data.append([format_niss(niss), f"{debut:%d/%m/%Y}", f"{signe:%d/%m/%Y}", ""])
    data.append([format_niss(people[0][2]), f"01/12/{year + 1}", f"01/12/{year + 1}", ""])
    return data


def _sample_cheques(year: int) -> tablib.Dataset:
    """Paper vouchers on the sample clients' authorisations (all or nothing: fix the refused rows to import)."""
    data = tablib.Dataset(headers=["N° chèque", "N° autorisation", "Nominatif", "Valeur", "État", "Prestation"])
    for i in range(3):
        data.append([f"77{year % 100:02d}{i + 1:06d}", f"90{year % 100:02d}{i:06d}", "oui", "", "remis", ""])
    data.append([f"77{year % 100:02d}99", f"90{year % 100:02d}{0:06d}", "oui", "", "", ""])
    data.append([f"77{year % 100:02d}{9:06d}", "9999999999", "oui", "4,00", "", ""])
    return data


def worked_days(count: int, before: datetime.date | None = None) -> list[datetime.date]:
    """The last `count` working days of the current year before `before` (today), oldest first."""
    today = before or timezone.localdate()
    days, day = [], today - datetime.timedelta(days=1)
    while len(days) < count and day.year == today.year:
        if day.weekday() < 5 and not belgian_holiday(day):
            days.append(day)
        day -= datetime.timedelta(days=1)
    return days[::-1]


def sample_days(count: int = 3, today: datetime.date | None = None) -> list[datetime.date]:
    """The sample prestations' days: this year's last working days before today; in the first days of January,
    when the year has fewer, its weekend days too (never a public holiday nor today, whose hours may not be over:
    on the 1st and 2nd of January the year may have no day behind it yet, and the sample's rows are all refused,
    each with its reason)."""
    today = today or timezone.localdate()
    days = worked_days(count, today)
    day = today - datetime.timedelta(days=1)
    while len(days) < count and day.year == today.year:
        if day not in days and not belgian_holiday(day):
            days.append(day)
        day -= datetime.timedelta(days=1)
    return sorted(days)


def sample_contract_dates(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """(start, signature) of the sample contracts: early February as usual, but never after the first sample
    prestation (the worker must be under contract on its day) nor in the future."""
    today = today or timezone.localdate()
    days = sample_days(today=today)
    debut = min(datetime.date(today.year, 2, 2), days[0] if days else today)
    return debut, min(datetime.date(today.year, 1, 26), debut - datetime.timedelta(days=7))


SAMPLE_TIMES = [("08:30", "11:30"), ("08:30", "11:30"), ("13:00", "16:00")]  # two rows a day never overlap


def _sample_prestations(people, activite: str) -> tablib.Dataset:
    data = tablib.Dataset(headers=["INSZ werknemer", "Klant", "Activité", "Datum", "Van", "Tot", "Uren", "Chèques"])
    workers = [format_niss(niss) for _nom, _prenom, niss, *_rest in people]
    clients = _sample_clients()
    days = sample_days(3)
    for i, day in enumerate(days):
        start, end = SAMPLE_TIMES[i]
        data.append([workers[i % 2], clients[i % 3], activite, day.strftime("%d/%m/%Y"), start, end, "3", "3"])
    last_year = datetime.date(timezone.localdate().year - 1, 12, 15)
    data.append([workers[0], clients[0], activite, last_year.strftime("%d/%m/%Y"), "08:30", "11:30", "3", "3"])
    if days:
        data.append([workers[1], clients[1], activite, days[0].strftime("%d/%m/%Y"), "13:00", "", "2,5", "2"])
    return data


def _sample_clients() -> list[str]:
    """The NISS of the sample clients file's individuals (inscriptions and authorisations refer to them)."""
    return [
        format_niss(build_niss(datetime.date(1950, 2, 1) + datetime.timedelta(days=len(nom)), 610 + len(prenom)))
        for nom, prenom in (("Lejeune", "Sophie"), ("Peeters", "Jan"), ("Mertens", "Aïcha"))
    ]
