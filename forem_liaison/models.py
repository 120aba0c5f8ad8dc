"""Forem liaison: referrals (adressages) from Forem advisers, their life cycle and the ALE's feedback."""

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ale_platform.dates import short_date
from ale_platform.identifiers import format_niss, validate_niss
from ale_platform.models import Agence, Region, ServicePublicEmploi
from ale_platform.scoping import ScopedQuerySet, ScopedThroughQuerySet
from ale_platform.states import TransitionLog


def default_service() -> int:
    """The Forem: the service of every office recorded before the regions' services were data (its row is
    written by migration; after a test flush, written again from the seed)."""
    from ale_platform.emploi import ensure_service

    return ensure_service(Region.WALLONIE).pk


class BureauForem(models.Model):
    """An office (direction régionale, antenna) of a public employment service – the Forem, Actiris or the ADG –
    whose advisers refer job seekers to the agencies of the service's region. The model keeps its first name; its
    service is data (`ServicePublicEmploi`)."""

    service = models.ForeignKey(
        ServicePublicEmploi,
        on_delete=models.PROTECT,
        related_name="bureaux",
        default=default_service,
        verbose_name=_("service public de l'emploi"),
    )
    nom = models.CharField(_("nom"), max_length=200, unique=True)
    commune = models.CharField(_("commune"), max_length=100)

    class Meta:
        verbose_name = _("bureau du service de l'emploi")
        verbose_name_plural = _("bureaux des services de l'emploi")
        ordering = ["nom"]

    def __str__(self):
        return self.nom

    def agences(self):
        """The agencies this office's advisers (and its API tokens) may refer to: those of its service's region."""
        return Agence.objects.filter(region=self.service.region)


class Conseiller(models.Model):
    """The Forem side of an adviser's account: their office. Advisers are not agency members."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conseiller", verbose_name=_("compte")
    )
    bureau = models.ForeignKey(
        BureauForem,
        on_delete=models.PROTECT,
        related_name="conseillers",
        verbose_name=_("bureau du service de l'emploi"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("conseiller·ère (service de l'emploi)")
        verbose_name_plural = _("conseillers (services de l'emploi)")

    def __str__(self):
        name = self.user.get_full_name() or self.user.email
        return f"{name} ({self.bureau})"


class EquipeForem(models.Model):
    """A team of advisers inside one Forem office. A referral shared with a team is visible to its members."""

    bureau = models.ForeignKey(
        BureauForem, on_delete=models.CASCADE, related_name="equipes", verbose_name=_("bureau du service de l'emploi")
    )
    nom = models.CharField(_("nom"), max_length=200)
    membres = models.ManyToManyField(Conseiller, related_name="equipes", blank=True, verbose_name=_("membres"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("équipe (service de l'emploi)")
        verbose_name_plural = _("équipes (services de l'emploi)")
        ordering = ["nom"]
        constraints = [models.UniqueConstraint(fields=["bureau", "nom"], name="equipe_forem_nom_unique_par_bureau")]

    def __str__(self):
        return f"{self.nom} ({self.bureau})"


class ParametresForem(models.Model):
    """An agency's deadlines for the Forem liaison (the legal texts fix none)."""

    agence = models.OneToOneField(
        Agence, on_delete=models.CASCADE, related_name="parametres_forem", verbose_name=_("agence")
    )
    delai_premier_contact_jours = models.PositiveSmallIntegerField(
        _("délai du premier contact (jours)"),
        default=10,
        help_text=_("Nombre de jours, après réception de l'adressage, pour convoquer la personne."),
    )
    periodicite_retour_jours = models.PositiveSmallIntegerField(
        _("périodicité des retours (jours)"),
        default=30,
        help_text=_("Nombre de jours entre deux retours publiés au conseiller ou à la conseillère."),
    )
    history = HistoricalRecords()

    DEFAULT_PREMIER_CONTACT = 10
    DEFAULT_RETOUR = 30

    class Meta:
        verbose_name = _("paramètres des adressages de l'agence")
        verbose_name_plural = _("paramètres des adressages des agences")
        constraints = [
            models.CheckConstraint(
                condition=Q(delai_premier_contact_jours__gte=1, delai_premier_contact_jours__lte=90),
                name="parametres_forem_premier_contact_1_90",
            ),
            models.CheckConstraint(
                condition=Q(periodicite_retour_jours__gte=7, periodicite_retour_jours__lte=180),
                name="parametres_forem_retour_7_180",
            ),
        ]

    def __str__(self):
        return str(self.agence)

    @classmethod
    def for_agence(cls, agence) -> "ParametresForem":
        """The agency's settings, or unsaved defaults."""
        found = cls.objects.filter(agence=agence).first()
        return found or cls(agence=agence)


