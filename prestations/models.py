"""Prestations: dated stretches of work by a prestataire for an utilisateur. The register of hours.

Hours are only ever written through `prestations.services`, which enforces the
caps inside a transaction with row locks; this module holds the data and its database invariants.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ale_platform.dates import short_date, short_time
from ale_platform.models import Activite, Agence, Region
from ale_platform.scoping import ScopedQuerySet, ScopedThroughQuerySet
from ale_platform.states import TransitionLog, next_states
from prestataires.models import Prestataire
from utilisateurs.models import Demande, Utilisateur


class PrestationQuerySet(ScopedQuerySet):
    """Collaborators: their agencies; a worker: their own; a client: those done for them."""

    def own_rows(self, user):
        if user.is_prestataire:
            return self.filter(prestataire__compte=user)
        if user.is_client:
            return self.filter(utilisateur__compte=user)
        return self.none()

    def counting_hours(self):
        """Prestations whose hours count against the caps: planned, done or validated (not cancelled)."""
        return self.exclude(statut__in=[Prestation.Statut.ANNULEE, Prestation.Statut.ABSENCE])


class StatutPrestation(models.TextChoices):
    PLANIFIEE = "planifiee", _("Planifiée")
    DECLAREE = "declaree", _("Déclarée par le·la prestataire")
    CONTESTEE = "contestee", _("Contestée par l'utilisateur·rice")
    EFFECTUEE = "effectuee", _("Effectuée (heures confirmées)")
    VALIDEE = "validee", _("Validée")
    ANNULEE = "annulee", _("Annulée")
    ABSENCE = "absence", _("Absence (non présenté·e)")


_P = StatutPrestation
# Allowed moves of a prestation (docs/prestations.md, "Life of a prestation"). The worker declares a past slot
# (as planned, other hours, or not held); the client (or staff) confirms it, or disputes it and staff settle;
# staff validate. A move to the same state (new hours, a move of a planned slot) is not a transition.
TRANSITIONS_PRESTATION = {
    _P.PLANIFIEE: {_P.DECLAREE, _P.EFFECTUEE, _P.CONTESTEE, _P.ANNULEE, _P.ABSENCE},
    _P.DECLAREE: {_P.EFFECTUEE, _P.CONTESTEE, _P.ABSENCE, _P.ANNULEE},
    _P.CONTESTEE: {_P.EFFECTUEE, _P.ABSENCE, _P.ANNULEE},
    _P.EFFECTUEE: {_P.VALIDEE, _P.ANNULEE},
    # A worker who declared "not held" by mistake may correct it while nobody has confirmed it.
    _P.ABSENCE: {_P.DECLAREE},
    _P.VALIDEE: set(),
    _P.ANNULEE: set(),
}
# States whose hours still count against the caps and block an overlapping slot.
STATUTS_COMPTES = [_P.PLANIFIEE, _P.DECLAREE, _P.CONTESTEE, _P.EFFECTUEE, _P.VALIDEE]
# States a client may confirm or dispute (a declared slot, or a past planned one nobody declared).
STATUTS_A_CONFIRMER = [_P.PLANIFIEE, _P.DECLAREE]


class AuNomDe(models.TextChoices):
    """Staff acting for someone who is not online: the step is marked as such in the log."""

    PRESTATAIRE = "prestataire", _("au nom du·de la prestataire")
    UTILISATEUR = "utilisateur", _("au nom de l'utilisateur·rice")


class Prestation(models.Model):
    Statut = StatutPrestation

    agence = models.ForeignKey(Agence, on_delete=models.PROTECT, related_name="prestations", verbose_name=_("agence"))
    prestataire = models.ForeignKey(
        Prestataire, on_delete=models.PROTECT, related_name="prestations", verbose_name=_("prestataire")
    )
    utilisateur = models.ForeignKey(
        Utilisateur, on_delete=models.PROTECT, related_name="prestations", verbose_name=_("utilisateur·rice")
    )
    activite = models.ForeignKey(
        Activite, on_delete=models.PROTECT, related_name="prestations", verbose_name=_("activité")
    )
    demande = models.ForeignKey(
        "utilisateurs.Demande", on_delete=models.PROTECT, null=True, blank=True, related_name="prestations"
    )
    date = models.DateField(_("date"))
    debut = models.TimeField(_("début"))
    fin = models.TimeField(_("fin"))
    heures = models.DecimalField(_("heures"), max_digits=5, decimal_places=2, help_text=_("Par quarts d'heure (0,25)."))
    statut = models.CharField(
        _("statut"), max_length=10, choices=StatutPrestation.choices, default=StatutPrestation.PLANIFIEE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("encodé par"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    motif_derogation = models.CharField(
        _("motif de dérogation"),
        max_length=300,
        blank=True,
        help_text=_("Raison donnée par l'agence pour passer outre un avertissement (ex. jour férié)."),
    )
    declaree_le = models.DateTimeField(_("déclarée par le·la prestataire le"), null=True, blank=True)
    confirmee_le = models.DateTimeField(_("heures confirmées par l'utilisateur le"), null=True, blank=True)
    motif_contestation = models.TextField(_("motif de la contestation"), blank=True)
    validee_le = models.DateTimeField(_("validée le"), null=True, blank=True)
    validee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("validée par"),
    )
    absence_de = models.CharField(
        _("absence de"),
        max_length=12,
        blank=True,
        choices=[("prestataire", _("Prestataire")), ("utilisateur", _("Utilisateur·rice"))],
    )
    # Travel costs (prestations.frais): typed by staff, pre-filled from the coordinates when both are known.
    distance_km = models.DecimalField(
        _("distance domicile – lieu (km, aller)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(500))],
    )

    objects = PrestationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("prestation")
        verbose_name_plural = _("prestations")
        ordering = ["date", "debut"]
        indexes = [
            models.Index(fields=["prestataire", "date"], name="prestation_worker_date"),
            # The agency's lists and day views filter on both (docs/performance.md).
            models.Index(fields=["agence", "date"], name="prestation_agence_date"),
            # The dashboard's "to plan, to record, to validate" tiles: a few hundred rows among an agency's 40,000.
            models.Index(
                fields=["agence", "date"],
                condition=Q(statut__in=["planifiee", "effectuee"]),
                name="prestation_agence_a_traiter",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(fin__gt=models.F("debut")), name="prestation_fin_apres_debut"),
            models.CheckConstraint(condition=Q(heures__gt=0) & Q(heures__lte=24), name="prestation_heures_positives"),
            models.CheckConstraint(condition=Q(statut__in=StatutPrestation.values), name="prestation_statut_valide"),
            # Hours are recorded in quarter hours (0,25 h).
            models.CheckConstraint(
                condition=Q(heures__in=[Decimal(q) / 4 for q in range(1, 97)]), name="prestation_heures_quarts"
            ),
            models.CheckConstraint(
                condition=Q(statut="validee", validee_le__isnull=False) | ~Q(statut="validee"),
                name="prestation_validee_datee",
            ),
            models.CheckConstraint(
                condition=Q(statut="declaree", declaree_le__isnull=False) | ~Q(statut="declaree"),
                name="prestation_declaree_datee",
            ),
            models.CheckConstraint(
                condition=~Q(statut="contestee") | ~Q(motif_contestation=""),
                name="prestation_contestee_motivee",
            ),
        ]

    def __str__(self):
        when = f"{short_date(self.date)} {short_time(self.debut)}-{short_time(self.fin)}"
        return f"{when} {self.prestataire} → {self.utilisateur}"

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        # Remember what was loaded, so that moving or cancelling it refreshes the old month's summary too.
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._loaded = (
            instance.__dict__.get("agence_id"),
            instance.__dict__.get("date"),
            instance.__dict__.get("statut"),
        )
        return instance

    @property
    def is_cancelled(self) -> bool:
        return self.statut == StatutPrestation.ANNULEE

    @property
    def is_agricole(self) -> bool:
        return self.activite.categorie == Activite.Categorie.AGRICOLE

    @property
    def reference(self) -> str:
        """The prestation's reference, as given for an electronic voucher."""
        return f"P{self.pk:08d}"


