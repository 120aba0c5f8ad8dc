"""PDFs of the worker's file (weasyprint): the contrat de travail ALE and the preuve d'inscription."""

import logging

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

# WeasyPrint logs each rendering step at INFO (even at import): keep the console for what matters.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import HTML  # noqa: E402


def render_pdf(template: str, context: dict) -> bytes:
    html = render_to_string(template, {**context, "today": timezone.localdate()})
    return HTML(string=html).write_pdf()


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
