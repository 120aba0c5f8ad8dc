"""The address a record is located by, normalised so that the same place typed twice is looked up once."""

import re
import unicodedata


def normalise(*parts: str) -> str:
    """Lower case, no accents, single spaces, "rue, code commune, belgique"; empty when nothing useful was typed."""
    cleaned = []
    for part in parts:
        text = unicodedata.normalize("NFKD", part or "").encode("ascii", "ignore").decode().lower()
        text = re.sub(r"[^a-z0-9/]+", " ", text).strip()
        if text:
            cleaned.append(text)
    return ", ".join([*cleaned, "belgique"]) if cleaned else ""


def address_of(record) -> str:
    """The normalised address of a located record (it needs at least a postal code or a commune)."""
    if not (record.code_postal or record.commune):
        return ""
    return normalise(record.rue, f"{record.code_postal} {record.commune}")


def readable_address(record) -> str:
    """The address as a geocoding service reads it best: "street, postal code commune, Belgium"."""
    street = (record.rue or "").strip()
    place = f"{record.code_postal or ''} {record.commune or ''}".strip()
    return ", ".join(p for p in (street, place, "Belgique") if p)