QUARTER = Decimal("0.25")
NUMERO_CHEQUE_REGEX = r"^[0-9]{10}$"
# The lowest legal voucher price of any region (Wallonia's €5.95): the database floor. The price in force in the
# agency's region is checked by the services through `rulebook.law_in_force`.
PRIX_MINIMUM_CHEQUE = Decimal("5.95")


class ChequeQuerySet(ScopedQuerySet):
    """Collaborators: their agencies' register; a client: their own vouchers; nobody else."""

    def own_rows(self, user):
        return self.filter(utilisateur__compte=user) if user.is_client else self.none()


class TypeCheque(models.TextChoices):
    PAPIER = "papier", _("Papier")
    ELECTRONIQUE = "electronique", _("Électronique")


class StatutCheque(models.TextChoices):
    """Where a voucher is (docs/regles.md, "Chèques"). Paper: the user hands it to the worker, who sends it with
    the monthly ALE 4 to their payment body; the body pays the worker and presents it to the issuer. The ALE
    keeps the register and follows the contested and unpaid ones. Electronic: validated on the issuer's portal."""

    # Paper vouchers
    REMIS = "remis", _("Remis au prestataire par l'utilisateur")
    RENTRE = "rentre", _("Envoyé avec l'ALE 4 à l'organisme de paiement")
    TRANSMIS = "transmis", _("Présenté à l'émetteur par l'organisme de paiement")
    PAYE = "paye", _("Indemnité payée au prestataire")
    ANNULE = "annule", _("Annulé")
    CONTESTE = "conteste", _("Contesté (suivi par l'ALE)")
    # Electronic vouchers
    VALIDEE = "validee", _("Validée sur le portail de l'émetteur")
    CONTESTEE = "contestee", _("Contestée (suivie par l'ALE)")
    IMPAYEE = "impayee", _("Impayée (suivie par l'ALE)")


