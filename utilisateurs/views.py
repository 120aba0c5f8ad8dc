from django.shortcuts import get_object_or_404, render

from ale_platform.access import client_required, require_agence, staff_required
from ale_platform.history import history_entries

from .models import Utilisateur


@staff_required
def utilisateur_list(request):
    agence = require_agence(request)
    utilisateurs = Utilisateur.objects.for_user(request.user).filter(agence=agence)
    return render(request, "utilisateurs/list.html", {"utilisateurs": utilisateurs})


@staff_required
def utilisateur_detail(request, pk):
    utilisateur = get_object_or_404(Utilisateur.objects.for_user(request.user).select_related("agence"), pk=pk)
    return render(
        request, "utilisateurs/detail.html", {"utilisateur": utilisateur, "history": history_entries(utilisateur)}
    )


@client_required
def espace(request):
    utilisateur = Utilisateur.objects.for_user(request.user).select_related("agence").first()
    return render(request, "utilisateurs/espace.html", {"utilisateur": utilisateur})
