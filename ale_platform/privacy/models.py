from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ale_platform.models import Agence
from ale_platform.scoping import ScopedQuerySet

RETENTION_PAR_DEFAUT = 60


class TypePersonne(models.TextChoices):
    PRESTATAIRE = "prestataire", _("Prestataire")
    UTILISATEUR = "utilisateur", _("Utilisateur·rice")
    ADRESSAGE = "adressage", _("Personne adressée par le service de l'emploi")


class ParametresConfidentialite(models.Model):
    """How long an agency keeps a closed file before it is anonymised (to be confirmed by the ALE's DPO)."""

    agence = models.OneToOneField(
        Agence, on_delete=models.CASCADE, related_name="parametres_confidentialite", verbose_name=_("agence")
    )
    retention_mois = models.PositiveSmallIntegerField(
        _("durée de conservation (mois)"),
        default=RETENTION_PAR_DEFAUT,
        help_text=_("Après cette durée sans activité, un dossier clôturé est anonymisé."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("paramètres de confidentialité")
        verbose_name_plural = _("paramètres de confidentialité")
        constraints = [
            models.CheckConstraint(
                condition=Q(retention_mois__gte=12) & Q(retention_mois__lte=240),
                name="confidentialite_retention_bornee",
            )
        ]

    def __str__(self):
        return str(self.agence)

    @classmethod
    def retention_for(cls, agence) -> int:
        found = cls.objects.filter(agence=agence).values_list("retention_mois", flat=True).first()
        return found or RETENTION_PAR_DEFAUT


class ExportDonneesQuerySet(ScopedQuerySet):
    """The agency admins see their agencies' exports; the superuser sees all; nobody else."""

    def collaborator_rows(self, user):
        return self.filter(agence__in=Agence.objects.administered_by(user))


class ExportDonnees(models.Model):
    """One export of a person's data (append-only): who exported whose data, and when."""

    agence = models.ForeignKey(Agence, on_delete=models.PROTECT, related_name="exports_donnees")
    type_personne = models.CharField(_("type de personne"), max_length=12, choices=TypePersonne.choices)
    objet_id = models.PositiveBigIntegerField(_("identifiant du dossier"))
    personne = models.CharField(_("personne"), max_length=250)
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("exporté par")
    )
    at = models.DateTimeField(_("le"), auto_now_add=True)

    objects = ExportDonneesQuerySet.as_manager()

    class Meta:
        verbose_name = _("export de données personnelles")
        verbose_name_plural = _("exports de données personnelles")
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(condition=Q(type_personne__in=TypePersonne.values), name="export_type_valide")
        ]

    def __str__(self):
        return f"{self.personne} — {self.at:%d/%m/%Y %H:%M}"


class Anonymisation(models.Model):
    """A file that was anonymised: it is never processed twice, and the agency can account for it."""

    agence = models.ForeignKey(Agence, on_delete=models.PROTECT, related_name="anonymisations")
    type_personne = models.CharField(_("type de personne"), max_length=12, choices=TypePersonne.choices)
    objet_id = models.PositiveBigIntegerField(_("identifiant du dossier"))
    derniere_activite = models.DateField(_("dernière activité"))
    at = models.DateTimeField(_("anonymisé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("anonymisation")
        verbose_name_plural = _("anonymisations")
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(fields=["type_personne", "objet_id"], name="anonymisation_unique"),
            models.CheckConstraint(
                condition=Q(type_personne__in=TypePersonne.values), name="anonymisation_type_valide"
            ),
        ]

    def __str__(self):
        return f"{self.get_type_personne_display()} #{self.objet_id}"


class LectureDonneesQuerySet(ScopedQuerySet):
    """Like the exports: the agency admins see their agencies' reads; the superuser sees all; nobody else."""

    def collaborator_rows(self, user):
        return self.filter(agence__in=Agence.objects.administered_by(user))


class LectureDonnees(models.Model):
    """One read of personal data (append-only): a person's file, a list export, an API call, an admin page.

    Only ids and the path (never the query string, which may hold a searched name): the log itself holds no
    personal data of the person read, and survives their anonymisation.
    """

    class Vue(models.TextChoices):
        FICHE = "fiche", _("Fiche")
        EXPORT_LISTE = "export_liste", _("Export d'une liste")
        API = "api", _("API des services de l'emploi")
        ADMIN = "admin", _("Administration")

    agence = models.ForeignKey(Agence, on_delete=models.CASCADE, related_name="lectures_donnees")
    type_personne = models.CharField(_("type de personne"), max_length=12, choices=TypePersonne.choices)
    objet_id = models.PositiveBigIntegerField(_("identifiant du dossier"), null=True, blank=True)
    nombre = models.PositiveIntegerField(_("nombre de dossiers lus"), default=1)
    vue = models.CharField(_("depuis"), max_length=12, choices=Vue.choices)
    chemin = models.CharField(_("adresse"), max_length=300)
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lu par"),
    )
    # A reader without an account of its own (the Forem API's token: "jeton abcd1234 — bureau de Namur").
    lecteur = models.CharField(_("lecteur (sans compte)"), max_length=150, blank=True)
    at = models.DateTimeField(_("le"), auto_now_add=True, db_index=True)

    objects = LectureDonneesQuerySet.as_manager()

    class Meta:
        verbose_name = _("lecture de données personnelles")
        verbose_name_plural = _("lectures de données personnelles")
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(condition=Q(type_personne__in=TypePersonne.values), name="lecture_type_valide"),
            models.CheckConstraint(
                condition=Q(vue__in=["fiche", "export_liste", "api", "admin"]), name="lecture_vue_valide"
            ),
            models.CheckConstraint(condition=Q(par__isnull=False) | ~Q(lecteur=""), name="lecture_lecteur_connu"),
        ]

    def __str__(self):
        return f"{self.get_type_personne_display()} #{self.objet_id or '-'} — {self.at:%d/%m/%Y %H:%M}"
