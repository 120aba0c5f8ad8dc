"""Prestations: dated stretches of work by a prestataire for an utilisateur. The register of hours.

Hours are only ever written through `prestations.services` (issue: recording hours), which enforces the
caps inside a transaction with row locks; this module holds the data and its database invariants.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ale_platform.models import Activite, Agence
from prestataires.models import Prestataire
from utilisateurs.models import Utilisateur


class PrestationQuerySet(models.QuerySet):
    def for_user(self, user):
        """Collaborators: their agencies; a worker: their own; a client: those done for them."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.is_collaborateur:
            return self.filter(agence__memberships__user=user)
        if user.is_prestataire:
            return self.filter(prestataire__compte=user)
        if user.is_client:
            return self.filter(utilisateur__compte=user)
        return self.none()

    def counting_hours(self):
        """Prestations whose hours count against the caps: planned, done or validated (not cancelled)."""
        return self.exclude(statut__in=[Prestation.Statut.ANNULEE, Prestation.Statut.ABSENCE])


class StatutPrestation(models.TextChoices):
    PLANIFIEE = "planifiee", _("Planifiée")
    EFFECTUEE = "effectuee", _("Effectuée (heures encodées)")
    VALIDEE = "validee", _("Validée")
    ANNULEE = "annulee", _("Annulée")
    ABSENCE = "absence", _("Absence (non présenté·e)")


class Prestation(models.Model):
    Statut = StatutPrestation

    agence = models.ForeignKey(Agence, on_delete=models.PROTECT, related_name="prestations")
    prestataire = models.ForeignKey(Prestataire, on_delete=models.PROTECT, related_name="prestations")
    utilisateur = models.ForeignKey(Utilisateur, on_delete=models.PROTECT, related_name="prestations")
    activite = models.ForeignKey(Activite, on_delete=models.PROTECT, related_name="prestations")
    demande = models.ForeignKey(
        "utilisateurs.Demande", on_delete=models.PROTECT, null=True, blank=True, related_name="prestations"
    )
    date = models.DateField(_("date"))
    debut = models.TimeField(_("début"))
    fin = models.TimeField(_("fin"))
    heures = models.DecimalField(_("heures"), max_digits=5, decimal_places=2, help_text=_("Par quarts d'heure (0,25)."))
    statut = models.CharField(
        _("statut"), max_length=10, choices=StatutPrestation.choices, default=StatutPrestation.PLANIFIEE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("encodé par"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PrestationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("prestation")
        verbose_name_plural = _("prestations")
        ordering = ["date", "debut"]
        indexes = [models.Index(fields=["prestataire", "date"], name="prestation_worker_date")]
        constraints = [
            models.CheckConstraint(condition=Q(fin__gt=models.F("debut")), name="prestation_fin_apres_debut"),
            models.CheckConstraint(condition=Q(heures__gt=0) & Q(heures__lte=24), name="prestation_heures_positives"),
            models.CheckConstraint(condition=Q(statut__in=StatutPrestation.values), name="prestation_statut_valide"),
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.debut:%H:%M}-{self.fin:%H:%M} {self.prestataire} → {self.utilisateur}"

    @property
    def is_agricole(self) -> bool:
        return self.activite.categorie == Activite.Categorie.AGRICOLE


QUARTER = Decimal("0.25")