class CategorieAttente(models.TextChoices):
    INSERTION_SOCIALE = "insertion_sociale", _("Réinsertion sociale")
    RYTHME = "rythme", _("Reprendre un rythme")
    PREMIERE_EXPERIENCE = "premiere_experience", _("Première expérience de travail")
    CONFIANCE = "confiance", _("Reprendre confiance en soi")
    COMPETENCES = "competences", _("Acquérir ou valoriser des compétences")
    RESEAU = "reseau", _("Élargir son réseau")
    PLAN_ACTION = "plan_action", _("Heures ALE dans le plan d'action (45 h par mois)")


class EtatAdressage(models.TextChoices):
    RECU = "recu", _("Reçu")
    CONVOQUE = "convoque", _("Convocation envoyée")
    ABSENT = "absent", _("Absent·e à l'entretien")
    ENTRETIEN = "entretien", _("Entretien fait")
    INSCRIT = "inscrit", _("Inscrit·e à l'ALE")
    ACTIF = "actif", _("Actif·ve")
    CLOTURE = "cloture", _("Clôturé")
    REFUSE = "refuse", _("Refusé / non éligible")
    RETIRE = "retire", _("Retiré par le service de l'emploi")


_E = EtatAdressage
# from-state -> the states the referral may move to.
TRANSITIONS_ADRESSAGE = {
    _E.RECU: {_E.CONVOQUE, _E.REFUSE, _E.RETIRE},
    _E.CONVOQUE: {_E.ENTRETIEN, _E.ABSENT, _E.REFUSE, _E.RETIRE},
    _E.ABSENT: {_E.CONVOQUE, _E.CLOTURE, _E.REFUSE, _E.RETIRE},
    _E.ENTRETIEN: {_E.INSCRIT, _E.CLOTURE, _E.REFUSE, _E.RETIRE},
    _E.INSCRIT: {_E.ACTIF, _E.CLOTURE, _E.RETIRE},
    _E.ACTIF: {_E.CLOTURE, _E.RETIRE},
    _E.CLOTURE: set(),
    _E.REFUSE: set(),
    _E.RETIRE: set(),
}


OPEN_STATES = [
    EtatAdressage.RECU,
    EtatAdressage.CONVOQUE,
    EtatAdressage.ABSENT,
    EtatAdressage.ENTRETIEN,
    EtatAdressage.INSCRIT,
    EtatAdressage.ACTIF,
]
# States in which the ALE owes the adviser periodic feedback.
FOLLOWED_STATES = [EtatAdressage.ENTRETIEN, EtatAdressage.INSCRIT, EtatAdressage.ACTIF]


class IssueAdressage(models.TextChoices):
    EMPLOI = "emploi", _("Emploi trouvé")
    FORMATION = "formation", _("Entrée en formation")
    SANS_SUITE = "sans_suite", _("Sans suite")
    REFUS = "refus", _("Refus de la personne")
    DEMENAGEMENT = "demenagement", _("Déménagement")
    SANTE = "sante", _("Raisons de santé")
    FIN_PLAN = "fin_plan", _("Fin du plan d'action")
    AUTRE = "autre", _("Autre")


def _adviser_scope(user) -> tuple[list[int], list[int]]:
    """(the adviser's own ids, their teams' ids), read once per user object (that is, per request)."""
    if not hasattr(user, "_forem_scope"):
        teams = EquipeForem.objects.filter(membres__user=user).values_list("pk", flat=True)
        user._forem_scope = (list(Conseiller.objects.filter(user=user).values_list("pk", flat=True)), list(teams))
    return user._forem_scope