_C = StatutCheque
STATUTS_PAPIER = [_C.REMIS, _C.RENTRE, _C.TRANSMIS, _C.PAYE, _C.ANNULE, _C.CONTESTE]
STATUTS_ELECTRONIQUE = [_C.VALIDEE, _C.CONTESTEE, _C.IMPAYEE]
# Allowed moves of a voucher's state (paper: with the worker → sent to the payment body → presented to the issuer
# → paid, or cancelled / contested).
TRANSITIONS_CHEQUE = {
    _C.REMIS: {_C.RENTRE, _C.ANNULE, _C.CONTESTE},
    _C.RENTRE: {_C.TRANSMIS, _C.ANNULE, _C.CONTESTE},
    _C.TRANSMIS: {_C.PAYE, _C.CONTESTE},
    _C.CONTESTE: {_C.RENTRE, _C.ANNULE},
    _C.PAYE: set(),
    _C.ANNULE: set(),
    _C.VALIDEE: {_C.CONTESTEE, _C.IMPAYEE},
    _C.CONTESTEE: {_C.VALIDEE, _C.IMPAYEE},
    _C.IMPAYEE: {_C.VALIDEE, _C.CONTESTEE},
}
# States in which a voucher still covers its prestation's hours.
STATUTS_COUVRANTS = [_C.REMIS, _C.RENTRE, _C.TRANSMIS, _C.PAYE, _C.VALIDEE]
# States of a voucher in dispute (contested or unpaid): its prestation is to be regularised.
CHEQUES_LITIGIEUX = [_C.CONTESTE, _C.CONTESTEE, _C.IMPAYEE]
# States that need a reason.
STATUTS_MOTIVES = [_C.ANNULE, _C.CONTESTE, _C.CONTESTEE]


