"""Every save of a located record (form, admin, import, API) queues its new address for geocoding."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Localisation
from .services import queue_if_moved


@receiver(post_save, dispatch_uid="geo_queue_if_moved")
def address_saved(sender, instance, raw=False, **kwargs):
    if raw or not isinstance(instance, Localisation):
        return
    queue_if_moved(instance)
