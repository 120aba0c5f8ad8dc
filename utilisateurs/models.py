import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ale_platform.dates import short_date, short_time
from ale_platform.geo.models import Localisation, localisation_constraints
from ale_platform.identifiers import format_bce, format_niss, validate_bce, validate_niss, validate_postal_code
from ale_platform.models import Agence, Langue, TypeUtilisateur
from ale_platform.scoping import ScopedQuerySet, ScopedThroughQuerySet
from ale_platform.states import TransitionLog


class UtilisateurQuerySet(ScopedQuerySet):
    """Collaborators see their agencies' clients; a client sees their own file; nobody else."""

    def own_rows(self, user):
        return self.filter(compte=user) if user.is_client else self.none()


class Utilisateur(Localisation):
    """A client of the ALE: an individual, a commune, an ASBL, a school or a farm."""

    Type = TypeUtilisateur

    agence = models.ForeignKey(Agence, on_delete=models.PROTECT, related_name="utilisateurs", verbose_name=_("agence"))
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
    niss = models.CharField(
        _("NISS"), max_length=11, blank=True, validators=[validate_niss], help_text=_("Pour un particulier.")
    )
    bce = models.CharField(
        _("numéro d'entreprise (BCE)"),
        max_length=10,
        blank=True,
        validators=[validate_bce],
        help_text=_("Pour une personne morale (commune, ASBL, école, entreprise agricole)."),
    )
    rue = models.CharField(_("rue et numéro"), max_length=200, blank=True)
    code_postal = models.CharField(_("code postal"), max_length=4, blank=True, validators=[validate_postal_code])
    commune = models.CharField(_("commune"), max_length=100, blank=True)
    telephone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # A school run by a commune (or an ASBL) is a school, whatever its organising body: the law's school rules
    # (the 70 h for supervision, couvin.be "… et écoles") read it as one (`types_du_lieu`).
    etablissement_scolaire = models.BooleanField(
        _("établissement scolaire"),
        default=False,
        help_text=_(
            "Cochez si ce client est une école organisée par une commune ou une ASBL : le travail y compte comme "
            "dans une école (plafond de 70 h pour la surveillance)."
        ),
    )
    # The language the agency writes to the client in (invitation, e-mails, statements); copied to the account
    # when the client accepts the invitation. New files start in the agency's language (`agency_language`).
    langue = models.CharField(_("langue de contact"), max_length=2, choices=Langue.choices, default=Langue.FR)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UtilisateurQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("utilisateur·rice")
        verbose_name_plural = _("utilisateurs")
        ordering = ["nom", "prenom"]
        constraints = [
            models.CheckConstraint(condition=models.Q(type__in=TypeUtilisateur.values), name="utilisateur_type_valide"),
            models.CheckConstraint(condition=models.Q(langue__in=Langue.values), name="utilisateur_langue_valide"),
            # A particulier is identified by a NISS, a legal person by its BCE number: never the other way round.
            models.CheckConstraint(
                condition=(models.Q(type=TypeUtilisateur.PARTICULIER) & ~models.Q(niss="") & models.Q(bce=""))
                | (~models.Q(type=TypeUtilisateur.PARTICULIER) & ~models.Q(bce="") & models.Q(niss="")),
                name="utilisateur_niss_ou_bce_selon_type",
            ),
            models.UniqueConstraint(
                fields=["agence", "niss"], condition=~models.Q(niss=""), name="utilisateur_niss_unique_par_agence"
            ),
            # Only a legal person that is not a farm can run a school.
            models.CheckConstraint(
                condition=models.Q(etablissement_scolaire=False)
                | models.Q(
                    type__in=[TypeUtilisateur.AUTORITE_LOCALE, TypeUtilisateur.ASBL, TypeUtilisateur.ENSEIGNEMENT]
                ),
                name="utilisateur_etablissement_scolaire_personne_morale",
            ),
            models.UniqueConstraint(
                fields=["agence", "bce"], condition=~models.Q(bce=""), name="utilisateur_bce_unique_par_agence"
            ),
            *localisation_constraints("utilisateur"),
        ]

    def __str__(self):
        return f"{self.prenom} {self.nom}".strip()

    @property
    def types_du_lieu(self) -> tuple[str, ...]:
        """The user types the law reads for work at this client: its own type, and a school's when it runs one (a
        commune's school gets the school's rules, whatever its organising body)."""
        if self.etablissement_scolaire and self.type != TypeUtilisateur.ENSEIGNEMENT:
            return (self.type, TypeUtilisateur.ENSEIGNEMENT.value)
        return (self.type,)

    @property
    def is_personne_morale(self) -> bool:
        return self.type != TypeUtilisateur.PARTICULIER

    @property
    def identifiant(self) -> str:
        return format_bce(self.bce) if self.is_personne_morale else format_niss(self.niss)

    @property
    def adresse(self) -> str:
        return ", ".join(part for part in [self.rue, f"{self.code_postal} {self.commune}".strip()] if part)

    def inscription_valide(self, day=None):
        day = day or timezone.localdate()
        return self.inscriptions.filter(annee=day.year, validee=True).first()


