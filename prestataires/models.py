import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ale_platform.dates import short_date
from ale_platform.geo.models import Localisation, localisation_constraints
from ale_platform.identifiers import (
    format_niss,
    niss_birth_date,
    niss_sex,
    validate_iban,
    validate_niss,
    validate_postal_code,
)
from ale_platform.models import Activite, Agence, Langue, Region
from ale_platform.scoping import ScopedQuerySet, ScopedThroughQuerySet
from ale_platform.states import TransitionLog


class PrestataireQuerySet(ScopedQuerySet):
    """Collaborators see their agencies' workers; a worker sees their own file; nobody else."""

    def own_rows(self, user):
        return self.filter(compte=user) if user.is_prestataire else self.none()

    def niss_in_other_agencies(self, agence, niss_values) -> set[str]:
        """The NISS among `niss_values` already registered by another agency: one rule for the staff form and the
        take-over import (a file there would let this agency's account read what is tied to the other one)."""
        values = [n for n in niss_values if n]
        if not values:
            return set()
        return set(self.exclude(agence=agence).filter(niss__in=values).values_list("niss", flat=True))


NISS_AUTRE_AGENCE = _("Ce NISS est déjà inscrit dans une autre agence.")


class StatutPrestataire(models.TextChoices):
    INSCRIT = "inscrit", _("Inscrit·e")
    ACTIF = "actif", _("Actif·ve (contrat signé)")
    SUSPENDU = "suspendu", _("Suspendu·e")
    SORTI = "sorti", _("Sorti·e")


# The status as written about one known person (official documents): masculine, feminine.
STATUT_ACCORDE = {
    StatutPrestataire.INSCRIT: (_("Inscrit"), _("Inscrite")),
    StatutPrestataire.ACTIF: (_("Actif (contrat signé)"), _("Active (contrat signé)")),
    StatutPrestataire.SUSPENDU: (_("Suspendu"), _("Suspendue")),
    StatutPrestataire.SORTI: (_("Sorti"), _("Sortie")),
}
_S = StatutPrestataire
# inscrit → actif (contract signed) → suspendu → sorti; a suspended worker may come back; a worker who
# left may register again; an inscrit who never signs may leave. Anything else skips a step.
TRANSITIONS_PRESTATAIRE = {
    _S.INSCRIT: {_S.ACTIF, _S.SORTI},
    _S.ACTIF: {_S.SUSPENDU, _S.SORTI},
    _S.SUSPENDU: {_S.ACTIF, _S.SORTI},
    _S.SORTI: {_S.INSCRIT},
}


class OrganismePaiement(models.TextChoices):
    """Who pays the worker: the allowance payer (CAPAC or a union) or the CPAS for RIS beneficiaries."""

    CAPAC = "capac", _("CAPAC")
    FGTB = "fgtb", _("FGTB")
    CSC = "csc", _("CSC")
    CGSLB = "cgslb", _("CGSLB")
    CPAS = "cpas", _("CPAS (revenu d'intégration)")
    # A 2026 route (a) worker (12 months at the Forem, no allowances): no payment body is known in the sources.
    A_CONFIRMER = "a_confirmer", _("À confirmer (aucun organisme connu)")


class Sexe(models.TextChoices):
    FEMME = "F", _("Femme")
    HOMME = "M", _("Homme")


class Mobilite(models.TextChoices):
    PIED = "pied", _("À pied uniquement")
    VELO = "velo", _("À vélo")
    TRANSPORTS = "transports", _("Transports en commun")
    VOITURE = "voiture", _("Voiture")


