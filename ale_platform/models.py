"""The platform's core: user accounts with one role, agencies (ALE), their members and activity catalogue."""

from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .geo.models import AdresseConnue, Localisation, localisation_constraints
from .identifiers import validate_bce, validate_postal_code
from .scoping import ScopedQuerySet

__all__ = ["AdresseConnue"]  # registered with the app from here


class Role(models.TextChoices):
    COLLABORATEUR = "collaborateur", _("Collaborateur·rice ALE")
    CONSEILLER = "conseiller", _("Conseiller·ère (service de l'emploi)")
    CLIENT = "client", _("Utilisateur·rice (client)")
    PRESTATAIRE = "prestataire", _("Prestataire")


class TypeUtilisateur(models.TextChoices):
    """The five kinds of ALE clients (Utilisateur.Type)."""

    PARTICULIER = "particulier", _("Particulier")
    AUTORITE_LOCALE = "autorite_locale", _("Autorité locale")
    ASBL = "asbl", _("ASBL / association non commerciale")
    ENSEIGNEMENT = "enseignement", _("Établissement d'enseignement")
    AGRICOLE = "agricole", _("Entreprise agricole ou horticole")


class Langue(models.TextChoices):
    """The platform's languages (settings.LANGUAGES): an account's, a worker's contact language."""

    FR = "fr", _("Français")
    NL = "nl", _("Néerlandais")
    DE = "de", _("Allemand")


class Region(models.TextChoices):
    """The region whose law (caps, allowance, voucher price) applies to an agency: `prestations.rulebook`."""

    WALLONIE = "wallonie", _("Wallonie")
    BRUXELLES = "bruxelles", _("Bruxelles-Capitale")
    GERMANOPHONE = "germanophone", _("Communauté germanophone")


