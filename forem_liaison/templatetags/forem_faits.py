from django import template
from django.db.models import Count, Max

from forem_liaison import faits as facts
from forem_liaison.models import RetourAdressage

register = template.Library()


@register.filter
def faits_lignes(faits) -> list[dict]:
    """The frozen facts of a feedback entry as French label/value pairs."""
    return facts.lines(faits or {})


@register.inclusion_tag("forem_liaison/_espace_retours.html")
def retours_partages(user):
    """The worker's space: how many feedback entries about them went to the Forem, and a link to read them."""
    return RetourAdressage.objects.for_user(user).aggregate(count=Count("pk"), dernier=Max("publie_le"))