class AdressageQuerySet(ScopedQuerySet):
    """Collaborators: referrals to their agencies. Advisers: their own, and those shared with one of their teams."""

    def own_rows(self, user):
        if not user.is_conseiller:
            return self.none()
        # Literal ids on the two foreign keys rather than joins or subqueries: no duplicate rows (no
        # DISTINCT), and PostgreSQL combines both indexes (BitmapOr) instead of scanning every referral.
        own, teams = _adviser_scope(user)
        return self.filter(Q(conseiller__in=own) | Q(equipe__in=teams))

    def about_person(self, user):
        """The referrals a worker reads in their space: those linked to their own worker file(s)."""
        if not (user.is_authenticated and user.is_prestataire):
            return self.none()
        return self.filter(prestataire__compte=user)

    def for_bureau(self, bureau):
        """What an office's API token sees: the referrals made by the office's advisers."""
        return self.filter(bureau=bureau)

    def open(self):
        return self.filter(etat__in=OPEN_STATES)

    def touch(self) -> int:
        """Marks the referrals as changed (`updated_at`, the API's `modifie_le`) when something they show changes
        without a save of the referral itself: a reply, an anonymisation."""
        return self.update(updated_at=timezone.now())


class Adressage(models.Model):
    """A Forem adviser's referral of a job seeker to an ALE."""

    Etat = EtatAdressage
    Issue = IssueAdressage
    Categorie = CategorieAttente

    conseiller = models.ForeignKey(
        Conseiller, on_delete=models.PROTECT, related_name="adressages", verbose_name=_("conseiller·ère")
    )
    bureau = models.ForeignKey(
        BureauForem,
        on_delete=models.PROTECT,
        related_name="adressages",
        verbose_name=_("bureau du service de l'emploi"),
    )
    equipe = models.ForeignKey(
        EquipeForem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adressages",
        verbose_name=_("partagé avec l'équipe"),
    )
    agence = models.ForeignKey(Agence, on_delete=models.PROTECT, related_name="adressages", verbose_name=_("agence"))
    nom = models.CharField(_("nom"), max_length=100)
    prenom = models.CharField(_("prénom"), max_length=100)
    niss = models.CharField(_("NISS"), max_length=11, validators=[validate_niss])
    numero_dossier_forem = models.CharField(_("numéro de dossier (service de l'emploi)"), max_length=30, blank=True)
    telephone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    date_adressage = models.DateField(_("date de l'adressage"), default=timezone.localdate)
    motif = models.TextField(_("motif et attentes"))
    categories = models.JSONField(_("catégories d'attentes"), default=list, blank=True)
    consentement_partage = models.BooleanField(
        _("consentement au partage"),
        default=False,
        help_text=_("La personne accepte que l'ALE et son service de l'emploi échangent sur son parcours."),
    )
    consentement_le = models.DateField(_("date du consentement"), null=True, blank=True)
    etat = models.CharField(_("état"), max_length=20, choices=Etat.choices, default=Etat.RECU)
    issue = models.CharField(_("issue"), max_length=20, choices=Issue.choices, blank=True)
    motif_refus = models.TextField(_("motif du refus"), blank=True)
    prestataire = models.ForeignKey(
        "prestataires.Prestataire",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adressages",
        verbose_name=_("dossier prestataire"),
    )
    premier_contact_le = models.DateField(_("premier contact le"), null=True, blank=True)
    dernier_retour_le = models.DateField(_("dernier retour publié le"), null=True, blank=True)
    # Set by the GDPR anonymisation (docs/privacy.md): the referral and its feedback hold placeholders, not facts.
    anonymise_le = models.DateTimeField(_("anonymisé le"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AdressageQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("adressage")
        verbose_name_plural = _("adressages")
        ordering = ["-date_adressage", "nom"]
        # The API's pages and incremental sync: an office's referrals in (modifie_le, id) order.
        indexes = [models.Index(fields=["bureau", "updated_at", "id"], name="adressage_bureau_sync")]
        constraints = [
            models.UniqueConstraint(
                fields=["niss", "conseiller"],
                condition=Q(etat__in=OPEN_STATES),
                name="adressage_un_seul_ouvert_par_niss_et_conseiller",
                violation_error_message=_(
                    "Vous avez déjà un adressage en cours pour cette personne : clôturez-le ou retirez-le d'abord."
                ),
            ),
            models.CheckConstraint(condition=Q(etat__in=EtatAdressage.values), name="adressage_etat_valide"),
            models.CheckConstraint(condition=Q(consentement_partage=True), name="adressage_consentement_obligatoire"),
            models.CheckConstraint(
                condition=~Q(etat=EtatAdressage.CLOTURE) | ~Q(issue=""), name="adressage_cloture_avec_issue"
            ),
            models.CheckConstraint(
                condition=~Q(etat=EtatAdressage.REFUSE) | ~Q(motif_refus=""), name="adressage_refus_avec_motif"
            ),
            models.CheckConstraint(
                condition=~Q(etat__in=[EtatAdressage.INSCRIT, EtatAdressage.ACTIF]) | Q(prestataire__isnull=False),
                name="adressage_inscrit_avec_dossier",
            ),
        ]

    def __str__(self):
        return f"{self.prenom} {self.nom} ({short_date(self.date_adressage)})"

    def get_absolute_url(self):
        return reverse("forem_liaison:detail", args=[self.pk])

    @property
    def niss_formate(self) -> str:
        return format_niss(self.niss)

    @property
    def is_open(self) -> bool:
        return self.etat in OPEN_STATES

    def categories_display(self) -> list[str]:
        labels = dict(CategorieAttente.choices)
        return [str(labels.get(c, c)) for c in self.categories]

    def clean(self):
        super().clean()
        unknown = set(self.categories or []) - set(CategorieAttente.values)
        if unknown:
            raise ValidationError({"categories": _("Catégorie inconnue.")})


class TransitionAdressage(TransitionLog):
    """One change of state of a referral: who, when, from, to, why (the actor is always known)."""

    adressage = models.ForeignKey(
        Adressage, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("adressage")
    )
    de = models.CharField(_("de"), max_length=20, choices=EtatAdressage.choices, blank=True)
    vers = models.CharField(_("vers"), max_length=20, choices=EtatAdressage.choices)
    par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))

    class Meta(TransitionLog.Meta):
        verbose_name = _("transition d'adressage")
        verbose_name_plural = _("transitions d'adressage")

    def __str__(self):
        return f"{self.adressage_id}: {self.de} → {self.vers}"

    def get_de_display(self):
        return dict(EtatAdressage.choices).get(self.de, _("(création)"))


