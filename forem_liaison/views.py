from django.shortcuts import get_object_or_404, render

from ale_platform.access import STAFF, conseiller_required, require_agence, role_required, staff_required
from ale_platform.history import history_entries
from ale_platform.models import Role

from .models import Adressage


@conseiller_required
def conseiller_home(request):
    adressages = Adressage.objects.for_user(request.user).select_related("agence")
    return render(request, "forem_liaison/conseiller_home.html", {"adressages": adressages})


@staff_required
def staff_list(request):
    agence = require_agence(request)
    adressages = (
        Adressage.objects.for_user(request.user)
        .filter(agence=agence)
        .select_related("conseiller__user", "conseiller__bureau")
    )
    return render(request, "forem_liaison/staff_list.html", {"adressages": adressages})


@role_required(STAFF, Role.CONSEILLER)
def adressage_detail(request, pk):
    user = request.user
    adressage = get_object_or_404(
        Adressage.objects.for_user(user).select_related("agence", "conseiller__user", "conseiller__bureau"), pk=pk
    )
    history = history_entries(adressage) if not user.is_conseiller else None
    return render(request, "forem_liaison/detail.html", {"adressage": adressage, "history": history})
