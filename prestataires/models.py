from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ale_platform.identifiers import format_niss, validate_niss, validate_postal_code
from ale_platform.models import Agence


class PrestataireQuerySet(models.QuerySet):
    def for_user(self, user):
        """Collaborators see their agencies' workers; a worker sees their own file; nobody else."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.is_collaborateur:
            return self.filter(agence__memberships__user=user)
        if user.is_prestataire:
            return self.filter(compte=user)
        return self.none()


class StatutPrestataire(models.TextChoices):
    INSCRIT = "inscrit", _("Inscrit·e")
    ACTIF = "actif", _("Actif·ve (contrat signé)")
    SUSPENDU = "suspendu", _("Suspendu·e")
    SORTI = "sorti", _("Sorti·e")


class OrganismePaiement(models.TextChoices):
    """Who pays the worker: the allowance payer (CAPAC or a union) or the CPAS for RIS beneficiaries."""

    CAPAC = "capac", _("CAPAC")
    FGTB = "fgtb", _("FGTB")
    CSC = "csc", _("CSC")
    CGSLB = "cgslb", _("CGSLB")
    CPAS = "cpas", _("CPAS (revenu d'intégration)")


class Prestataire(models.Model):
    """A person registered at the ALE who does the work (travailleur·se ALE)."""

    Statut = StatutPrestataire

    agence = models.ForeignKey(Agence, on_delete=models.PROTECT, related_name="prestataires")
    compte = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="prestataire",
        verbose_name=_("compte"),
    )
    nom = models.CharField(_("nom"), max_length=100)
    prenom = models.CharField(_("prénom"), max_length=100)
    niss = models.CharField(_("NISS"), max_length=11, validators=[validate_niss])
    rue = models.CharField(_("rue et numéro"), max_length=200, blank=True)
    code_postal = models.CharField(_("code postal"), max_length=4, blank=True, validators=[validate_postal_code])
    commune = models.CharField(_("commune"), max_length=100, blank=True)
    telephone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    statut = models.CharField(_("statut"), max_length=10, choices=Statut.choices, default=Statut.INSCRIT)
    organisme_paiement = models.CharField(
        _("organisme de paiement"), max_length=10, choices=OrganismePaiement.choices, blank=True
    )
    cpas = models.CharField(_("CPAS"), max_length=100, blank=True, help_text=_("Pour les bénéficiaires du RIS."))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PrestataireQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("prestataire")
        verbose_name_plural = _("prestataires")
        ordering = ["nom", "prenom"]
        constraints = [
            models.UniqueConstraint(fields=["agence", "niss"], name="prestataire_niss_unique_par_agence"),
            models.CheckConstraint(
                condition=models.Q(statut__in=StatutPrestataire.values), name="prestataire_statut_valide"
            ),
        ]

    def __str__(self):
        return f"{self.prenom} {self.nom}"

    @property
    def niss_formate(self) -> str:
        return format_niss(self.niss)
