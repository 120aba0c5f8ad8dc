"""Destructive actions ask first, the same way everywhere, with or without JavaScript.

A view calls `ask_first` before acting: the first POST (from the button on the page) answers with a page that
says what will happen and posts the same fields again, with `confirme=1`; only that second POST acts.
"""

from django.shortcuts import render

CONFIRMED = "confirme"
_NOT_REPOSTED = {"csrfmiddlewaretoken", CONFIRMED}


def confirmed(request) -> bool:
    return request.POST.get(CONFIRMED) == "1"


def ask_first(request, *, question: str, consequences: list[str], confirm_label: str, back_url: str, keep_label: str):
    """None when the POST is the confirmed one; otherwise the page that asks (nothing has been changed)."""
    if confirmed(request):
        return None
    fields = [(name, value) for name, values in request.POST.lists() if name not in _NOT_REPOSTED for value in values]
    context = {
        "question": question,
        "consequences": consequences,
        "confirm_label": confirm_label,
        "keep_label": keep_label,
        "back_url": back_url,
        "fields": fields,
        "action": request.get_full_path(),
    }
    return render(request, "ale_platform/confirm.html", context)
