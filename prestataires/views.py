from django.shortcuts import get_object_or_404, render

from ale_platform.access import prestataire_required, require_agence, staff_required
from ale_platform.history import history_entries

from .models import Prestataire


@staff_required
def prestataire_list(request):
    agence = require_agence(request)
    prestataires = Prestataire.objects.for_user(request.user).filter(agence=agence)
    statut = request.GET.get("statut")
    if statut in Prestataire.Statut.values:
        prestataires = prestataires.filter(statut=statut)
    return render(
        request,
        "prestataires/list.html",
        {"prestataires": prestataires, "statut": statut, "statuts": Prestataire.Statut.choices},
    )


@staff_required
def prestataire_detail(request, pk):
    prestataire = get_object_or_404(Prestataire.objects.for_user(request.user).select_related("agence"), pk=pk)
    return render(
        request, "prestataires/detail.html", {"prestataire": prestataire, "history": history_entries(prestataire)}
    )


@prestataire_required
def espace(request):
    prestataire = Prestataire.objects.for_user(request.user).select_related("agence").first()
    return render(request, "prestataires/espace.html", {"prestataire": prestataire})