class SiteQuerySet(ScopedThroughQuerySet):
    scope_through = "utilisateur"


class Site(Localisation):
    """One address of a client where the work takes place (a commune or a school often has several)."""

    utilisateur = models.ForeignKey(
        Utilisateur, on_delete=models.CASCADE, related_name="sites", verbose_name=_("utilisateur·rice")
    )
    nom = models.CharField(_("nom du site"), max_length=200)
    rue = models.CharField(_("rue et numéro"), max_length=200)
    code_postal = models.CharField(_("code postal"), max_length=4, validators=[validate_postal_code])
    commune = models.CharField(_("commune"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SiteQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["nom"]
        constraints = [
            models.UniqueConstraint(fields=["utilisateur", "nom"], name="site_nom_unique_par_utilisateur"),
            *localisation_constraints("site"),
        ]

    def __str__(self):
        return f"{self.nom} — {self.rue}, {self.code_postal} {self.commune}"


class ContactQuerySet(ScopedThroughQuerySet):
    scope_through = "utilisateur"


class Contact(models.Model):
    """A contact person of a legal person (the school's headmaster, the commune's officer…)."""

    utilisateur = models.ForeignKey(
        Utilisateur, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("utilisateur·rice")
    )
    nom = models.CharField(_("nom"), max_length=100)
    prenom = models.CharField(_("prénom"), max_length=100)
    fonction = models.CharField(_("fonction"), max_length=100, blank=True)
    telephone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ContactQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("personne de contact")
        verbose_name_plural = _("personnes de contact")
        ordering = ["nom", "prenom"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(telephone="") | ~models.Q(email=""), name="contact_telephone_ou_email"
            ),
        ]

    def __str__(self):
        return f"{self.prenom} {self.nom}"


class InscriptionQuerySet(ScopedThroughQuerySet):
    scope_through = "utilisateur"
    agence_path = "utilisateur__agence"

    def valid_on(self, day):
        return self.filter(annee=day.year, validee=True)


class Inscription(models.Model):
    """A client's registration at the agency for one calendar year (with the agency's annual fee)."""

    utilisateur = models.ForeignKey(
        Utilisateur, on_delete=models.CASCADE, related_name="inscriptions", verbose_name=_("utilisateur·rice")
    )
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
        # The dashboard's tiles (sign-ups to validate, registrations to renew) read one year's rows, not all years'.
        indexes = [models.Index(fields=["annee", "validee", "utilisateur"], name="inscription_annee_validee")]
        constraints = [
            models.UniqueConstraint(fields=["utilisateur", "annee"], name="inscription_unique_par_annee"),
            models.CheckConstraint(condition=models.Q(cotisation__gte=0), name="inscription_cotisation_positive"),
            models.CheckConstraint(
                condition=models.Q(annee__gte=2000, annee__lte=2100), name="inscription_annee_plausible"
            ),
        ]

    def __str__(self):
        return f"{self.utilisateur} — {self.annee}"

    @property
    def payee(self) -> bool:
        return self.payee_le is not None or self.cotisation == 0


class AutorisationQuerySet(ScopedThroughQuerySet):
    scope_through = "utilisateur"
    agence_path = "utilisateur__agence"

    def valid_on(self, day):
        return self.filter(debut__lte=day, fin__gte=day)

    def expiring(self, day, days=30):
        """Still valid on `day` but ending within `days` days (staff renew them in time)."""
        return self.filter(debut__lte=day, fin__gte=day, fin__lte=day + datetime.timedelta(days=days))


class Autorisation(models.Model):
    """A client's permission for one activity type, with its validity and 10-digit voucher-order number.

    A legal person may hold two authorisations for the same activity (e.g. two sites): no uniqueness on
    (utilisateur, activite); the number itself is unique.
    """

    utilisateur = models.ForeignKey(
        Utilisateur, on_delete=models.CASCADE, related_name="autorisations", verbose_name=_("utilisateur·rice")
    )
    activite = models.ForeignKey(
        "ale_platform.Activite", on_delete=models.PROTECT, related_name="autorisations", verbose_name=_("activité")
    )
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
        # Authorisations expiring soon (dashboard tile, list filter) read a month of end dates, not the table.
        indexes = [models.Index(fields=["fin"], name="autorisation_fin")]
        constraints = [
            models.CheckConstraint(condition=models.Q(fin__gte=models.F("debut")), name="autorisation_fin_apres_debut"),
            models.CheckConstraint(
                condition=models.Q(numero__regex=r"^[0-9]{10}$"), name="autorisation_numero_10_chiffres"
            ),
        ]

    def __str__(self):
        return f"{self.numero} — {self.activite}"


class DemandeQuerySet(ScopedThroughQuerySet):
    scope_through = "utilisateur"
    agence_path = "agence"

    def open(self):
        return self.exclude(statut__in=[StatutDemande.TERMINEE, StatutDemande.ANNULEE])


class StatutDemande(models.TextChoices):
    NOUVELLE = "nouvelle", _("Nouvelle")
    EN_RECHERCHE = "en_recherche", _("En recherche d'un·e prestataire")
    ATTRIBUEE = "attribuee", _("Attribuée")
    PLANIFIEE = "planifiee", _("Planifiée")
    TERMINEE = "terminee", _("Terminée")
    ANNULEE = "annulee", _("Annulée")


_S = StatutDemande
# Which status may follow which (staff moves requests forward; the client may only cancel).
TRANSITIONS_DEMANDE = {
    _S.NOUVELLE: {_S.EN_RECHERCHE, _S.ATTRIBUEE, _S.PLANIFIEE, _S.ANNULEE},
    _S.EN_RECHERCHE: {_S.ATTRIBUEE, _S.PLANIFIEE, _S.ANNULEE},
    _S.ATTRIBUEE: {_S.EN_RECHERCHE, _S.PLANIFIEE, _S.ANNULEE},
    _S.PLANIFIEE: {_S.EN_RECHERCHE, _S.TERMINEE, _S.ANNULEE},
    _S.TERMINEE: set(),
    _S.ANNULEE: set(),
}


class Demande(models.Model):
    """A client's request for a service (one-off or recurring). Its planned sessions are `Prestation` rows."""

    Statut = StatutDemande

    agence = models.ForeignKey(Agence, on_delete=models.PROTECT, related_name="demandes", verbose_name=_("agence"))
    utilisateur = models.ForeignKey(
        Utilisateur, on_delete=models.PROTECT, related_name="demandes", verbose_name=_("utilisateur·rice")
    )
    activite = models.ForeignKey(
        "ale_platform.Activite", on_delete=models.PROTECT, related_name="demandes", verbose_name=_("activité")
    )
    description = models.TextField(_("description"))
    statut = models.CharField(_("statut"), max_length=20, choices=StatutDemande.choices, default=StatutDemande.NOUVELLE)
    nombre_prestataires = models.PositiveSmallIntegerField(_("nombre de prestataires"), default=1)
    site = models.ForeignKey(
        "Site", on_delete=models.PROTECT, null=True, blank=True, related_name="demandes", verbose_name=_("site")
    )
    demande_autorisation = models.BooleanField(_("demande aussi une autorisation pour cette activité"), default=False)
    recurrente = models.BooleanField(_("récurrente"), default=False)
    # The recurrence as the client described it; the wished dates themselves are `Creneau` rows.
    jours = models.JSONField(_("jours de la semaine"), default=list, blank=True)
    intervalle_semaines = models.PositiveSmallIntegerField(_("toutes les N semaines"), default=1)
    periode_debut = models.DateField(_("du"), null=True, blank=True)
    periode_fin = models.DateField(_("au"), null=True, blank=True)
    semaines_scolaires = models.BooleanField(_("semaines scolaires uniquement"), default=False)
    cle_idempotence = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("créée par"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("créé le"))

    objects = DemandeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("demande")
        verbose_name_plural = _("demandes")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(statut__in=StatutDemande.values), name="demande_statut_valide"),
            models.CheckConstraint(
                condition=models.Q(nombre_prestataires__gte=1, nombre_prestataires__lte=20),
                name="demande_au_moins_un_prestataire",
            ),
            models.CheckConstraint(
                condition=models.Q(intervalle_semaines__gte=1, intervalle_semaines__lte=8),
                name="demande_intervalle_valide",
            ),
            models.CheckConstraint(
                condition=models.Q(periode_debut__isnull=True)
                | models.Q(periode_fin__isnull=True)
                | models.Q(periode_fin__gte=models.F("periode_debut")),
                name="demande_periode_fin_apres_debut",
            ),
        ]

    def __str__(self):
        return f"{self.activite} — {self.utilisateur}"

    @property
    def is_open(self) -> bool:
        return self.statut not in (StatutDemande.TERMINEE, StatutDemande.ANNULEE)


