from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ale_platform.models import Agence


class Entite(models.TextChoices):
    """What an imported file holds."""

    PRESTATAIRES = "prestataires", _("Prestataires (travailleurs ALE)")
    SITUATIONS = "situations", _("Bases d'éligibilité des prestataires")
    CONTRATS = "contrats", _("Contrats de travail ALE des prestataires")
    UTILISATEURS = "utilisateurs", _("Utilisateurs (clients)")
    INSCRIPTIONS = "inscriptions", _("Inscriptions annuelles des utilisateurs")
    AUTORISATIONS = "autorisations", _("Autorisations des utilisateurs")
    SITES = "sites", _("Sites des utilisateurs (lieux de travail)")
    CONTACTS = "contacts", _("Personnes de contact des utilisateurs")
    PRESTATIONS = "prestations", _("Prestations de l'année en cours (déjà effectuées)")
    CHEQUES = "cheques", _("Chèques ALE (registre, par exemple l'export du portail de l'émetteur)")


def agences_pour(user, entite: str | None = None):
    """The agencies where `user` may import `entite` (None: anything). Their administrators import everything (the
    superuser into every agency); their other collaborators the vouchers only, as they register them by hand."""
    if not user.is_authenticated or not (user.is_superuser or user.is_collaborateur):
        return Agence.objects.none()
    administered = Agence.objects.administered_by(user)
    if user.is_superuser or entite not in (None, Entite.CHEQUES):
        return administered
    return Agence.objects.filter(Q(pk__in=administered.values("pk")) | Q(memberships__user=user)).distinct()


class RepriseQuerySet(models.QuerySet):
    def for_user(self, user):
        """Imports of the agencies the user administers (the superuser: every agency); vouchers: of their agencies."""
        if not user.is_authenticated or not (user.is_superuser or user.is_collaborateur):
            return self.none()
        return self.filter(
            Q(agence__in=Agence.objects.administered_by(user))
            | Q(entite=Entite.CHEQUES, agence__in=agences_pour(user, Entite.CHEQUES))
        )


class Reprise(models.Model):
    """One uploaded file on its way in: column mapping, analysed rows (the preview), then the import itself."""

    class Statut(models.TextChoices):
        TELEVERSEE = "televersee", _("Colonnes à vérifier")
        ANALYSE = "analyse", _("Analyse en cours")
        A_CONFIRMER = "a_confirmer", _("À confirmer")
        IMPORT = "import", _("Import en cours")
        TERMINEE = "terminee", _("Terminée")
        ECHEC = "echec", _("Échec")

    agence = models.ForeignKey(Agence, on_delete=models.CASCADE, related_name="reprises", verbose_name=_("agence"))
    entite = models.CharField(_("contenu du fichier"), max_length=20, choices=Entite.choices)
    fichier = models.CharField(max_length=300)  # path in the private storage
    nom_fichier = models.CharField(_("fichier"), max_length=200)
    # {"<column index>": "<field name>"}: which file column feeds which field.
    correspondance = models.JSONField(default=dict, blank=True)
    statut = models.CharField(_("statut"), max_length=12, choices=Statut.choices, default=Statut.TELEVERSEE)
    total = models.PositiveIntegerField(default=0)
    faits = models.PositiveIntegerField(default=0)
    # The result of each row, as shown in the preview and written in the error report.
    lignes = models.JSONField(default=list, blank=True)
    compteurs = models.JSONField(default=dict, blank=True)
    # {"<field>": ["<word>", …]}: the words of coded columns nothing recognised, for the value step of the preview.
    valeurs_inconnues = models.JSONField(default=dict, blank=True)
    erreur = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("par")
    )
    created_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    confirmee_le = models.DateTimeField(_("confirmé le"), null=True, blank=True)
    terminee_le = models.DateTimeField(_("terminé le"), null=True, blank=True)
    # Retention (docs/privacy.md): the uploaded file and the rows' results are deleted some days after the end.
    purgee_le = models.DateTimeField(_("fichier supprimé le"), null=True, blank=True)

    objects = RepriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("reprise de données")
        verbose_name_plural = _("reprises de données")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(faits__lte=models.F("total")), name="reprise_progres"),
            models.CheckConstraint(condition=Q(entite__in=Entite.values), name="reprise_entite_valide"),
        ]

    def __str__(self):
        return f"{self.nom_fichier} ({self.get_entite_display()})"

    @property
    def pourcentage(self) -> int:
        return round(100 * self.faits / self.total) if self.total else 0

    @property
    def en_cours(self) -> bool:
        return self.statut in (self.Statut.ANALYSE, self.Statut.IMPORT)

    @property
    def change_reason(self) -> str:
        """Written in the history of every record the import creates or changes."""
        return f"Reprise de données n° {self.pk} : {self.nom_fichier}"


class CorrespondanceColonnes(models.Model):
    """The column mapping an agency last used for a kind of file, proposed again for its next file."""

    agence = models.ForeignKey(Agence, on_delete=models.CASCADE, related_name="+")
    entite = models.CharField(max_length=20, choices=Entite.choices)
    # {"<normalised header>": "<field name>"}
    colonnes = models.JSONField(default=dict)
    # {"<field name>": {"<normalised word of the agency>": "<platform value>"}}: the value step's answers, kept.
    valeurs = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agence", "entite"], name="correspondance_unique")]

    def __str__(self):
        return f"{self.agence} — {self.get_entite_display()}"
