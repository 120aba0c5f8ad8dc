"""PDFs of the prestations app (weasyprint): the monthly ALE 4 form and the statements per payment body."""

import io
import zipfile

from django.db.models import Q

from ale_platform.pdf import render_pdf
from prestataires.models import Prestataire
from prestataires.paiement import with_organisme_au

from . import frais, selectors


def formulaire_pdf(prestataire, year: int, month: int) -> bytes:
    form = selectors.formulaire(prestataire, year, month)
    frais_totaux = frais.annotate(form.lignes, prestataire.agence)
    return render_pdf(
        "prestations/pdf/ale4.html",
        {"form": form, "agence": prestataire.agence, "frais_totaux": frais_totaux},
        language=prestataire.langue,  # the worker carries and signs it: in their contact language
    )


def formulaire_filename(prestataire, year: int, month: int) -> str:
    return f"ALE4-{year}-{month:02d}-{prestataire.nom}-{prestataire.prenom}-{prestataire.pk}.pdf".replace(" ", "_")


def releve_pdf(agence, organisme: str, year: int, month: int, cpas: str = "") -> bytes:
    """The statement of one payment body for the month worked (`cpas`: which CPAS, each has its own)."""
    releve = selectors.releve(agence, organisme, year, month, cpas)
    debut, _fin = selectors.month_bounds(year, month)
    return render_pdf("prestations/pdf/releve.html", {"agence": agence, "releve": releve, "debut": debut})


def workers_of_month(agence, year: int, month: int):
    """Every active worker (blank-prefilled forms at the start of the month) and anyone with work that month."""
    debut, fin = selectors.month_bounds(year, month)
    workers = Prestataire.objects.filter(agence=agence)
    return (
        with_organisme_au(workers, fin)
        .filter(Q(statut=Prestataire.Statut.ACTIF) | Q(prestations__date__range=(debut, fin)))
        .select_related("agence")
        .distinct()
        .order_by("nom", "prenom")
    )


def zip_of_forms(prestataires, year: int, month: int, progress=None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, prestataire in enumerate(prestataires, start=1):
            archive.writestr(formulaire_filename(prestataire, year, month), formulaire_pdf(prestataire, year, month))
            if progress:
                progress(index)
    return buffer.getvalue()
