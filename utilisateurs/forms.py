import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ale_platform.identifiers import compact_bce, compact_niss
from ale_platform.languages import agency_language
from ale_platform.models import Activite, Agence, TypeUtilisateur
from ale_platform.states import next_states

from .calendrier import Recurrence, occurrences
from .models import (
    TRANSITIONS_DEMANDE,
    Autorisation,
    Contact,
    Inscription,
    ParametresUtilisateurs,
    Site,
    StatutDemande,
    Utilisateur,
)
from .selectors import activity_blockers, registration_blocker

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
JOURS = [
    (0, _("lundi")),
    (1, _("mardi")),
    (2, _("mercredi")),
    (3, _("jeudi")),
    (4, _("vendredi")),
    (5, _("samedi")),
    (6, _("dimanche")),
]


class UtilisateurForm(forms.ModelForm):
    """The client's identity and address; a particulier gives a NISS, a legal person its BCE number."""

    class Meta:
        model = Utilisateur
        fields = [
            "type",
            "nom",
            "prenom",
            "niss",
            "bce",
            "rue",
            "code_postal",
            "commune",
            "telephone",
            "email",
            "etablissement_scolaire",
            "langue",
        ]
        widgets = {
            "niss": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "bce": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "code_postal": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
            "telephone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }

    def __init__(self, *args, agence=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.agence = agence or getattr(self.instance, "agence", None)
        if "langue" in self.fields:  # left out, a new file takes the agency's language, an existing one keeps its
            self.fields["langue"].required = False
            if not self.instance.pk and self.agence is not None:
                self.fields["langue"].initial = agency_language(self.agence)
        for name in ("rue", "code_postal", "commune"):
            self.fields[name].required = True
        # NISS/BCE arrive formatted ("85.07.30-033.28", "0123.456.749"): validated on the compact form.
        self.fields["niss"].max_length = None
        self.fields["bce"].max_length = None
        self.fields["niss"].validators = []
        self.fields["bce"].validators = []
        self.fields["niss"].widget.attrs.pop("maxlength", None)
        self.fields["bce"].widget.attrs.pop("maxlength", None)

    def clean_niss(self):
        return compact_niss(self.cleaned_data.get("niss", ""))

    def clean_bce(self):
        return compact_bce(self.cleaned_data.get("bce", ""))

    def clean_langue(self):
        if self.cleaned_data.get("langue"):
            return self.cleaned_data["langue"]
        return self.instance.langue if self.instance.pk else agency_language(self.agence)

    def clean(self):
        cleaned = super().clean()
        type_ = cleaned.get("type")
        if type_ == TypeUtilisateur.PARTICULIER:
            cleaned["bce"] = ""
            if not cleaned.get("niss") and "niss" not in self.errors:
                self.add_error("niss", _("Le NISS est obligatoire pour un particulier."))
            if not cleaned.get("prenom"):
                self.add_error("prenom", _("Le prénom est obligatoire pour un particulier."))
        elif type_:
            cleaned["niss"] = ""
            if not cleaned.get("bce") and "bce" not in self.errors:
                self.add_error("bce", _("Le numéro d'entreprise (BCE) est obligatoire pour une personne morale."))
        if cleaned.get("etablissement_scolaire") and type_ in (TypeUtilisateur.PARTICULIER, TypeUtilisateur.AGRICOLE):
            self.add_error(
                "etablissement_scolaire",
                _("Seule une commune, une ASBL ou une école peut être un établissement scolaire."),
            )
        from ale_platform.identifiers import validate_bce, validate_niss

        for field, validator in (("niss", validate_niss), ("bce", validate_bce)):
            value = cleaned.get(field)
            if value and field not in self.errors:
                try:
                    validator(value)
                except forms.ValidationError as exc:
                    self.add_error(field, exc)
                    continue
                if self.agence is not None and self.number_taken(field, value):
                    self.add_error(field, _("Un autre dossier de l'agence porte déjà ce numéro."))
        return cleaned

    def number_taken(self, field: str, value: str) -> bool:
        """Whether another client of the agency has this NISS or BCE number (`field`)."""
        others = Utilisateur.objects.filter(agence=self.agence, **{field: value})
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        return others.exists()


class ProfilForm(UtilisateurForm):
    """A new online client completes their file and asks an agency for registration."""

    agence = forms.ModelChoiceField(
        label=_("Agence"), queryset=Agence.objects.order_by("nom"), help_text=_("L'ALE de votre commune.")
    )

    class Meta(UtilisateurForm.Meta):
        # Whether the client is a school run by a commune is for the agency to record, not asked online; the online
        # client's file takes the language of their account (the one they chose on the site).
        fields = ["agence", *(f for f in UtilisateurForm.Meta.fields if f not in ("etablissement_scolaire", "langue"))]

    def clean(self):
        self.agence = self.cleaned_data.get("agence")
        return super().clean()


class SiteForm(forms.ModelForm):
    class Meta:
        model = Site
        fields = ["nom", "rue", "code_postal", "commune"]

    def __init__(self, *args, utilisateur, **kwargs):
        super().__init__(*args, **kwargs)
        self.utilisateur = utilisateur

    def clean_nom(self):
        nom = self.cleaned_data["nom"]
        if Site.objects.filter(utilisateur=self.utilisateur, nom=nom).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Ce client a déjà un site de ce nom."))
        return nom


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["prenom", "nom", "fonction", "telephone", "email"]
        widgets = {"telephone": forms.TextInput(attrs={"type": "tel"})}

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("telephone") and not cleaned.get("email") and not self.errors:
            raise forms.ValidationError(_("Indiquez au moins un téléphone ou une adresse e-mail."))
        return cleaned


class InscriptionForm(forms.ModelForm):
    class Meta:
        model = Inscription
        fields = ["annee", "cotisation", "payee_le", "validee"]
        widgets = {"payee_le": DATE}

    def __init__(self, *args, utilisateur, **kwargs):
        super().__init__(*args, **kwargs)
        self.utilisateur = utilisateur
        if not self.instance.pk:
            self.initial.setdefault("annee", timezone.localdate().year)
            self.initial.setdefault("cotisation", utilisateur.agence.cotisation_annuelle)
            self.initial.setdefault("validee", True)

    def clean_annee(self):
        annee = self.cleaned_data["annee"]
        today = timezone.localdate()
        if not today.year - 1 <= annee <= today.year + 1:
            raise forms.ValidationError(_("Choisissez l'année passée, l'année en cours ou l'année prochaine."))
        if self.year_taken(annee):
            raise forms.ValidationError(_("Ce client a déjà une inscription pour cette année."))
        return annee

    def year_taken(self, annee: int) -> bool:
        """Whether the client has another registration for this year."""
        others = Inscription.objects.filter(utilisateur=self.utilisateur, annee=annee)
        return others.exclude(pk=self.instance.pk).exists()

    def clean_payee_le(self):
        payee_le = self.cleaned_data.get("payee_le")
        if payee_le and payee_le > timezone.localdate():
            raise forms.ValidationError(_("La date de paiement ne peut pas être dans le futur."))
        return payee_le


class AutorisationForm(forms.ModelForm):
    class Meta:
        model = Autorisation
        fields = ["activite", "numero", "debut", "fin"]
        widgets = {
            "debut": DATE,
            "fin": DATE,
            "numero": forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{10}"}),
        }
        help_texts = {"numero": _("10 chiffres : la référence du client pour commander ses chèques.")}
        # The model's uniqueness check (one query) says it in these words.
        error_messages = {"numero": {"unique": _("Ce numéro d'autorisation existe déjà.")}}

    def __init__(self, *args, utilisateur, activites=None, **kwargs):
        """`activites`: the agency's activities when the caller has read them already (an import, for every row)."""
        super().__init__(*args, **kwargs)
        self.utilisateur = utilisateur
        if activites is None:
            activites = Activite.objects.filter(agence_id=utilisateur.agence_id)
        self.allowed_activites = {a.pk: a for a in activites if a.active and a.allows(*utilisateur.types_du_lieu)}
        self.fields["activite"].queryset = Activite.objects.filter(pk__in=list(self.allowed_activites))
        self.fields["activite"].help_text = _("Seules les activités que l'agence propose à ce type d'utilisateur.")

    def clean_numero(self):
        numero = self.cleaned_data["numero"].replace(" ", "").replace(".", "")
        if not (numero.isdigit() and len(numero) == 10):
            raise forms.ValidationError(_("Le numéro d'autorisation compte exactement 10 chiffres."))
        return numero

    def clean(self):
        cleaned = super().clean()
        debut, fin = cleaned.get("debut"), cleaned.get("fin")
        if debut and fin and fin < debut:
            self.add_error("fin", _("La fin doit suivre le début."))
        return cleaned


class StatutForm(forms.Form):
    statut = forms.ChoiceField(label=_("Nouveau statut"), choices=StatutDemande.choices)
    motif = forms.CharField(
        label=_("Motif (lu par le client)"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )

    def __init__(self, *args, demande, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statut"].choices = [(s.value, s.label) for s in next_states(TRANSITIONS_DEMANDE, demande.statut)]


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail du client"))


class AnnulationForm(forms.Form):
    motif = forms.CharField(
        label=_("Pourquoi annulez-vous ? (facultatif)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DemandeForm(forms.Form):
    """Booking: an activity, a place, a description and either one date or a weekly pattern."""

    PONCTUELLE, RECURRENTE = "ponctuelle", "recurrente"
    MAX_JOURS = 400

    cle = forms.UUIDField(widget=forms.HiddenInput)
    activite = forms.ModelChoiceField(label=_("Activité"), queryset=Activite.objects.none())
    demande_autorisation = forms.BooleanField(
        label=_("Je n'ai pas encore d'autorisation pour cette activité : je la demande à l'agence"), required=False
    )
    site = forms.ModelChoiceField(label=_("Lieu"), queryset=Site.objects.none(), required=False)
    description = forms.CharField(
        label=_("Description du travail"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    nombre_prestataires = forms.IntegerField(label=_("Nombre de prestataires"), min_value=1, max_value=20, initial=1)
    mode = forms.ChoiceField(
        label=_("Quand ?"),
        choices=[(PONCTUELLE, _("Une seule fois")), (RECURRENTE, _("De façon récurrente"))],
        widget=forms.RadioSelect,
        initial=PONCTUELLE,
    )
    date = forms.DateField(label=_("Date"), required=False, widget=DATE)
    heure_debut = forms.TimeField(label=_("De"), widget=TIME)
    heure_fin = forms.TimeField(label=_("À"), widget=TIME)
    periode_debut = forms.DateField(label=_("Du"), required=False, widget=DATE)
    periode_fin = forms.DateField(label=_("Au"), required=False, widget=DATE)
    jours = forms.TypedMultipleChoiceField(
        label=_("Jours de la semaine"), choices=JOURS, coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    intervalle = forms.TypedChoiceField(
        label=_("Fréquence"),
        choices=[
            (1, _("chaque semaine")),
            (2, _("toutes les deux semaines")),
            (3, _("toutes les trois semaines")),
            (4, _("toutes les quatre semaines")),
        ],
        coerce=int,
        initial=1,
        required=False,  # only for a recurring request (every week when left empty)
        empty_value=None,
    )
    semaines_scolaires = forms.BooleanField(
        label=_("Semaines scolaires uniquement (congés scolaires exclus)"), required=False
    )

    def __init__(self, *args, utilisateur, **kwargs):
        super().__init__(*args, **kwargs)
        self.utilisateur = utilisateur
        self.initial.setdefault("cle", uuid.uuid4())
        today = timezone.localdate()
        activites = [
            a
            for a in Activite.objects.filter(agence=utilisateur.agence, active=True)
            if a.allows(*utilisateur.types_du_lieu)
        ]
        authorised = set(
            Autorisation.objects.filter(utilisateur=utilisateur).valid_on(today).values_list("activite_id", flat=True)
        )
        self.fields["activite"].queryset = Activite.objects.filter(pk__in=[a.pk for a in activites])
        self.fields["activite"].label_from_instance = lambda a: (
            f"{a.nom} — " + (str(_("autorisée")) if a.pk in authorised else str(_("sans autorisation")))
        )
        self.fields["site"].queryset = Site.objects.filter(utilisateur=utilisateur)
        self.fields["site"].empty_label = str(_("Adresse principale : %(adresse)s") % {"adresse": utilisateur.adresse})
        self.creneaux = []
        self.recurrence = None
        self.occurrences = None

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        now = timezone.localtime()
        h1, h2 = cleaned.get("heure_debut"), cleaned.get("heure_fin")
        if h1 and h2 and h2 <= h1:
            self.add_error("heure_fin", _("L'heure de fin doit suivre l'heure de début."))
        mode = cleaned.get("mode")
        if mode == self.PONCTUELLE:
            day = cleaned.get("date")
            if day is None:
                if "date" not in self.errors:
                    self.add_error("date", _("Indiquez la date souhaitée."))
            elif day < today:
                self.add_error("date", _("Cette date est passée : choisissez aujourd'hui ou une date future."))
            elif day == today and h1 and h1 <= now.time():
                self.add_error("heure_debut", _("Cette heure est déjà passée aujourd'hui."))
            elif h1 and h2 and h2 > h1:
                self.creneaux = [(day, h1, h2)]
        elif mode == self.RECURRENTE:
            d1, d2, jours = cleaned.get("periode_debut"), cleaned.get("periode_fin"), cleaned.get("jours")
            if d1 is None and "periode_debut" not in self.errors:
                self.add_error("periode_debut", _("Indiquez le premier jour de la période."))
            if d2 is None and "periode_fin" not in self.errors:
                self.add_error("periode_fin", _("Indiquez le dernier jour de la période."))
            if not jours:
                self.add_error("jours", _("Cochez au moins un jour de la semaine."))
            if d1 and d1 < today:
                self.add_error(
                    "periode_debut", _("Cette date est passée : la période doit commencer aujourd'hui ou plus tard.")
                )
            if d1 and d2 and d2 < d1:
                self.add_error("periode_fin", _("La fin de la période doit suivre son début."))
            elif d1 and d2 and (d2 - d1).days > self.MAX_JOURS:
                self.add_error(
                    "periode_fin", _("Une récurrence couvre au plus un an : faites une nouvelle demande ensuite.")
                )
            if not self.errors and d1 and d2 and jours:
                self.recurrence = Recurrence(
                    debut=d1,
                    fin=d2,
                    jours=sorted(jours),
                    intervalle=cleaned.get("intervalle") or 1,
                    semaines_scolaires=cleaned.get("semaines_scolaires", False),
                )
                self.occurrences = occurrences(self.recurrence)
                dates = [d for d in self.occurrences.dates if d > today or (h1 and h1 > now.time())]
                if not dates:
                    self.add_error(
                        "jours",
                        _(
                            "Cette récurrence ne donne aucune date : vérifiez les jours cochés et la période "
                            "(jours fériés et congés scolaires exclus)."
                        ),
                    )
                elif h1 and h2 and h2 > h1:
                    self.creneaux = [(d, h1, h2) for d in dates]
        blocker = registration_blocker(self.utilisateur, today)
        if blocker:
            self.add_error(None, blocker)
        activite = cleaned.get("activite")
        if activite is not None:
            for problem in activity_blockers(
                self.utilisateur,
                activite,
                [c[0] for c in self.creneaux],
                demande_autorisation=cleaned.get("demande_autorisation", False),
            ):
                self.add_error("activite", problem)
        return cleaned


class DeplacementForm(forms.Form):
    date = forms.DateField(label=_("Nouvelle date"), widget=DATE)
    debut = forms.TimeField(label=_("De"), widget=TIME)
    fin = forms.TimeField(label=_("À"), widget=TIME)


class ParametresForm(forms.ModelForm):
    class Meta:
        model = ParametresUtilisateurs
        fields = ["delai_annulation_heures"]

    def clean_delai_annulation_heures(self):
        value = self.cleaned_data["delai_annulation_heures"]
        if value > 24 * 30:
            raise forms.ValidationError(_("Au plus 720 heures (30 jours)."))
        return value
