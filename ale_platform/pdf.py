"""Every PDF of the platform: a Django template rendered by WeasyPrint (A4, DejaVu Sans, agency letterhead)."""

import functools
import hashlib
import logging
import ssl
import threading

from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

# WeasyPrint logs every rendering step at INFO level: keep the application log readable.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    # Never used to connect (only data: URLs are allowed), but WeasyPrint's fetcher builds an HTTPS handler,
    # and a fresh default context costs ~30 ms of certificate loading on every PDF.
    return ssl.create_default_context()


def _url_fetcher():
    """Templates embed what they show: no network and no file access from a PDF (nor SSRF through user data)."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(ssl_context=_ssl_context(), allowed_protocols={"data"})


_fonts = threading.local()


def _font_config():
    """One Fontconfig configuration and Pango font map per thread, kept for every PDF it renders: WeasyPrint
    otherwise loads the system's font configuration and opens the fonts again for each PDF (≈ 15 ms of an ALE 4's
    ≈ 250). Per thread because Pango's font map is not thread-safe. The templates declare no @font-face, so
    the configuration holds the system fonts only and stays the same size (a @font-face would be added to it
    for good)."""
    from weasyprint.text.fonts import FontConfiguration

    config = getattr(_fonts, "config", None)
    if config is None:
        config = _fonts.config = FontConfiguration()
    return config


# The PDFs this process laid out, keyed on the SHA-256 of the HTML they were made from (decision 54). A PDF is a pure
# function of its HTML (no fetch but data: URLs, the system fonts): the same HTML gives the same document, any other
# HTML (another worker, agency, month, language, or the same after any change to what it shows) another key. So an
# entry can be served only for exactly the document it holds, and a write invalidates it by changing the HTML. In
# this process's memory (never the shared database cache: personal data), bounded and short-lived.
PDF_CACHE = LocMemCache("ale-platform-pdf", {"TIMEOUT": 600, "OPTIONS": {"MAX_ENTRIES": 200, "CULL_FREQUENCY": 4}})


def html_key(html: str) -> str:
    return hashlib.sha256(html.encode()).hexdigest()


def pdf_from_html(html: str) -> bytes:
    """WeasyPrint's PDF of `html`, laid out once per distinct HTML (PDF_CACHE)."""
    from weasyprint import HTML  # heavy import: only where a PDF is made

    key = html_key(html)
    content = PDF_CACHE.get(key)
    if content is None:
        content = HTML(string=html, url_fetcher=_url_fetcher()).write_pdf(font_config=_font_config())
        PDF_CACHE.set(key, content)
    return content


def render_pdf(template: str, context: dict, request=None, language: str | None = None) -> bytes:
    """`language`: the PDF's reader's (languages.recipient_language), whoever downloads it; else the current one."""
    with translation.override(language or translation.get_language()):
        html = render_to_string(template, context, request=request)
    return pdf_from_html(html)


def pdf_response(
    template: str, context: dict, filename: str, request=None, attachment: bool = False, language: str | None = None
) -> HttpResponse:
    response = HttpResponse(render_pdf(template, context, request, language), content_type="application/pdf")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}.pdf"'
    response["Cache-Control"] = "private, no-store"  # personal data: never kept by a shared cache
    return response
