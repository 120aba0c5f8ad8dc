from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ale_platform.identifiers import format_niss, validate_niss
from ale_platform.models import Agence


class BureauForem(models.Model):
    """A Forem office (direction régionale or antenna) whose advisers refer job seekers."""

    nom = models.CharField(_("nom"), max_length=200, unique=True)
    commune = models.CharField(_("commune"), max_length=100)

    class Meta:
        verbose_name = _("bureau du Forem")
        verbose_name_plural = _("bureaux du Forem")
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class Conseiller(models.Model):
    """The Forem side of an adviser's account: their office. Advisers are not agency members."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conseiller")
    bureau = models.ForeignKey(BureauForem, on_delete=models.PROTECT, related_name="conseillers")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("conseiller·ère Forem")
        verbose_name_plural = _("conseillers Forem")

    def __str__(self):
        return f"{self.user} ({self.bureau})"


class AdressageQuerySet(models.QuerySet):
    def for_user(self, user):
        """Collaborators see referrals to their agencies; an adviser sees only their own."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.is_collaborateur:
            return self.filter(agence__memberships__user=user)
        if user.is_conseiller:
            return self.filter(conseiller__user=user)
        return self.none()


class Adressage(models.Model):
    """A Forem adviser's referral of a job seeker to an ALE."""

    class Etat(models.TextChoices):
        RECU = "recu", _("Reçu")
        CLOTURE = "cloture", _("Clôturé")

    conseiller = models.ForeignKey(Conseiller, on_delete=models.PROTECT, related_name="adressages")
    agence = models.ForeignKey(Agence, on_delete=models.PROTECT, related_name="adressages")
    nom = models.CharField(_("nom"), max_length=100)
    prenom = models.CharField(_("prénom"), max_length=100)
    niss = models.CharField(_("NISS"), max_length=11, validators=[validate_niss])
    date_adressage = models.DateField(_("date de l'adressage"), default=timezone.localdate)
    motif = models.TextField(_("motif et attentes"))
    etat = models.CharField(_("état"), max_length=20, choices=Etat.choices, default=Etat.RECU)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AdressageQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("adressage")
        verbose_name_plural = _("adressages")
        ordering = ["-date_adressage", "nom"]

    def __str__(self):
        return f"{self.prenom} {self.nom} ({self.date_adressage:%d/%m/%Y})"

    @property
    def niss_formate(self) -> str:
        return format_niss(self.niss)