class RetourQuerySet(ScopedThroughQuerySet):
    """Staff see their agencies' feedback, drafts included; advisers only published feedback they may see;
    a worker only the published feedback about themselves."""

    scope_through = "adressage"
    agence_path = "adressage__agence"

    def for_user(self, user):
        if user.is_authenticated and user.is_prestataire:
            # A worker reads the published feedback of the referrals linked to their own file: tied to the
            # referral's person, never to a NISS match (a NISS typed elsewhere must not open another's file).
            return self.published().filter(adressage__prestataire__compte=user)
        qs = super().for_user(user)
        if user.is_authenticated and user.is_conseiller:
            qs = qs.filter(statut=RetourAdressage.Statut.PUBLIE)
        return qs

    def published(self):
        return self.filter(statut=RetourAdressage.Statut.PUBLIE)


class RetourAdressage(models.Model):
    """A periodic feedback entry from the ALE to the adviser: the platform's facts and the collaborator's words.

    Never a score: ALEs feared feedback would be used to sanction the people referred (docs/forem_liaison.md).
    Immutable once published; the person concerned reads the published entries in their own space.
    """

    class Statut(models.TextChoices):
        BROUILLON = "brouillon", _("Brouillon")
        PUBLIE = "publie", _("Publié")

    adressage = models.ForeignKey(
        Adressage, on_delete=models.PROTECT, related_name="retours", verbose_name=_("adressage")
    )
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("auteur·e")
    )
    periode_debut = models.DateField(_("début de la période"))
    periode_fin = models.DateField(_("fin de la période"))
    texte = models.TextField(
        _("message au conseiller ou à la conseillère"),
        help_text=_(
            "Décrivez en mots des faits et l'implication de la personne (ponctualité, demandes, projets), sans note "
            "ni appréciation chiffrée. Ce texte est lu par le Forem et par la personne : n'y mettez aucune "
            "information sensible (santé, vie privée)."
        ),
    )
    faits = models.JSONField(_("faits"), default=dict, blank=True)
    statut = models.CharField(_("statut"), max_length=10, choices=Statut.choices, default=Statut.BROUILLON)
    publie_le = models.DateTimeField(_("publié le"), null=True, blank=True)
    corrige = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrige le retour"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RetourQuerySet.as_manager()

    class Meta:
        verbose_name = _("retour au service de l'emploi")
        verbose_name_plural = _("retours au service de l'emploi")
        ordering = ["periode_fin", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(periode_fin__gte=models.F("periode_debut")), name="retour_periode_ordonnee"
            ),
            models.CheckConstraint(
                condition=(Q(statut="publie") & Q(publie_le__isnull=False))
                | (Q(statut="brouillon") & Q(publie_le__isnull=True)),
                name="retour_publie_avec_date",
            ),
        ]

    def __str__(self):
        return f"{self.adressage} — {short_date(self.periode_debut)}–{short_date(self.periode_fin)}"

    def save(self, *args, **kwargs):
        # A published entry never changes: a correction is a new entry (`corrige`).
        if self.pk and RetourAdressage.objects.filter(pk=self.pk, statut=self.Statut.PUBLIE).exists():
            raise ValidationError(_("Un retour publié ne peut plus être modifié : publiez une correction."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk and RetourAdressage.objects.filter(pk=self.pk, statut=self.Statut.PUBLIE).exists():
            raise ValidationError(_("Un retour publié ne peut pas être supprimé."))
        return super().delete(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.statut == self.Statut.PUBLIE

    @property
    def est_anonymise(self) -> bool:
        """Its referral was anonymised: the text is a placeholder and the facts are gone, not zero."""
        return self.adressage.anonymise_le is not None


class ReponseRetour(models.Model):
    """An adviser's (or collaborator's) reply to a published feedback entry: a short thread."""

    retour = models.ForeignKey(
        RetourAdressage,
        on_delete=models.CASCADE,
        related_name="reponses",
        verbose_name=_("retour au service de l'emploi"),
    )
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("auteur·e")
    )
    texte = models.TextField(_("réponse"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("créé le"))

    class Meta:
        verbose_name = _("réponse à un retour")
        verbose_name_plural = _("réponses aux retours")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.auteur}: {self.texte[:40]}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class JetonAPIQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class JetonAPI(models.Model):
    """An API token of a Forem office. Only its SHA-256 is stored; the raw token is shown once at creation."""

    bureau = models.ForeignKey(
        BureauForem, on_delete=models.CASCADE, related_name="jetons", verbose_name=_("bureau du service de l'emploi")
    )
    nom = models.CharField(_("nom"), max_length=100)
    prefixe = models.CharField(_("préfixe"), max_length=8)
    hashed_token = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("créé le"))
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    objects = JetonAPIQuerySet.as_manager()

    class Meta:
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")

    def __str__(self):
        return f"{self.bureau} — {self.nom} ({self.prefixe}…)"

    @classmethod
    def issue(cls, *, bureau, nom, created_by) -> tuple["JetonAPI", str]:
        raw = "ale_" + secrets.token_urlsafe(32)
        jeton = cls.objects.create(
            bureau=bureau, nom=nom, prefixe=raw[4:12], hashed_token=hash_token(raw), created_by=created_by
        )
        return jeton, raw

    def revoke(self):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
