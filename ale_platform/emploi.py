"""The public employment services of the regions (`ServicePublicEmploi`) as seeded data (ale-rules.md): the Forem
(Wallonia, since 2016 for the ALEs), Actiris (Brussels, since 1.1.2018), the ADG (German-speaking Community, since
2018). Written by migration; a test flush empties the table, then the seed itself answers (as the law does)."""

from .models import Region, ServicePublicEmploi

SEED = [
    {
        "code": "forem",
        "region": Region.WALLONIE,
        "nom": "Le Forem (Office wallon de la formation professionnelle et de l'emploi)",
        "nom_court": "Forem",
        "site": "https://www.leforem.be",
    },
    {
        "code": "actiris",
        "region": Region.BRUXELLES,
        "nom": "Actiris (Office régional bruxellois de l'emploi)",
        "nom_court": "Actiris",
        "site": "https://www.actiris.brussels",
    },
    {
        "code": "adg",
        "region": Region.GERMANOPHONE,
        "nom": "Arbeitsamt der Deutschsprachigen Gemeinschaft (ADG)",
        "nom_court": "ADG",
        "site": "https://www.adg.be",
    },
]


def seed_services(model=ServicePublicEmploi) -> None:
    """Writes SEED (idempotent; migrations and the demo seeding)."""
    for row in SEED:
        values = dict(row)
        model.objects.get_or_create(code=values.pop("code"), defaults=values)


def service_of(region: str) -> ServicePublicEmploi:
    """The service of `region`: its row, else the seed's (unsaved) after a test flush."""
    found = ServicePublicEmploi.objects.filter(region=region).first()
    if found is not None:
        return found
    row = next(r for r in SEED if r["region"] == region)
    return ServicePublicEmploi(**row)


def ensure_service(region: str) -> ServicePublicEmploi:
    """The saved service of `region` (written from the seed if a test flush removed it)."""
    row = next(r for r in SEED if r["region"] == region)
    found, _created = ServicePublicEmploi.objects.get_or_create(
        region=region, defaults={k: v for k, v in row.items() if k != "region"}
    )
    return found