class ChequeALE(models.Model):
    """The agency's register of chèques ALE (issued by Pluxee): paper by number, electronic by prestation."""

    Type = TypeCheque
    Statut = StatutCheque

    agence = models.ForeignKey(Agence, on_delete=models.PROTECT, related_name="cheques", verbose_name=_("agence"))
    type = models.CharField(_("type"), max_length=12, choices=TypeCheque.choices, default=TypeCheque.PAPIER)
    # NULL for electronic vouchers: the unique constraint must ignore them.
    numero = models.CharField(  # noqa: DJ001
        _("numéro du chèque"), max_length=10, null=True, blank=True, help_text=_("10 chiffres (chèque papier).")
    )
    nominatif = models.BooleanField(_("nominatif"), default=True)
    utilisateur = models.ForeignKey(
        Utilisateur, on_delete=models.PROTECT, related_name="cheques", verbose_name=_("utilisateur·rice")
    )
    prestation = models.ForeignKey(
        Prestation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cheques",
        verbose_name=_("prestation couverte"),
    )
    quantite = models.PositiveSmallIntegerField(
        _("nombre d'heures couvertes"), default=1, help_text=_("Toujours 1 pour un chèque papier.")
    )
    valeur = models.DecimalField(_("valeur unitaire (€)"), max_digits=6, decimal_places=2)
    # Where the issuer prints them on a paper voucher (Brussels' vouchers have an end of validity, alebru.zendesk.com):
    # a voucher no longer valid on the prestation's date does not pay it.
    emis_le = models.DateField(_("émis le"), null=True, blank=True)
    valable_jusqu_au = models.DateField(_("valable jusqu'au"), null=True, blank=True)
    statut = models.CharField(_("état"), max_length=10, choices=StatutCheque.choices, default=StatutCheque.REMIS)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChequeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chèque ALE")
        verbose_name_plural = _("chèques ALE")
        ordering = ["-created_at"]
        indexes = [
            # The register and the dashboard's monthly chart: an agency's vouchers by date received.
            models.Index(fields=["agence", "created_at"], name="cheque_agence_recu"),
            models.Index(
                fields=["agence"],
                condition=Q(statut__in=["conteste", "contestee", "impayee"]),
                name="cheque_agence_litigieux",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(emis_le__isnull=True)
                | Q(valable_jusqu_au__isnull=True)
                | Q(valable_jusqu_au__gte=models.F("emis_le")),
                name="cheque_validite_apres_emission",
            ),
            models.UniqueConstraint(fields=["numero"], name="cheque_numero_unique"),
            models.UniqueConstraint(
                fields=["prestation"],
                condition=Q(type="electronique"),
                name="cheque_electronique_unique_par_prestation",
            ),
            models.CheckConstraint(condition=Q(valeur__gte=PRIX_MINIMUM_CHEQUE), name="cheque_valeur_minimum_legal"),
            models.CheckConstraint(
                condition=(
                    Q(type="papier", numero__regex=NUMERO_CHEQUE_REGEX, quantite=1, statut__in=STATUTS_PAPIER)
                    | Q(
                        type="electronique",
                        numero__isnull=True,
                        prestation__isnull=False,
                        quantite__gte=1,
                        statut__in=STATUTS_ELECTRONIQUE,
                    )
                ),
                name="cheque_type_coherent",
            ),
        ]

    def __str__(self):
        if self.type == TypeCheque.PAPIER:
            return _("Chèque n° %(numero)s") % {"numero": self.numero}
        return _("Prestation électronique %(ref)s") % {"ref": self.prestation.reference if self.prestation else "—"}

    @property
    def next_states(self) -> list[tuple[str, str]]:
        return [(s.value, s.label) for s in sorted(next_states(TRANSITIONS_CHEQUE, self.statut))]


