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


class InscriptionQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(utilisateur__in=Utilisateur.objects.for_user(user))

    def valid_on(self, day):
        return self.filter(annee=day.year, validee=True)


class Inscription(models.Model):
    """A client's registration at the agency for one calendar year (with the agency's annual fee)."""

    utilisateur = models.ForeignKey(Utilisateur, on_delete=models.CASCADE, related_name="inscriptions")
    annee = models.PositiveSmallIntegerField(_("année"))
    cotisation = models.DecimalField(_("cotisation (€)"), max_digits=6, decimal_places=2, default=0)
    payee_le = models.DateField(_("payée le"), null=True, blank=True)
    validee = models.BooleanField(_("validée par l'agence"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InscriptionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inscription annuelle")
        verbose_name_plural = _("inscriptions annuelles")
        ordering = ["-annee"]
        constraints = [
            models.UniqueConstraint(fields=["utilisateur", "annee"], name="inscription_unique_par_annee"),
            models.CheckConstraint(condition=models.Q(cotisation__gte=0), name="inscription_cotisation_positive"),
        ]

    def __str__(self):
        return f"{self.utilisateur} — {self.annee}"


class AutorisationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(utilisateur__in=Utilisateur.objects.for_user(user))

    def valid_on(self, day):
        return self.filter(debut__lte=day, fin__gte=day)


class Autorisation(models.Model):
    """A client's permission for one activity type, with its validity and 10-digit voucher-order number.

    A legal person may hold two authorisations for the same activity (e.g. two sites): no uniqueness on
    (utilisateur, activite); the number itself is unique.
    """

    utilisateur = models.ForeignKey(Utilisateur, on_delete=models.CASCADE, related_name="autorisations")
    activite = models.ForeignKey("ale_platform.Activite", on_delete=models.PROTECT, related_name="autorisations")
    numero = models.CharField(_("numéro d'autorisation"), max_length=10, unique=True)
    debut = models.DateField(_("début"))
    fin = models.DateField(_("fin"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AutorisationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("autorisation")
        verbose_name_plural = _("autorisations")
        ordering = ["-fin"]
        constraints = [
            models.CheckConstraint(condition=models.Q(fin__gte=models.F("debut")), name="autorisation_fin_apres_debut"),
            models.CheckConstraint(
                condition=models.Q(numero__regex=r"^[0-9]{10}$"), name="autorisation_numero_10_chiffres"
            ),
        ]

    def __str__(self):
        return f"{self.numero} — {self.activite}"


class DemandeQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(utilisateur__in=Utilisateur.objects.for_user(user))


class StatutDemande(models.TextChoices):
    NOUVELLE = "nouvelle", _("Nouvelle")
    EN_RECHERCHE = "en_recherche", _("En recherche d'un·e prestataire")
    ATTRIBUEE = "attribuee", _("Attribuée")
    PLANIFIEE = "planifiee", _("Planifiée")
    TERMINEE = "terminee", _("Terminée")
    ANNULEE = "annulee", _("Annulée")


class Demande(models.Model):
    """A client's request for a service (one-off or recurring). Its planned sessions are `Prestation` rows."""

    Statut = StatutDemande

    agence = models.ForeignKey(Agence, on_delete=models.PROTECT, related_name="demandes")
    utilisateur = models.ForeignKey(Utilisateur, on_delete=models.PROTECT, related_name="demandes")
    activite = models.ForeignKey("ale_platform.Activite", on_delete=models.PROTECT, related_name="demandes")
    description = models.TextField(_("description"))
    statut = models.CharField(_("statut"), max_length=20, choices=StatutDemande.choices, default=StatutDemande.NOUVELLE)
    nombre_prestataires = models.PositiveSmallIntegerField(_("nombre de prestataires"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("créée par"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DemandeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("demande")
        verbose_name_plural = _("demandes")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(statut__in=StatutDemande.values), name="demande_statut_valide"),
            models.CheckConstraint(
                condition=models.Q(nombre_prestataires__gte=1), name="demande_au_moins_un_prestataire"
            ),
        ]

    def __str__(self):
        return f"{self.activite} — {self.utilisateur}"