class CreneauQuerySet(ScopedThroughQuerySet):
    scope_through = "demande"
    agence_path = "demande__agence"

    def actifs(self):
        return self.filter(annule=False)


class Creneau(models.Model):
    """One wished date and time of a request (a one-off request has one, a recurrence one per occurrence)."""

    demande = models.ForeignKey(Demande, on_delete=models.CASCADE, related_name="creneaux", verbose_name=_("demande"))
    date = models.DateField(_("date"))
    debut = models.TimeField(_("début"))
    fin = models.TimeField(_("fin"))
    annule = models.BooleanField(_("annulé"), default=False)
    annule_le = models.DateTimeField(_("annulé le"), null=True, blank=True)

    objects = CreneauQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("créneau souhaité")
        verbose_name_plural = _("créneaux souhaités")
        ordering = ["date", "debut"]
        constraints = [
            models.CheckConstraint(condition=models.Q(fin__gt=models.F("debut")), name="creneau_fin_apres_debut"),
            models.UniqueConstraint(fields=["demande", "date", "debut"], name="creneau_unique_par_demande"),
            models.CheckConstraint(
                condition=models.Q(annule=False) | models.Q(annule_le__isnull=False), name="creneau_annule_date"
            ),
        ]

    def __str__(self):
        return f"{short_date(self.date)} {short_time(self.debut)}-{short_time(self.fin)}"

    @property
    def starts_at(self):
        return timezone.make_aware(datetime.datetime.combine(self.date, self.debut))