class TransitionCheque(TransitionLog):
    """The log of a voucher's state changes: who, when, from, to, why."""

    cheque = models.ForeignKey(
        ChequeALE, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("chèque ALE")
    )
    de = models.CharField(_("de"), max_length=20, blank=True, choices=StatutCheque.choices)
    vers = models.CharField(_("vers"), max_length=20, choices=StatutCheque.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = _("changement d'état d'un chèque")
        verbose_name_plural = _("changements d'état des chèques")

    def __str__(self):
        return f"{self.cheque} : {self.de or '—'} → {self.vers}"


class TransitionPrestation(TransitionLog):
    """The log of a prestation's state changes: who, when, from, to, why, and for whom when staff act for someone."""

    prestation = models.ForeignKey(Prestation, on_delete=models.CASCADE, related_name="transitions")
    de = models.CharField(_("de"), max_length=20, blank=True, choices=StatutPrestation.choices)
    vers = models.CharField(_("vers"), max_length=20, choices=StatutPrestation.choices)
    au_nom_de = models.CharField(_("au nom de"), max_length=12, blank=True, choices=AuNomDe.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = _("changement d'état d'une prestation")
        verbose_name_plural = _("changements d'état des prestations")
        constraints = [
            models.CheckConstraint(
                condition=Q(vers__in=StatutPrestation.values), name="transition_prestation_vers_valide"
            ),
        ]

    def __str__(self):
        return f"{self.prestation} : {self.de or '—'} → {self.vers}"


class RegleLegale(models.Model):
    """The law of one region from a date: hour caps, the 70 h user types, the allowance per voucher, the voucher
    price (a minimum or fixed), the region's registration fee and prior interview. Read only through
    `prestations.rulebook`; agencies may plan below it, never above. An empty value is a rule the sources do not
    give: the rule book refuses the use that needs it (never another region's value)."""

    region = models.CharField(_("région"), max_length=12, choices=Region.choices)
    en_vigueur_du = models.DateField(_("en vigueur du"))
    plafond_mensuel = models.PositiveSmallIntegerField(
        _("plafond mensuel général (h)"), null=True, blank=True, help_text=_("Vide : non sourcé, refusé.")
    )
    plafond_mensuel_majore = models.PositiveSmallIntegerField(
        _("plafond mensuel des activités à 70 h (h)"), null=True, blank=True
    )
    types_utilisateurs_majores = models.JSONField(
        _("types d'utilisateurs ouvrant le plafond majoré"),
        default=list,
        null=True,
        blank=True,
        help_text=_("Le plafond majoré vaut pour une activité marquée « 70 h » chez ces types d'utilisateurs."),
    )
    plafond_mensuel_agricole = models.PositiveSmallIntegerField(
        _("plafond mensuel en agriculture/horticulture (h)"), null=True, blank=True
    )
    plafond_hors_agricole = models.PositiveSmallIntegerField(
        _("dont au plus, hors agriculture (h)"), null=True, blank=True
    )
    plafond_annuel = models.PositiveSmallIntegerField(_("plafond annuel (h)"), null=True, blank=True)
    indemnite_par_cheque = models.DecimalField(
        _("indemnité du prestataire par chèque (€)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    prix_minimum_cheque = models.DecimalField(
        _("prix du chèque (€)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Un minimum, ou le prix lui-même si la région le fixe."),
    )
    prix_cheque_fixe = models.BooleanField(
        _("prix du chèque fixé par la région"),
        default=False,
        help_text=_("Coché : une agence ne peut vendre le chèque à aucun autre prix (Bruxelles : 7,45 €)."),
    )
    cotisation_annuelle = models.DecimalField(
        _("inscription annuelle fixée par la région (€)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Vide : chaque agence fixe la sienne."),
    )
    entretien_prealable = models.BooleanField(
        _("entretien préalable à chaque nouvelle affectation"),
        default=False,
        help_text=_("Coché : une affectation ne peut être confirmée qu'après un entretien préalable enregistré."),
    )
    types_utilisateurs_agricoles = models.JSONField(
        _("types d'utilisateurs ouvrant le plafond agricole"),
        default=list,
        null=True,
        blank=True,
        help_text=_("Le plafond agricole vaut pour une activité agricole chez ces types d'utilisateurs."),
    )
    prix_minimum_cheque_agricole = models.DecimalField(
        _("prix minimum du chèque en agriculture et horticulture (€)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Vide : le prix minimum général vaut aussi pour ces activités."),
    )
    seuil_evaluation_forem = models.DecimalField(
        _("seuil d'heures pour l'évaluation Forem (h par mois)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Vide : les heures ALE ne comptent pas dans l'évaluation de la recherche d'emploi."),
    )
    source = models.CharField(_("source"), max_length=500)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("règle légale (plafonds, indemnité)")
        verbose_name_plural = _("règles légales (plafonds, indemnité)")
        ordering = ["region", "-en_vigueur_du"]
        constraints = [
            models.UniqueConstraint(fields=["region", "en_vigueur_du"], name="regle_legale_unique_par_date"),
            models.CheckConstraint(condition=Q(region__in=Region.values), name="regle_legale_region_valide"),
            # Each pair of caps is ordered where both are sourced (an unsourced cap is NULL).
            models.CheckConstraint(
                condition=(
                    (
                        Q(plafond_mensuel__isnull=True)
                        | Q(plafond_mensuel_majore__isnull=True)
                        | Q(plafond_mensuel__lte=models.F("plafond_mensuel_majore"))
                    )
                    & (
                        Q(plafond_mensuel_majore__isnull=True)
                        | Q(plafond_mensuel_agricole__isnull=True)
                        | Q(plafond_mensuel_majore__lte=models.F("plafond_mensuel_agricole"))
                    )
                    & (
                        Q(plafond_hors_agricole__isnull=True)
                        | Q(plafond_mensuel_agricole__isnull=True)
                        | Q(plafond_hors_agricole__lte=models.F("plafond_mensuel_agricole"))
                    )
                    & (
                        Q(plafond_mensuel_agricole__isnull=True)
                        | Q(plafond_annuel__isnull=True)
                        | Q(plafond_mensuel_agricole__lte=models.F("plafond_annuel"))
                    )
                ),
                name="regle_legale_plafonds_coherents",
            ),
            models.CheckConstraint(
                condition=(Q(indemnite_par_cheque__isnull=True) | Q(indemnite_par_cheque__gt=0))
                & (Q(prix_minimum_cheque__isnull=True) | Q(prix_minimum_cheque__gt=0)),
                name="regle_legale_montants",
            ),
            models.CheckConstraint(
                condition=Q(prix_cheque_fixe=False) | Q(prix_minimum_cheque__isnull=False),
                name="regle_legale_prix_fixe_connu",
            ),
        ]

    def __str__(self):
        return f"{self.get_region_display()} ({short_date(self.en_vigueur_du)})"


class GenerationFormulaires(models.Model):
    """A background run generating every worker's ALE 4 form of a month, with its progress and ZIP."""

    class Statut(models.TextChoices):
        EN_ATTENTE = "en_attente", _("En attente")
        EN_COURS = "en_cours", _("En cours")
        TERMINEE = "terminee", _("Terminée")
        ECHEC = "echec", _("Échec")

    agence = models.ForeignKey(
        Agence, on_delete=models.CASCADE, related_name="generations_formulaires", verbose_name=_("agence")
    )
    mois = models.DateField(_("mois"))
    statut = models.CharField(
        max_length=12, choices=Statut.choices, default=Statut.EN_ATTENTE, verbose_name=_("statut")
    )
    total = models.PositiveIntegerField(default=0, verbose_name=_("nombre de formulaires"))
    faits = models.PositiveIntegerField(default=0, verbose_name=_("formulaires faits"))
    fichier = models.CharField(max_length=200, blank=True)
    erreur = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("créé le"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("génération des formulaires ALE 4")
        verbose_name_plural = _("générations des formulaires ALE 4")
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(faits__lte=models.F("total")), name="generation_progres")]

    def __str__(self):
        return f"{self.agence} — {self.mois:%m/%Y}"

    @property
    def pourcentage(self) -> int:
        if self.total:
            return round(100 * self.faits / self.total)
        return 100 if self.statut == self.Statut.TERMINEE else 0


class JetonCalendrier(models.Model):
    """The secret of a worker's iCal feed; revoking replaces it, so old URLs stop working."""

    prestataire = models.OneToOneField(
        Prestataire, on_delete=models.CASCADE, related_name="jeton_calendrier", verbose_name=_("prestataire")
    )
    jeton = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True, verbose_name=_("créé le"))

    class Meta:
        verbose_name = _("jeton de calendrier")
        verbose_name_plural = _("jetons de calendrier")

    def __str__(self):
        return str(self.prestataire)


class AffectationQuerySet(ScopedQuerySet):
    """Collaborators: their agencies' proposals; a worker: those made to them; a client: those for their requests."""

    agence_path = "demande__agence"

    def own_rows(self, user):
        if user.is_prestataire:
            return self.filter(prestataire__compte=user)
        if user.is_client:
            return self.filter(demande__utilisateur__compte=user)
        return self.none()

    def actives(self):
        return self.filter(statut=StatutAffectation.ATTRIBUEE)


class StatutAffectation(models.TextChoices):
    ATTRIBUEE = "attribuee", _("Attribuée")
    DECLINEE = "declinee", _("Déclinée")


class Affectation(models.Model):
    """A worker assigned by staff to a client's request; the worker may decline it (reason kept, it counts)."""

    Statut = StatutAffectation

    demande = models.ForeignKey(
        Demande, on_delete=models.CASCADE, related_name="affectations", verbose_name=_("demande")
    )
    prestataire = models.ForeignKey(
        Prestataire, on_delete=models.PROTECT, related_name="affectations", verbose_name=_("prestataire")
    )
    statut = models.CharField(_("statut"), max_length=10, choices=StatutAffectation.choices, default="attribuee")
    motif_refus = models.TextField(_("motif du refus"), blank=True)
    # The wording the adviser of a Forem referral reads, reviewed by staff (empty: not reviewed yet).
    motif_transmis = models.TextField(_("motif transmis au service de l'emploi"), blank=True)
    declinee_le = models.DateTimeField(_("déclinée le"), null=True, blank=True)
    # The prior interview between the worker and an ALE adviser that every new assignment starts with where the
    # region's law requires it (Brussels: alepwabru.be "ALE cheques"); no slot is planned before it is recorded.
    entretien_prealable_le = models.DateField(_("entretien préalable le"), null=True, blank=True)
    entretien_prealable_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entretien préalable mené par"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("par")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("créé le"))

    objects = AffectationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("affectation")
        verbose_name_plural = _("affectations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["demande", "prestataire"],
                condition=Q(statut="attribuee"),
                name="affectation_active_unique",
            ),
            models.CheckConstraint(condition=Q(statut__in=StatutAffectation.values), name="affectation_statut_valide"),
            models.CheckConstraint(
                condition=Q(statut="attribuee") | (~Q(motif_refus="") & Q(declinee_le__isnull=False)),
                name="affectation_refus_motive",
            ),
            models.CheckConstraint(
                condition=Q(entretien_prealable_le__isnull=False) | Q(entretien_prealable_par__isnull=True),
                name="affectation_entretien_date_si_auteur",
            ),
        ]

    def __str__(self):
        return f"{self.prestataire} → {self.demande}"


