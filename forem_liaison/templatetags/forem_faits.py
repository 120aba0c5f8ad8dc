from django import template
from django.db.models import Count, Max

from forem_liaison import faits as facts
from forem_liaison.models import Adressage, RetourAdressage

register = template.Library()


@register.filter
def faits_lignes(faits) -> list[dict]:
    """The frozen facts of a feedback entry as French label/value pairs."""
    return facts.lines(faits or {})


@register.inclusion_tag("forem_liaison/_espace_retours.html", takes_context=True)
def retours_partages(context, user):
    """The worker's space: a link to what their public employment service reads about them, once a referral is
    linked to their file."""
    shown = RetourAdressage.objects.for_user(user).aggregate(count=Count("pk"), dernier=Max("publie_le"))
    shown["adressages"] = Adressage.objects.about_person(user).count()
    shown["spe"] = context.get("spe")
    return shown
