"""PDFs of the worker's file (weasyprint): the contrat de travail ALE and the preuve d'inscription."""

from django.http import HttpResponse
from django.utils import timezone

from ale_platform import pdf


def render_pdf(template: str, context: dict, language: str | None = None) -> bytes:
    return pdf.render_pdf(template, {**context, "today": timezone.localdate()}, language=language)


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