class FermetureQuerySet(ScopedThroughQuerySet):
    scope_through = "utilisateur"
    agence_path = "utilisateur__agence"


class Fermeture(models.Model):
    """A period when a client is closed (e.g. a school's holidays): planning skips those dates."""

    utilisateur = models.ForeignKey(
        Utilisateur, on_delete=models.CASCADE, related_name="fermetures", verbose_name=_("utilisateur·rice")
    )
    debut = models.DateField(_("premier jour"))
    fin = models.DateField(_("dernier jour"))
    motif = models.CharField(_("motif"), max_length=200)

    objects = FermetureQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fermeture")
        verbose_name_plural = _("fermetures")
        ordering = ["debut"]
        constraints = [
            models.CheckConstraint(condition=Q(fin__gte=models.F("debut")), name="fermeture_fin_apres_debut"),
        ]

    def __str__(self):
        return f"{self.motif} ({short_date(self.debut)} – {short_date(self.fin)})"


class BilanMensuel(models.Model):
    """An agency's month in figures: hours done per activity category, workers who worked, clients served.

    A pre-aggregate of `Prestation` (done or validated) for the dashboard's charts, refreshed in the
    transaction of every write to a prestation of that month (`prestations.bilans`). Never edited by hand;
    `manage.py bilans` rebuilds it after bulk loads.
    """

    agence = models.ForeignKey(Agence, on_delete=models.CASCADE, related_name="bilans", verbose_name=_("agence"))
    mois = models.DateField(_("mois"), help_text=_("Le premier jour du mois."))
    heures_generale = models.DecimalField(
        max_digits=10, decimal_places=2, default=Decimal(0), verbose_name=_("heures en activités générales")
    )
    heures_majoree = models.DecimalField(
        max_digits=10, decimal_places=2, default=Decimal(0), verbose_name=_("heures en activités à 70 h")
    )
    heures_agricole = models.DecimalField(
        max_digits=10, decimal_places=2, default=Decimal(0), verbose_name=_("heures en agriculture/horticulture")
    )
    prestations = models.PositiveIntegerField(default=0)
    prestataires = models.PositiveIntegerField(_("prestataires ayant presté"), default=0)
    utilisateurs = models.PositiveIntegerField(_("utilisateurs servis"), default=0)

    class Meta:
        verbose_name = _("bilan mensuel")
        verbose_name_plural = _("bilans mensuels")
        ordering = ["agence", "mois"]
        constraints = [
            models.UniqueConstraint(fields=["agence", "mois"], name="bilan_unique_par_mois"),
            models.CheckConstraint(
                condition=Q(heures_generale__gte=0, heures_majoree__gte=0, heures_agricole__gte=0),
                name="bilan_heures_positives",
            ),
        ]

    def __str__(self):
        return f"{self.agence} {self.mois:%m/%Y}"

    def heures(self, categorie: str) -> Decimal:
        return getattr(self, f"heures_{categorie}")


