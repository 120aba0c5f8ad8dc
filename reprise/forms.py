from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from ale_platform.models import Agence

from .importeurs import IMPORTEURS, missing_required
from .lecture import MAX_BYTES
from .models import Entite, agences_pour


class DepotForm(forms.Form):
    """Step 1: the agency, what the file holds, and the file itself."""

    agence = forms.ModelChoiceField(label=_l("Agence"), queryset=Agence.objects.none(), empty_label=None)
    entite = forms.ChoiceField(label=_l("Le fichier contient"), choices=Entite.choices)
    fichier = forms.FileField(
        label=_l("Fichier"),
        help_text=_l("Classeur Excel (.xlsx, première feuille) ou CSV ; au plus 10 Mo et 50 000 lignes."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["agence"].queryset = agences_pour(user).order_by("nom").distinct()
        if not Agence.objects.administered_by(user).exists():
            self.fields["entite"].choices = [(Entite.CHEQUES.value, Entite.CHEQUES.label)]

    def clean(self):
        cleaned = super().clean()
        agence, entite = cleaned.get("agence"), cleaned.get("entite")
        if agence and entite and not agences_pour(self.user, entite).filter(pk=agence.pk).exists():
            self.add_error(
                "entite",
                _("Seuls les administrateurs de l'agence importent ce contenu ; vous pouvez y importer des chèques."),
            )
        return cleaned

    def clean_fichier(self):
        upload = self.cleaned_data["fichier"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Le fichier dépasse 10 Mo : découpez-le en plusieurs fichiers."))
        return upload


class CorrespondanceForm(forms.Form):
    """Step 2: which field each column of the file feeds (guessed, adjustable)."""

    def __init__(self, *args, entite, headers, samples, initial_mapping, **kwargs):
        super().__init__(*args, **kwargs)
        self.entite = entite
        self.headers = headers
        champs = IMPORTEURS[entite].champs
        choices = [("", _("— ne pas importer —"))] + [
            (c.name, f"{c.label}{' *' if c.required else ''}") for c in champs
        ]
        for index, header in enumerate(headers):
            sample = samples[index] if index < len(samples) else ""
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                initial=initial_mapping.get(str(index), ""),
                help_text=_("Ex. : %(v)s") % {"v": sample} if sample else "",
            )

    def clean(self):
        cleaned = super().clean()
        seen = {}
        for index in range(len(self.headers)):
            name = cleaned.get(f"col_{index}")
            if not name:
                continue
            if name in seen:
                self.add_error(
                    f"col_{index}",
                    _("Ce champ est déjà rempli par la colonne « %(h)s ».") % {"h": self.headers[seen[name]]},
                )
            else:
                seen[name] = index
        missing = missing_required(self.entite, {str(i): name for name, i in seen.items()})
        if missing:
            raise forms.ValidationError(
                _("Choisissez une colonne pour chaque champ obligatoire (*) : %(names)s.")
                % {"names": ", ".join(str(c.label) for c in missing)}
            )
        return cleaned

    def mapping(self) -> dict:
        return {
            str(i): self.cleaned_data[f"col_{i}"] for i in range(len(self.headers)) if self.cleaned_data[f"col_{i}"]
        }


class ValeursForm(forms.Form):
    """The value step: each word of a coded column that nothing recognised, mapped once to the platform's value
    (a suggestion preselected); the answers are kept for the agency's next files."""

    def __init__(self, *args, reprise, **kwargs):
        from .services import suggestion, value_options

        super().__init__(*args, **kwargs)
        importer = IMPORTEURS[reprise.entite]
        self.words = []
        for name, words in sorted(reprise.valeurs_inconnues.items()):
            options = value_options(reprise, name)
            for word in words:
                key = f"v_{len(self.words)}"
                self.words.append((key, name, word))
                self.fields[key] = forms.ChoiceField(
                    label=_("« %(w)s » (colonne %(c)s)") % {"w": word, "c": importer.champ(name).label},
                    choices=[("", _("— laisser refusé —")), *options],
                    required=False,
                    initial=suggestion(word, options),
                )

    def answers(self) -> dict[str, dict[str, str]]:
        found: dict[str, dict[str, str]] = {}
        for key, name, word in self.words:
            if self.cleaned_data.get(key):
                found.setdefault(name, {})[word] = self.cleaned_data[key]
        return found
