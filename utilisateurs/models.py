from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ale_platform.identifiers import validate_postal_code
from ale_platform.models import Agence, TypeUtilisateur


class UtilisateurQuerySet(models.QuerySet):
    def for_user(self, user):
        """Collaborators see their agencies' clients; a client sees their own file; nobody else."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.is_collaborateur:
            return self.filter(agence__memberships__user=user)
        if user.is_client:
            return self.filter(compte=user)
        return self.none()


class Utilisateur(models.Model):
    """A client of the ALE: an individual, a commune, an ASBL, a school or a farm."""

    Type = TypeUtilisateur

    agence = models.ForeignKey(Agence, on_delete=models.PROTECT, related_name="utilisateurs")
    compte = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="utilisateur",
        verbose_name=_("compte"),
    )
    type = models.CharField(_("type"), max_length=20, choices=TypeUtilisateur.choices)
    nom = models.CharField(_("nom ou dénomination"), max_length=200)
    prenom = models.CharField(_("prénom"), max_length=100, blank=True)
    rue = models.CharField(_("rue et numéro"), max_length=200, blank=True)
    code_postal = models.CharField(_("code postal"), max_length=4, blank=True, validators=[validate_postal_code])
    commune = models.CharField(_("commune"), max_length=100, blank=True)
    telephone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UtilisateurQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("utilisateur·rice")
        verbose_name_plural = _("utilisateurs")
        ordering = ["nom", "prenom"]
        constraints = [
            models.CheckConstraint(condition=models.Q(type__in=TypeUtilisateur.values), name="utilisateur_type_valide"),
        ]

    def __str__(self):
        return f"{self.prenom} {self.nom}".strip()