class Prestataire(Localisation):
    """A person registered at the ALE who does the work (travailleur·se ALE)."""

    Statut = StatutPrestataire

    agence = models.ForeignKey(Agence, on_delete=models.PROTECT, related_name="prestataires", verbose_name=_("agence"))
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
    date_naissance = models.DateField(_("date de naissance"), null=True, blank=True)
    sexe = models.CharField(_("sexe"), max_length=1, choices=Sexe.choices, blank=True)
    langue = models.CharField(_("langue de contact"), max_length=2, choices=Langue.choices, default=Langue.FR)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True, validators=[validate_iban])
    statut = models.CharField(_("statut"), max_length=10, choices=Statut.choices, default=Statut.INSCRIT)
    date_inscription = models.DateField(_("date d'inscription à l'ALE"), default=datetime.date.today)
    activites = models.ManyToManyField(
        Activite, blank=True, related_name="prestataires", verbose_name=_("activités acceptées")
    )
    mobilite = models.CharField(_("mobilité"), max_length=12, choices=Mobilite.choices, blank=True)
    distance_max_km = models.PositiveSmallIntegerField(_("distance maximale (km)"), null=True, blank=True)
    temps_trajet_max = models.PositiveSmallIntegerField(
        _("temps de trajet maximal (minutes)"),
        null=True,
        blank=True,
        help_text=_("Par son moyen de déplacement, depuis son domicile. Ex. 20 minutes à pied."),
    )
    communes_mobilite = models.JSONField(_("communes où il ou elle peut se rendre"), default=list, blank=True)
    langues_parlees = models.CharField(_("langues parlées"), max_length=200, blank=True)
    formations = models.TextField(_("formations suivies"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Health or other sensitive remarks: readable by the agency's collaborators only, each read logged
    # (LectureRemarques). Kept out of the audit trail so that the history never shows them.
    remarques_sensibles = models.TextField(_("remarques confidentielles (santé…)"), blank=True)
    organisme_paiement = models.CharField(
        _("organisme de paiement"), max_length=12, choices=OrganismePaiement.choices, blank=True
    )
    cpas = models.CharField(_("CPAS"), max_length=100, blank=True, help_text=_("Pour les bénéficiaires du RIS."))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PrestataireQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["remarques_sensibles"])

    class Meta:
        verbose_name = _("prestataire")
        verbose_name_plural = _("prestataires")
        ordering = ["nom", "prenom"]
        constraints = [
            models.UniqueConstraint(fields=["agence", "niss"], name="prestataire_niss_unique_par_agence"),
            models.CheckConstraint(
                condition=models.Q(statut__in=StatutPrestataire.values), name="prestataire_statut_valide"
            ),
            models.CheckConstraint(condition=Q(sexe__in=[*Sexe.values, ""]), name="prestataire_sexe_valide"),
            models.CheckConstraint(condition=Q(langue__in=Langue.values), name="prestataire_langue_valide"),
            models.CheckConstraint(
                condition=Q(mobilite__in=[*Mobilite.values, ""]), name="prestataire_mobilite_valide"
            ),
            models.CheckConstraint(
                condition=Q(organisme_paiement__in=[*OrganismePaiement.values, ""]),
                name="prestataire_organisme_valide",
            ),
            models.CheckConstraint(
                condition=Q(temps_trajet_max__isnull=True) | Q(temps_trajet_max__gte=1, temps_trajet_max__lte=240),
                name="prestataire_temps_trajet_max_valide",
            ),
            *localisation_constraints("prestataire"),
        ]

    def __str__(self):
        return f"{self.prenom} {self.nom}"

    def accorde(self, masculin, feminin, inclusif):
        """The word agreeing with the person's sex when it is known; the inclusive form otherwise."""
        return {Sexe.HOMME: masculin, Sexe.FEMME: feminin}.get(self.sexe, inclusif)

    def accorde_texte(self, text: str) -> str:
        """A text's inclusive forms ("inscrit·e", "demandeur·se") agreeing with the person's sex when it is known."""
        if self.sexe not in (Sexe.HOMME, Sexe.FEMME):
            return text

        def agree(match):
            stem, suffix = match.group(1), match.group(2)
            if self.sexe == Sexe.HOMME:
                return stem
            if stem.endswith("eur") and suffix == "se":
                return stem[:-3] + "euse"
            if stem.endswith("f") and suffix == "ve":
                return stem[:-1] + "ve"
            return stem + suffix

        return re.sub(r"(\w+)·(\w+)", agree, str(text))

    @property
    def statut_accorde(self) -> str:
        masculin, feminin = STATUT_ACCORDE.get(self.statut, (None, None))
        return str(self.accorde(masculin, feminin, None) or self.get_statut_display())

    @property
    def niss_formate(self) -> str:
        return format_niss(self.niss)

    @property
    def birth_date(self) -> datetime.date | None:
        return self.date_naissance or (niss_birth_date(self.niss) if self.niss else None)

    def clean(self):
        errors = {}
        if self.niss and not errors:
            try:
                validate_niss(self.niss)
            except ValidationError:
                return  # the field's own validator says it
            encoded = niss_birth_date(self.niss)
            if self.date_naissance and encoded and encoded != self.date_naissance:
                errors["date_naissance"] = _(
                    "La date de naissance ne correspond pas au NISS (qui indique le %(date)s)."
                ) % {"date": short_date(encoded)}
            sex = niss_sex(self.niss)
            if self.sexe and sex and sex != self.sexe:
                errors["sexe"] = _("Le sexe ne correspond pas au NISS (chiffre impair : homme, pair : femme).")
        if self.organisme_paiement == OrganismePaiement.CPAS and not self.cpas:
            errors["cpas"] = _("Indiquez le CPAS qui paie le revenu d'intégration.")
        if errors:
            raise ValidationError(errors)


class PeriodeOrganismePaiement(models.Model):
    """The payment body of a worker from a date: a past month's documents name the body of that month
    (the Pluxee portal records a change of worker type or CPAS with an effective date, 19.4.2023)."""

    prestataire = models.ForeignKey(
        Prestataire, on_delete=models.CASCADE, related_name="periodes_organisme", verbose_name=_("prestataire")
    )
    organisme = models.CharField(_("organisme de paiement"), max_length=12, choices=OrganismePaiement.choices)
    cpas = models.CharField(_("CPAS"), max_length=100, blank=True)
    depuis = models.DateField(_("depuis le"))
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisme de paiement (période)")
        verbose_name_plural = _("organismes de paiement (périodes)")
        ordering = ["prestataire", "-depuis"]
        constraints = [
            models.UniqueConstraint(fields=["prestataire", "depuis"], name="periode_organisme_unique_par_date"),
            models.CheckConstraint(
                condition=Q(organisme__in=OrganismePaiement.values), name="periode_organisme_valide"
            ),
            models.CheckConstraint(condition=~Q(organisme="cpas") | ~Q(cpas=""), name="periode_organisme_cpas_nomme"),
        ]

    def __str__(self):
        return f"{self.get_organisme_display()} ({short_date(self.depuis)})"


class ChangementStatut(TransitionLog):
    """One dated status change of a worker's file (written by services only); `date` is when it takes effect."""

    prestataire = models.ForeignKey(
        Prestataire, on_delete=models.CASCADE, related_name="changements_statut", verbose_name=_("prestataire")
    )
    de = models.CharField(_("de"), max_length=20, choices=StatutPrestataire.choices)
    vers = models.CharField(_("vers"), max_length=20, choices=StatutPrestataire.choices)
    date = models.DateField(_("date d'effet"))

    class Meta:
        verbose_name = _("changement de statut")
        verbose_name_plural = _("changements de statut")
        ordering = ["-date", "-le"]
        constraints = [
            models.CheckConstraint(condition=~Q(de=models.F("vers")), name="changement_statut_different"),
            models.CheckConstraint(condition=~Q(motif=""), name="changement_statut_motif"),
        ]

    def __str__(self):
        return f"{short_date(self.date)} {self.de} → {self.vers}"


class BaseEligibilite(models.TextChoices):
    CHOMAGE_MOINS_45 = "chomage_moins_45", _("Chômage complet indemnisé depuis 2 ans (moins de 45 ans)")
    CHOMAGE_45_PLUS = "chomage_45_plus", _("Chômage complet indemnisé depuis 6 mois (45 ans ou plus)")
    CHOMAGE_24_SUR_36 = "chomage_24_36", _("Allocations pendant 24 des 36 derniers mois")
    RIS = "ris", _("Revenu d'intégration (CPAS) et inscrit·e comme demandeur·se d'emploi")
    FOREM_12_MOIS_ALLOCATIONS = "forem_12m_allocations", _("Inscrit·e au Forem depuis 12 mois et allocataire")
    FOREM_12_MOIS = "forem_12_mois", _("Inscrit·e au Forem depuis 12 mois ou plus (depuis 2026)")
    FAIBLE_EMPLOYABILITE = "faible_employabilite", _("Faible employabilité, adressé·e par le Forem (depuis 2026)")
    # The German-speaking Community (adg.be)
    INSCRIT_1_AN_MOINS_45 = "inscrit_1_an_moins_45", _("Inscrit·e à l'ADG depuis 1 an (moins de 45 ans)")
    INSCRIT_6_MOIS_45_PLUS = "inscrit_6_mois_45_plus", _("Inscrit·e à l'ADG depuis 6 mois (45 ans ou plus)")
    FREINS_SOCIAUX_SANTE = "freins_sociaux_sante", _("Inscrit·e à l'ADG, freins sociaux ou de santé (dès le 1er jour)")


class RegleEligibilite(models.Model):
    """A rule of access to the ALE, in force between two dates: the 2026 change and later ones are data.

    A worker's situation on a basis meets the rule when the age at the date is in [age_min, age_max[ and
    the situation has lasted `duree_mois` months (or, for 24/36, `mois_requis` months of allowances within
    the last `fenetre_mois`).
    """

    base = models.CharField(_("base"), max_length=24, choices=BaseEligibilite.choices)
    libelle = models.CharField(_("libellé"), max_length=200)
    age_min = models.PositiveSmallIntegerField(_("âge minimum"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("âge maximum (exclu)"), null=True, blank=True)
    duree_mois = models.PositiveSmallIntegerField(_("durée minimale de la situation (mois)"), default=0)
    mois_requis = models.PositiveSmallIntegerField(_("mois d'allocations requis"), null=True, blank=True)
    fenetre_mois = models.PositiveSmallIntegerField(_("sur les derniers (mois)"), null=True, blank=True)
    allocations_requises = models.BooleanField(
        _("allocations requises"),
        default=False,
        help_text=_("La personne doit percevoir des allocations (chômage, insertion ou sauvegarde)."),
    )
    adressage_requis = models.BooleanField(
        _("adressage du Forem requis"),
        default=False,
        help_text=_("La base ne compte que si un adressage du Forem vers l'ALE est enregistré pour la personne."),
    )
    region = models.CharField(_("région"), max_length=12, choices=Region.choices, default=Region.WALLONIE)
    en_vigueur_du = models.DateField(_("en vigueur du"))
    en_vigueur_au = models.DateField(_("en vigueur jusqu'au (inclus)"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("règle d'éligibilité")
        verbose_name_plural = _("règles d'éligibilité")
        ordering = ["base", "en_vigueur_du"]
        constraints = [
            models.UniqueConstraint(fields=["region", "base", "en_vigueur_du"], name="regle_region_base_debut_unique"),
            models.CheckConstraint(
                condition=Q(en_vigueur_au__isnull=True) | Q(en_vigueur_au__gte=models.F("en_vigueur_du")),
                name="regle_periode_coherente",
            ),
            models.CheckConstraint(
                condition=Q(age_min__isnull=True) | Q(age_max__isnull=True) | Q(age_max__gt=models.F("age_min")),
                name="regle_ages_coherents",
            ),
        ]

    def __str__(self):
        return f"{self.libelle} ({short_date(self.en_vigueur_du)})"

    def in_force(self, on: datetime.date) -> bool:
        return self.en_vigueur_du <= on and (self.en_vigueur_au is None or on <= self.en_vigueur_au)


class SituationEligibilite(models.Model):
    """A fact about the worker that may open access to the ALE, with its proof and date."""

    prestataire = models.ForeignKey(
        Prestataire, on_delete=models.CASCADE, related_name="situations", verbose_name=_("prestataire")
    )
    base = models.CharField(_("base d'éligibilité"), max_length=24, choices=BaseEligibilite.choices)
    depuis = models.DateField(
        _("depuis le"), help_text=_("Début du chômage, du RIS, de l'inscription au Forem ou date de l'adressage.")
    )
    jusqu_au = models.DateField(
        _("jusqu'au (inclus)"),
        null=True,
        blank=True,
        help_text=_("Fin connue de la situation (fin des allocations, du RIS…). Vide : en cours."),
    )
    mois_indemnises = models.PositiveSmallIntegerField(
        _("mois d'allocations sur les 36 derniers"), null=True, blank=True
    )
    avec_allocations = models.BooleanField(
        _("perçoit des allocations"),
        default=False,
        help_text=_("Allocations de chômage, d'insertion ou de sauvegarde, au moins un jour."),
    )
    preuve = models.CharField(_("preuve"), max_length=200, help_text=_("Ex. attestation CAPAC, attestation du CPAS."))
    date_preuve = models.DateField(_("date de la preuve"))
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("situation d'éligibilité")
        verbose_name_plural = _("situations d'éligibilité")
        ordering = ["base"]
        constraints = [
            models.UniqueConstraint(fields=["prestataire", "base"], name="situation_base_unique"),
            models.CheckConstraint(
                condition=Q(mois_indemnises__isnull=True) | Q(mois_indemnises__lte=36),
                name="situation_mois_indemnises_max_36",
            ),
            models.CheckConstraint(
                condition=Q(jusqu_au__isnull=True) | Q(jusqu_au__gte=models.F("depuis")),
                name="situation_fin_apres_debut",
            ),
        ]

    def __str__(self):
        return self.get_base_display()

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        # The end date as read: a save that sets a new one tells the worker and staff at once
        # (`services.basis_end_recorded`), one that leaves it does not.
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._loaded_jusqu_au = instance.__dict__.get("jusqu_au")
        return instance


class DemiJournee(models.TextChoices):
    MATIN = "matin", _("matin")
    APRES_MIDI = "apres_midi", _("après-midi")


JOURS = [
    (0, _("Lundi")),
    (1, _("Mardi")),
    (2, _("Mercredi")),
    (3, _("Jeudi")),
    (4, _("Vendredi")),
    (5, _("Samedi")),
    (6, _("Dimanche")),
]


class Disponibilite(models.Model):
    """One weekly half-day when the worker is available."""

    prestataire = models.ForeignKey(
        Prestataire, on_delete=models.CASCADE, related_name="disponibilites", verbose_name=_("prestataire")
    )
    jour = models.PositiveSmallIntegerField(_("jour"), choices=JOURS)
    demi_journee = models.CharField(_("demi-journée"), max_length=10, choices=DemiJournee.choices)

    class Meta:
        verbose_name = _("disponibilité")
        verbose_name_plural = _("disponibilités")
        ordering = ["jour", "-demi_journee"]
        constraints = [
            models.UniqueConstraint(fields=["prestataire", "jour", "demi_journee"], name="disponibilite_unique"),
            models.CheckConstraint(condition=Q(jour__lte=6), name="disponibilite_jour_valide"),
            models.CheckConstraint(
                condition=Q(demi_journee__in=DemiJournee.values), name="disponibilite_demi_journee_valide"
            ),
        ]

    def __str__(self):
        return f"{self.get_jour_display()} {self.get_demi_journee_display()}"


class Absence(models.Model):
    """An exception to the weekly availability: from `debut` to `fin` included. Absences never overlap."""

    prestataire = models.ForeignKey(
        Prestataire, on_delete=models.CASCADE, related_name="absences", verbose_name=_("prestataire")
    )
    debut = models.DateField(_("du"))
    fin = models.DateField(_("au (inclus)"))
    motif = models.CharField(_("motif"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["debut"]
        constraints = [
            models.CheckConstraint(condition=Q(fin__gte=models.F("debut")), name="absence_fin_apres_debut"),
        ]

    def __str__(self):
        return f"{short_date(self.debut)} – {short_date(self.fin)}"


class LectureRemarques(models.Model):
    """A read of a worker's confidential remarks: who, when (append-only)."""

    prestataire = models.ForeignKey(
        Prestataire, on_delete=models.CASCADE, related_name="lectures_remarques", verbose_name=_("prestataire")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("compte")
    )
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("lu le"))

    class Meta:
        verbose_name = _("lecture des remarques confidentielles")
        verbose_name_plural = _("lectures des remarques confidentielles")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} {self.at:%d/%m/%Y %H:%M}"


class ContratALE(models.Model):
    """The contrat de travail ALE (loi 07.04.1999, model of AR 13.06.1999). Signing it makes the worker actif."""

    prestataire = models.ForeignKey(
        Prestataire, on_delete=models.PROTECT, related_name="contrats", verbose_name=_("prestataire")
    )
    date_debut = models.DateField(_("date de début"))
    date_signature = models.DateField(_("date de signature"), null=True, blank=True)
    date_fin = models.DateField(_("date de fin"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("établi par")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contrat de travail ALE")
        verbose_name_plural = _("contrats de travail ALE")
        ordering = ["-date_debut"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_fin__isnull=True) | Q(date_fin__gte=models.F("date_debut")),
                name="contrat_fin_apres_debut",
            ),
        ]

    def __str__(self):
        return _("Contrat du %(date)s") % {"date": short_date(self.date_debut)}


def document_path(instance, filename):
    return f"prestataires/{instance.prestataire_id}/{filename}"


class DocumentQuerySet(ScopedThroughQuerySet):
    scope_through = "prestataire"
    agence_path = "prestataire__agence"


class Document(models.Model):
    """A file attached to the worker's file. Private storage; only served by a view that checks access."""

    class Type(models.TextChoices):
        PREUVE_ELIGIBILITE = "preuve_eligibilite", _("Preuve d'éligibilité")
        CONTRAT_SIGNE = "contrat_signe", _("Contrat signé (scan)")
        AUTRE = "autre", _("Autre document")

    prestataire = models.ForeignKey(
        Prestataire, on_delete=models.CASCADE, related_name="documents", verbose_name=_("prestataire")
    )
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    titre = models.CharField(_("titre"), max_length=200)
    fichier = models.FileField(_("fichier"), upload_to=document_path)
    visible_prestataire = models.BooleanField(_("visible par le ou la prestataire"), default=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("déposé le"))

    objects = DocumentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(type__in=["preuve_eligibilite", "contrat_signe", "autre"]), name="document_type_valide"
            )
        ]

    def __str__(self):
        return self.titre
