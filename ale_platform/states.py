"""One way to write a state machine.

Each machine declares its allowed moves next to its enum in `models.py` (`{state: {next states}}`), checks a
move with `check_transition()` inside the service that makes it, and logs it in a model derived from
`TransitionLog` (`de`, `vers`, `le`, `par`, `motif`). No status is written anywhere else.

The one move outside a map is an undo (`ale_platform/undo.py`, decision 55): back to the state the record's last
logged step came from, logged as a step of its own, and only while the undone step is still the last one.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TransitionLog(models.Model):
    """One step of a machine: from, to, when, by whom, why. Subclasses give `de`/`vers` their enum's choices."""

    de = models.CharField(_("de"), max_length=20, blank=True)
    vers = models.CharField(_("vers"), max_length=20)
    le = models.DateTimeField(_("le"), default=timezone.now)
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("par"),
    )
    motif = models.TextField(_("motif"), blank=True)

    class Meta:
        abstract = True
        ordering = ["le", "pk"]

    def __str__(self):
        return f"{self.de or '—'} → {self.vers}"


def next_states(transitions: dict, current) -> list:
    """The states `current` may move to, in the enum's order."""
    allowed = transitions.get(current, set())
    return [state for state in type(next(iter(transitions))) if state in allowed]


def check_transition(transitions: dict, current, target, message) -> None:
    """Raises `message` (a ValidationError's message or dict) when `current` may not move to `target`."""
    if target not in transitions.get(current, set()):
        raise ValidationError(message, code="transition")
