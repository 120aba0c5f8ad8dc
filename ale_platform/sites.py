"""The `Site` of django.contrib.sites (read by allauth's e-mails) carries the platform's name and domain.

Without it, allauth names the site after the request's host ("Bonjour, c'est 127.0.0.1:8000 !"). The values
come from the settings (ALE_PLATFORM_NAME, ALE_SITE_URL) and are written after every `migrate` and test flush.
"""

from urllib.parse import urlsplit

from django.conf import settings


def platform_domain() -> str:
    return urlsplit(settings.SITE_URL).netloc or settings.SITE_URL


def sync_site(**kwargs) -> None:
    from django.contrib.sites.models import Site

    using = kwargs.get("using", "default")
    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"name": settings.ALE_PLATFORM_NAME, "domain": platform_domain()}
    )
    Site.objects.clear_cache()