class ServicePublicEmploi(models.Model):
    """The public employment service of a region: it refers job seekers to the agencies and reads their feedback
    (the Forem in Wallonia, Actiris in Brussels, the ADG in the German-speaking Community; ale-rules.md). Its offices,
    advisers and API tokens are `forem_liaison`'s; screens and e-mails name it through `Agence.service_emploi`."""

    code = models.SlugField(_("code"), max_length=12, unique=True)
    region = models.CharField(_("région"), max_length=12, choices=Region.choices, unique=True)
    nom = models.CharField(_("nom officiel"), max_length=200)
    nom_court = models.CharField(_("nom court"), max_length=40, help_text=_("Le nom que les écrans et e-mails citent."))
    site = models.URLField(_("site"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service public de l'emploi")
        verbose_name_plural = _("services publics de l'emploi")
        ordering = ["region"]
        constraints = [models.CheckConstraint(condition=models.Q(region__in=Region.values), name="spe_region_valide")]

    def __str__(self):
        return self.nom_court


class UserManager(DjangoUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """An account, logged in by e-mail. Its role decides the navigation and every queryset."""

    username = None
    email = models.EmailField(_("adresse e-mail"), unique=True)
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices, blank=True)
    # The language of the pages after log-in and of everything sent to the person (e-mails, PDFs).
    langue = models.CharField(_("langue"), max_length=2, choices=Langue.choices, default=Langue.FR)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("compte")
        verbose_name_plural = _("comptes")
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(condition=models.Q(role__in=[*Role.values, ""]), name="user_role_valid"),
            models.CheckConstraint(condition=models.Q(langue__in=Langue.values), name="user_langue_valid"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def is_collaborateur(self) -> bool:
        return self.role == Role.COLLABORATEUR

    @property
    def is_conseiller(self) -> bool:
        return self.role == Role.CONSEILLER

    @property
    def is_client(self) -> bool:
        return self.role == Role.CLIENT

    @property
    def is_prestataire(self) -> bool:
        return self.role == Role.PRESTATAIRE

    @property
    def must_use_mfa(self) -> bool:
        return self.is_superuser or self.role in (Role.COLLABORATEUR, Role.CONSEILLER)


class AgenceQuerySet(ScopedQuerySet):
    agence_path = "pk"

    def collaborator_rows(self, user):
        return self.filter(memberships__user=user)

    def administered_by(self, user):
        if user.is_superuser:
            return self
        return self.filter(memberships__user=user, memberships__is_admin=True)


class Agence(Localisation):
    """An Agence Locale pour l'Emploi (ASBL). One deployment may host several."""

    nom = models.CharField(_("nom"), max_length=200)
    bce = models.CharField(_("numéro d'entreprise (BCE)"), max_length=10, unique=True, validators=[validate_bce])
    rue = models.CharField(_("rue et numéro"), max_length=200)
    code_postal = models.CharField(_("code postal"), max_length=4, validators=[validate_postal_code])
    commune = models.CharField(_("commune"), max_length=100)
    communes_desservies = models.JSONField(_("communes desservies"), default=list, blank=True)
    email = models.EmailField(_("e-mail"))
    telephone = models.CharField(_("téléphone"), max_length=30)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    region = models.CharField(_("région"), max_length=12, choices=Region.choices, default=Region.WALLONIE)

    prix_cheque = models.DecimalField(
        _("prix du chèque ALE (€)"), max_digits=6, decimal_places=2, default=Decimal("5.95")
    )
    # Agricultural/horticultural work (Activite.Categorie.AGRICOLE) may have its own price, never below the law's
    # minimum for that work (theux.be: 6,20 €; `prestations.rulebook`).
    prix_cheque_agricole = models.DecimalField(
        _("prix du chèque ALE en agriculture et horticulture (€)"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("6.20"),
    )
    cotisation_annuelle = models.DecimalField(
        _("cotisation annuelle des utilisateurs (€)"), max_digits=6, decimal_places=2, default=Decimal("7.44")
    )
    # The agency's own planning caps: never above the law's (`prestations.rulebook` takes the lower of the two and
    # the settings form refuses a higher value), so they may only make the agency stricter.
    plafond_mensuel = models.PositiveSmallIntegerField(_("plafond mensuel général (h)"), default=45)
    plafond_mensuel_majore = models.PositiveSmallIntegerField(_("plafond mensuel des activités à 70 h (h)"), default=70)
    plafond_mensuel_agricole = models.PositiveSmallIntegerField(
        _("plafond mensuel en agriculture/horticulture (h)"), default=150
    )
    plafond_hors_agricole = models.PositiveSmallIntegerField(_("dont au plus, hors agriculture (h)"), default=45)
    plafond_annuel = models.PositiveSmallIntegerField(_("plafond annuel (h)"), default=630)
    jour_cloture = models.PositiveSmallIntegerField(
        _("jour de clôture du mois précédent"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("Le jour du mois où l'agence valide le mois précédent ; les rappels partent trois jours avant."),
    )

    created_at = models.DateTimeField(auto_now_add=True)

    objects = AgenceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agence (ALE)")
        verbose_name_plural = _("agences (ALE)")
        ordering = ["nom"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(prix_cheque__gte=Decimal("5.95")), name="agence_prix_cheque_minimum_legal"
            ),
            models.CheckConstraint(
                condition=models.Q(prix_cheque_agricole__gte=Decimal("5.95")),
                name="agence_prix_cheque_agricole_minimum_legal",
            ),
            models.CheckConstraint(condition=models.Q(cotisation_annuelle__gte=0), name="agence_cotisation_positive"),
            models.CheckConstraint(
                condition=models.Q(
                    plafond_mensuel__lte=models.F("plafond_mensuel_majore"),
                    plafond_mensuel_majore__lte=models.F("plafond_mensuel_agricole"),
                    plafond_hors_agricole__lte=models.F("plafond_mensuel_agricole"),
                    plafond_mensuel_agricole__lte=models.F("plafond_annuel"),
                ),
                name="agence_plafonds_coherents",
            ),
            models.CheckConstraint(condition=models.Q(region__in=Region.values), name="agence_region_valide"),
            *localisation_constraints("agence"),
        ]

    def __str__(self):
        return self.nom

    @property
    def service_emploi(self) -> "ServicePublicEmploi":
        """The public employment service of the agency's region (read once per object)."""
        if not hasattr(self, "_service_emploi"):
            from .emploi import service_of

            self._service_emploi = service_of(self.region)
        return self._service_emploi


class AgenceMembership(models.Model):
    """A collaborator's membership of an agency; `is_admin` lets them manage its settings and members."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("collaborateur·rice")
    )
    agence = models.ForeignKey(Agence, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("agence"))
    is_admin = models.BooleanField(_("administrateur·rice de l'agence"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membre d'une agence")
        verbose_name_plural = _("membres des agences")
        constraints = [models.UniqueConstraint(fields=["user", "agence"], name="membership_unique")]

    def __str__(self):
        return f"{self.user} — {self.agence}"


class ActiviteQuerySet(ScopedQuerySet):
    pass


class Activite(models.Model):
    """A kind of task the agency offers (jardinage, garde d'enfants…), with the hour cap that applies."""

    class Categorie(models.TextChoices):
        GENERALE = "generale", _("Plafond général (45 h/mois)")
        MAJOREE = "majoree", _("Plafond majoré (70 h/mois)")
        AGRICOLE = "agricole", _("Agriculture / horticulture (150 h/mois)")

    agence = models.ForeignKey(Agence, on_delete=models.CASCADE, related_name="activites", verbose_name=_("agence"))
    nom = models.CharField(_("nom"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    categorie = models.CharField(
        _("plafond applicable"), max_length=10, choices=Categorie.choices, default=Categorie.GENERALE
    )
    types_utilisateurs = models.JSONField(
        _("types d'utilisateurs autorisés"),
        default=list,
        help_text=_("Codes des types d'utilisateurs à qui l'agence propose cette activité."),
    )
    active = models.BooleanField(_("proposée"), default=True)

    objects = ActiviteQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("activité")
        verbose_name_plural = _("activités")
        ordering = ["nom"]
        constraints = [models.UniqueConstraint(fields=["agence", "nom"], name="activite_nom_unique")]

    def __str__(self):
        return self.nom

    def allows(self, *types_utilisateur: str) -> bool:
        """Whether the agency offers the activity to a client of one of these types (a client's `types_du_lieu`:
        a school run by a commune is offered the school activities too)."""
        return any(t in self.types_utilisateurs for t in types_utilisateur)


class PreferenceNotification(models.Model):
    """A user's choice for one kind of notification (no row: sent immediately)."""

    class Mode(models.TextChoices):
        IMMEDIAT = "immediat", _("Tout de suite")
        DIGEST = "digest", _("Dans le résumé quotidien")
        DESACTIVE = "desactive", _("Jamais")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notification_preferences", verbose_name=_("compte")
    )
    kind = models.CharField(max_length=40, verbose_name=_("type de notification"))
    mode = models.CharField(
        max_length=10, choices=Mode.choices, default=Mode.IMMEDIAT, verbose_name=_("fréquence d'envoi")
    )

    class Meta:
        verbose_name = _("préférence de notification")
        verbose_name_plural = _("préférences de notification")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_notification_unique"),
            models.CheckConstraint(
                condition=models.Q(mode__in=["immediat", "digest", "desactive"]),
                name="preference_notification_mode_valide",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.kind}: {self.mode}"


class NotificationEnAttente(models.Model):
    """A notification parked for the user's next daily digest."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+", verbose_name=_("compte"))
    kind = models.CharField(max_length=40, verbose_name=_("type de notification"))
    context = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("créé le"))

    class Meta:
        verbose_name = _("notification en attente")
        verbose_name_plural = _("notifications en attente")
        indexes = [models.Index(fields=["user", "created_at"], name="notif_attente_user")]

    def __str__(self):
        return f"{self.user} — {self.kind}"