class PayeurFrais(models.TextChoices):
    ALE = "ale", _("L'ALE")
    UTILISATEUR = "utilisateur", _("L'utilisateur·rice")


class RegleFraisDeplacement(models.Model):
    """Who pays the worker's travel and how much, from a date: the law's minimum (no agency) or an agency's rule.

    AR 5.6.2002: beyond 5 km the ALE pays at least €0.15/km, unless it charges the travel to the user. An
    agency's rule may only be more generous to the worker than the law in force: another row, so the rule book
    checks it (`rulebook.travel.agency_rule_problems`, called by the settings form and the admin form).
    """

    Payeur = PayeurFrais

    agence = models.ForeignKey(
        Agence,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="regles_frais_deplacement",
        verbose_name=_("agence"),
    )
    # The law is a region's (a deployment in Brussels or the German-speaking Community records its own); an
    # agency's rule is read with its agency's region.
    region = models.CharField(_("région"), max_length=12, choices=Region.choices, default=Region.WALLONIE)
    en_vigueur_du = models.DateField(_("en vigueur à partir du"))
    seuil_km = models.DecimalField(
        _("à partir de (km, trajet aller)"), max_digits=4, decimal_places=1, default=Decimal("5.0")
    )
    taux_km = models.DecimalField(_("montant par km (€)"), max_digits=4, decimal_places=2, default=Decimal("0.15"))
    a_charge_de = models.CharField(_("à charge de"), max_length=12, choices=PayeurFrais.choices, default="ale")
    # On a law row: the least an agency may charge the user per km when it charges the travel to them (theux.be:
    # at least 0,30 €/km); empty: no floor recorded for the region.
    taux_min_utilisateur = models.DecimalField(
        _("montant minimum par km facturé à l'utilisateur (€)"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Règle légale seulement : le moins qu'une agence peut facturer à l'utilisateur par km."),
    )
    source = models.CharField(_("source"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("règle des frais de déplacement")
        verbose_name_plural = _("règles des frais de déplacement")
        ordering = ["-en_vigueur_du"]
        constraints = [
            models.UniqueConstraint(fields=["agence", "en_vigueur_du"], name="frais_regle_unique_par_date"),
            models.UniqueConstraint(
                fields=["region", "en_vigueur_du"], condition=Q(agence__isnull=True), name="frais_loi_unique_par_date"
            ),
            models.CheckConstraint(condition=Q(seuil_km__gte=0, taux_km__gte=0), name="frais_valeurs_positives"),
            models.CheckConstraint(
                condition=Q(taux_min_utilisateur__isnull=True) | Q(agence__isnull=True, taux_min_utilisateur__gte=0),
                name="frais_minimum_utilisateur_sur_la_loi",
            ),
            models.CheckConstraint(condition=Q(a_charge_de__in=PayeurFrais.values), name="frais_payeur_valide"),
        ]

    def __str__(self):
        return f"{self.taux_km} €/km > {self.seuil_km} km ({short_date(self.en_vigueur_du)})"


class LienConfirmationQuerySet(ScopedQuerySet):
    agence_path = "utilisateur__agence"

    def own_rows(self, user):
        return self.none()


class LienConfirmation(models.Model):
    """A no-login link e-mailed to a client: confirms or disputes only the prestations it names, once, before it
    expires, and only while each is as it was when sent (`empreintes`: {pk: fingerprint}). Only the SHA-256 of
    the random token is stored, so the table does not hold usable links (`services/liens.py`)."""

    utilisateur = models.ForeignKey(
        Utilisateur, on_delete=models.CASCADE, related_name="liens_confirmation", verbose_name=_("utilisateur·rice")
    )
    jeton_hash = models.CharField(max_length=64, unique=True)
    empreintes = models.JSONField(default=dict)
    cree_le = models.DateTimeField(_("créé le"), default=timezone.now)
    expire_le = models.DateTimeField(_("expire le"))
    utilise_le = models.DateTimeField(_("utilisé le"), null=True, blank=True)

    objects = LienConfirmationQuerySet.as_manager()

    class Meta:
        verbose_name = _("lien de confirmation")
        verbose_name_plural = _("liens de confirmation")
        constraints = [
            models.CheckConstraint(condition=Q(expire_le__gt=models.F("cree_le")), name="lien_expire_apres_creation"),
        ]

    def __str__(self):
        return f"{self.utilisateur} — {short_date(self.cree_le)}"
