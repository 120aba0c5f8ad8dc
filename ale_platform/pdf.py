"""Every PDF of the platform: a Django template rendered by WeasyPrint (A4, DejaVu Sans, agency letterhead)."""

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict, request=None) -> bytes:
    from weasyprint import HTML  # heavy import: only where a PDF is made

    html = render_to_string(template, context, request=request)
    base_url = finders.find("css") or "."
    return HTML(string=html, base_url=base_url).write_pdf()


def pdf_response(template: str, context: dict, filename: str, request=None) -> HttpResponse:
    response = HttpResponse(render_pdf(template, context, request), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    return response
