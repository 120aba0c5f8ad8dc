"""Clients (`Utilisateur`), matched by NISS or BCE; "inscription payée" becomes the year's registration."""

import datetime
import re

from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from ale_platform.history import save_as
from ale_platform.identifiers import compact_bce, compact_niss
from ale_platform.models import Activite, TypeUtilisateur
from utilisateurs.forms import UtilisateurForm
from utilisateurs.models import Autorisation, Inscription, Utilisateur

from ..champs import FALSE, TRUE, Champ, choices_of, closest, normalise, parse_date
from ..models import Entite
from ..validation import ImportValidation
from .base import IMPORTEURS, Importeur
from .colonnes import ADRESSE
from .inscriptions import InscriptionImportForm


class UtilisateurImportForm(ImportValidation, UtilisateurForm):
    def __init__(self, *args, known: dict[str, dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.known = known  # {"niss": {niss: client}, "bce": {bce: client}}: the agency's clients the file names

    def number_taken(self, field, value):
        # No query: the importer loaded every client of the agency with a NISS or BCE number of the file.
        other = self.known[field].get(value)
        return other is not None and other.pk != self.instance.pk


TYPES = choices_of(
    TypeUtilisateur,
    pp="particulier",
    personnephysique="particulier",
    personneprivee="particulier",
    famille="particulier",
    administrationcommunale="autorite_locale",
    ville="autorite_locale",
    province="autorite_locale",
    commune="autorite_locale",
    cpas="autorite_locale",
    gemeente="autorite_locale",
    ocmw="autorite_locale",
    vzw="asbl",
    association="asbl",
    ecole="enseignement",
    school="enseignement",
    onderwijs="enseignement",
    agriculteur="agricole",
    horticulteur="agricole",
    landbouw="agricole",
    tuinbouw="agricole",
    prive="particulier",
)


class UtilisateursImporteur(Importeur):
    entite = Entite.UTILISATEURS
    key_field = "niss"
    fusion = True
    champs = [
        Champ(
            "type",
            _l("Type"),
            ("typedutilisateur", "categorie", "soort", "typegebruiker"),
            kind="choice",
            choices=TYPES,
            example="particulier",
            allowed=_l(
                "particulier, autorite_locale (commune, CPAS), asbl, enseignement (école), agricole ; "
                "particulier si vide et NISS rempli"
            ),
        ),
        Champ(
            "nom",
            _l("Nom ou dénomination"),
            (
                "nom",
                "denomination",
                "raisonsociale",
                "nomraisonsociale",
                "nomoudenomination",
                "naam",
                "achternaam",
                "benaming",
            ),
            required=True,
            example="Lambert",
        ),
        Champ("prenom", _l("Prénom"), ("voornaam",), example="Jean", allowed=_l("obligatoire pour un particulier")),
        Champ(
            "niss",
            _l("NISS"),
            (
                "nniss",
                "numeroniss",
                "numeronational",
                "registrenational",
                "nnational",
                "nregistrenational",
                "rijksregisternummer",
                "rrn",
                "insz",
            ),
            kind="niss",
            example="85.07.30-033.28",
            allowed=_l("pour un particulier"),
        ),
        Champ(
            "bce",
            _l("Numéro d'entreprise (BCE)"),
            (
                "bce",
                "nbce",
                "numerodentreprise",
                "nentreprise",
                "numerobce",
                "tva",
                "ondernemingsnummer",
                "kbo",
                "kbonummer",
            ),
            kind="bce",
            example="",
            allowed=_l("10 chiffres, pour une personne morale"),
        ),
        *ADRESSE,
        Champ(
            "inscription_payee",
            _l("Inscription payée"),
            ("inscriptionpayee", "cotisationpayee", "inscriptionpayeele", "payele", "lidgeldbetaald", "betaald"),
            example="oui",
            allowed=_l("oui, non, ou la date du paiement : l'inscription de l'année (de cette date)"),
        ),
        Champ(
            "activites_autorisees",
            _l("Activités autorisées"),
            ("activitesautorisees", "activites", "autorisations", "toegelatenactiviteiten"),
            example="Jardinage, Garde d'enfants",
            allowed=_l(
                "les activités de l'agence, séparées par des virgules : une autorisation de l'année civile pour "
                "chacune, avec un numéro provisoire de l'agence (le fichier des autorisations y met le vrai numéro)"
            ),
        ),
    ]
    FORM_FIELDS = list(UtilisateurForm.Meta.fields)

    def key(self, values):
        if values.get("niss"):
            return "niss:" + values["niss"]
        return "bce:" + values["bce"] if values.get("bce") else ""

    def prepare(self, rows):
        # Their compact forms too ("BE0123456749" → "0123456749"): the form checks those are nobody else's.
        niss = {r["niss"] for r in rows if r.get("niss")}
        niss |= {compact_niss(n) for n in niss}
        bce = {r["bce"] for r in rows if r.get("bce")}
        bce |= {compact_bce(b) for b in bce}
        mine = Utilisateur.objects.filter(agence=self.agence)
        self.by_niss = {u.niss: u for u in mine.filter(niss__in=niss)}
        self.by_bce = {u.bce: u for u in mine.filter(bce__in=bce)}
        others = Utilisateur.objects.exclude(agence=self.agence)
        self.elsewhere = set(others.filter(niss__in=niss).values_list("niss", flat=True)) | set(
            others.filter(bce__in=bce).values_list("bce", flat=True)
        )
        known = [*self.by_niss.values(), *self.by_bce.values()]
        self._prepare_authorisations(rows, known)
        self.inscriptions = (
            set(Inscription.objects.filter(utilisateur__in=known).values_list("utilisateur_id", "annee"))
            if any(r.get("inscription_payee") for r in rows)
            else set()
        )

    def check(self, ligne, values):
        niss, bce = values.get("niss", ""), values.get("bce", "")
        ligne.libelle = f"{values.get('prenom', '')} {values.get('nom', '')}".strip()
        if not niss and not bce:
            ligne.refuse(self.label("niss"), _("Indiquez le NISS (particulier) ou le numéro BCE (personne morale)."))
            return
        instance = self.by_niss.get(niss) if niss else self.by_bce.get(bce)
        if instance is None and (niss or bce) in self.elsewhere:
            field_name = "niss" if niss else "bce"
            ligne.refuse(self.label(field_name), _("Ce numéro est déjà celui d'un client d'une autre agence."))
            return
        before, data = self._overlay(instance, values)
        if not data.get("type"):
            if niss and not bce:
                data["type"] = TypeUtilisateur.PARTICULIER
            else:
                ligne.refuse(self.label("type"), _("Indiquez le type d'une personne morale (commune, ASBL, école…)."))
                return
        form = UtilisateurImportForm(
            data=data,
            instance=instance or Utilisateur(agence=self.agence),
            agence=self.agence,
            known={"niss": self.by_niss, "bce": self.by_bce},
        )
        valid = form.is_valid()
        inscription = self._inscription(ligne, values, instance, form) if valid else None
        autorisations = self._authorised(ligne, values, instance, form) if valid else []
        extra = [[self.label("inscription_payee"), "", str(inscription.annee)]] if inscription is not None else []
        granted = [
            _("%(a)s, n° %(n)s (provisoire), du %(d)s au %(f)s")
            % {"a": a.activite, "n": a.numero, "d": f"{a.debut:%d/%m/%Y}", "f": f"{a.fin:%d/%m/%Y}"}
            for a in autorisations
        ]
        if instance is None:  # a new client: what the row creates besides it, one line each
            ligne.notes += [_("Autorisation créée : %(a)s") % {"a": text} for text in granted]
        else:
            extra += [[_("Autorisation"), "", text] for text in granted]
        if self._finish(ligne, form, before, self.FORM_FIELDS, extra):
            self._writer(ligne, form, after_save=self._save_inscription(inscription) if inscription else None)
            ligne.suivants = [("utilisateur", autorisation) for autorisation in autorisations]

    def _inscription(self, ligne, values, instance, form):
        """ "Inscription payée" (oui, or the payment's date) becomes the registration of the year (of that date),
        checked by the client page's form; an existing one is left as it is."""
        paid = values.get("inscription_payee", "")
        if not paid:
            return None
        day = paid if isinstance(paid, datetime.date) else parse_date(str(paid))
        if day is None and normalise(paid) not in TRUE:
            if normalise(paid) not in FALSE:
                ligne.notes.append(
                    _("Inscription payée « %(v)s » : ni oui/non ni une date, rien n'est créé.") % {"v": paid}
                )
            return None
        annee = day.year if day else self.today.year
        if instance is not None and (instance.pk, annee) in self.inscriptions:
            return None
        client = form.instance
        client.agence = self.agence
        inscription_form = InscriptionImportForm(
            data={
                "annee": annee,
                "cotisation": self.agence.cotisation_annuelle,
                "payee_le": day or "",
                "validee": True,
            },
            instance=Inscription(utilisateur=client),
            utilisateur=client,
            known={},
        )
        if not inscription_form.is_valid():
            reasons = " ".join(" ".join(errors) for errors in inscription_form.errors.values())
            ligne.notes.append(_("Inscription payée : aucune inscription créée. %(r)s") % {"r": reasons})
            return None
        return inscription_form.save(commit=False)

    def _save_inscription(self, inscription):
        def save(client):
            inscription.utilisateur = client
            save_as(inscription, self.acting_user, reason=self.reason)

        return save

    # --- "Activités autorisées": the client's authorisations (decision 53) ------------------------------------

    def _prepare_authorisations(self, rows, known) -> None:
        """The agency's activities, the authorisations the known clients hold that are valid today or later, and the
        next number of the agency's series of provisional numbers: in three queries for the whole file."""
        self.authorised: set[tuple[int, int]] = set()
        self.series = provisional_series(self.agence)
        self.next_number = 0
        if not any(r.get("activites_autorisees") for r in rows):
            return
        self.activites = {normalise(a.nom): a for a in Activite.objects.filter(agence=self.agence)}
        self.authorised = set(
            Autorisation.objects.filter(utilisateur__in=known, fin__gte=self.today).values_list(
                "utilisateur_id", "activite_id"
            )
        )
        last = Autorisation.objects.filter(numero__startswith=self.series).aggregate(last=Max("numero"))["last"]
        self.next_number = int(last[len(self.series) :]) + 1 if last else 1

    def _authorised(self, ligne, values, instance, form) -> list[Autorisation]:
        """Each activity of "Activités autorisées" ("jardinage, garde d'enfants") becomes an authorisation of the
        calendar year with the agency's next provisional number, unless the client already holds one for that
        activity valid today or later (a re-import changes nothing). A word that names no activity of the agency,
        or an activity not offered to this type of client, is one line of the report: the client is imported."""
        text = str(values.get("activites_autorisees", "")).strip()
        if not text:
            return []
        client_type = form.cleaned_data.get("type") or form.instance.type
        created, seen = [], set()
        for word in _words(text, lambda w: closest(self.word("activites_autorisees", w), self.activites)):
            activite = self.find_activite("activites_autorisees", word)
            if activite is None:
                ligne.notes.append(
                    _(
                        "Activité autorisée « %(w)s » inconnue dans l'agence : aucune autorisation créée (associez ce "
                        "mot à une activité à l'étape des valeurs)."
                    )
                    % {"w": word}
                )
                continue
            if not activite.active or not activite.allows(client_type):
                ligne.notes.append(
                    _("L'agence ne propose pas « %(a)s » à ce type de client : aucune autorisation créée.")
                    % {"a": activite.nom}
                )
                continue
            if activite.pk in seen or (instance is not None and (instance.pk, activite.pk) in self.authorised):
                continue
            seen.add(activite.pk)
            created.append(
                Autorisation(
                    activite=activite,
                    numero=f"{self.series}{self.next_number:0{10 - len(self.series)}d}",
                    debut=datetime.date(self.today.year, 1, 1),
                    fin=datetime.date(self.today.year, 12, 31),
                )
            )
            self.next_number += 1
        return created


def _words(text: str, known) -> list[str]:
    """The activities of a cell: separated by commas, semicolons, slashes, "+" or lines; "jardinage et garde
    d'enfants" is two of them unless the whole names one activity."""
    words = []
    for part in (p.strip() for p in re.split(r"[,;/+\n]", text)):
        if " et " in part and known(part) is None:
            words += [w.strip() for w in part.split(" et ")]
        else:
            words.append(part)
    return [w for w in words if w]


def provisional_series(agence) -> str:
    """The first digits of the agency's provisional authorisation numbers: 9 and the agency's number on three
    digits ("9007" then six digits), so that a generated number is told from a real one at a glance."""
    return f"9{agence.pk % 1000:03d}"


IMPORTEURS[UtilisateursImporteur.entite] = UtilisateursImporteur