class ChangementStatutQuerySet(ScopedThroughQuerySet):
    scope_through = "demande"
    agence_path = "demande__agence"


class ChangementStatut(TransitionLog):
    """One dated, explained step of a request's life (nouvelle → en recherche → … → terminée / annulée)."""

    demande = models.ForeignKey(
        Demande, on_delete=models.CASCADE, related_name="changements", verbose_name=_("demande")
    )
    de = models.CharField(_("de"), max_length=20, choices=StatutDemande.choices, blank=True)
    vers = models.CharField(_("vers"), max_length=20, choices=StatutDemande.choices)

    objects = ChangementStatutQuerySet.as_manager()

    class Meta(TransitionLog.Meta):
        verbose_name = _("changement de statut")
        verbose_name_plural = _("changements de statut")
        constraints = [
            models.CheckConstraint(condition=models.Q(vers__in=StatutDemande.values), name="changement_vers_valide"),
            models.CheckConstraint(
                condition=~models.Q(de=models.F("vers")), name="demande_changement_statut_different"
            ),
            models.CheckConstraint(condition=~models.Q(motif=""), name="changement_motif_requis"),
        ]

    def __str__(self):
        return f"{self.get_de_display() or '—'} → {self.get_vers_display()}"


class ParametresUtilisateurs(models.Model):
    """The agency's settings for its clients' requests (e.g. how late a client may still cancel)."""

    agence = models.OneToOneField(
        Agence, on_delete=models.CASCADE, related_name="parametres_utilisateurs", verbose_name=_("agence")
    )
    delai_annulation_heures = models.PositiveSmallIntegerField(
        _("délai d'annulation (heures)"),
        default=48,
        help_text=_("Un·e client·e peut annuler une demande ou une séance jusqu'à ce délai avant son début."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("paramètres des utilisateurs")
        verbose_name_plural = _("paramètres des utilisateurs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(delai_annulation_heures__lte=24 * 30), name="parametres_delai_raisonnable"
            )
        ]

    def __str__(self):
        return str(self.agence)

    @classmethod
    def for_agence(cls, agence) -> "ParametresUtilisateurs":
        return cls.objects.filter(agence=agence).first() or cls(agence=agence)


class CongeScolaire(models.Model):
    """A school holiday period (Fédération Wallonie-Bruxelles calendar), skipped by "school weeks only"."""

    nom = models.CharField(_("nom"), max_length=100)
    debut = models.DateField(_("premier jour"))
    fin = models.DateField(_("dernier jour"))

    class Meta:
        verbose_name = _("congé scolaire")
        verbose_name_plural = _("congés scolaires")
        ordering = ["debut"]
        constraints = [
            models.CheckConstraint(condition=models.Q(fin__gte=models.F("debut")), name="conge_fin_apres_debut"),
            models.UniqueConstraint(fields=["debut"], name="conge_debut_unique"),
        ]

    def __str__(self):
        return f"{self.nom} ({short_date(self.debut)} – {short_date(self.fin)})"


class InvitationQuerySet(ScopedThroughQuerySet):
    scope_through = "utilisateur"
    agence_path = "utilisateur__agence"


def _new_token() -> str:
    import secrets

    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """Staff invite a client already known at the office to claim their file with an online account."""

    utilisateur = models.ForeignKey(
        Utilisateur, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("utilisateur·rice")
    )
    email = models.EmailField(_("e-mail"))
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("par")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("créé le"))
    expire_le = models.DateTimeField(_("expire le"))
    utilisee_le = models.DateTimeField(_("utilisée le"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expire_le__gt=models.F("created_at")), name="invitation_expire_apres"
            )
        ]

    def __str__(self):
        return f"{self.email} → {self.utilisateur}"

    @property
    def is_usable(self) -> bool:
        return self.utilisee_le is None and self.expire_le > timezone.now()
