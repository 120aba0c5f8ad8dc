"""This year's prestations, already worked and paid: imported so that their hours count against the caps.

Each row is recorded by `prestations.services.record_prestation`, the one way hours are written: the rule book
decides (current year, not in the future, worker eligible and active, client registered and authorised, no
overlap, the caps of the person across all their files). The preview records the rows inside a transaction that
is rolled back; the import records them again, for good, in one transaction. Rows are recorded in the file's
order, so each one is checked with the earlier rows of the same file already counted.
"""

import dataclasses
import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from simple_history.utils import update_change_reason

from ale_platform.identifiers import compact_bce, compact_niss
from ale_platform.models import Activite
from prestataires import eligibility
from prestataires.models import (
    Prestataire,
    SituationEligibilite,
)
from prestations.models import Prestation
from prestations.rulebook import vouchers_due
from prestations.rulebook.caps import fmt_h
from prestations.services import (
    AvertissementPrestation,
    record_prestation,
)
from prestations.services.checks import COUNTING
from utilisateurs.models import Utilisateur

from ..champs import Champ, normalise
from ..models import Entite
from .base import IMPORTEURS, Importeur, Resultat
from .colonnes import CLIENT

# "NISS" alone names the worker here: the client's column is named after the client.
CLIENT_DE_LA_PRESTATION = dataclasses.replace(
    CLIENT,
    aliases=tuple(a for a in CLIENT.aliases if a not in ("niss", "bce", "insz", "identifiant", "rijksregisternummer")),
)

# The rule book's error keys → the columns of the file.
COLUMN_OF = {"prestataire": "prestataire", "utilisateur": "client", "activite": "activite", "date": "date"}

COLUMN_OF |= {"debut": "debut", "fin": "fin", "heures": "heures"}


class PrestationsImporteur(Importeur):
    entite = Entite.PRESTATIONS
    key_field = "date"
    champs = [
        Champ(
            "prestataire",
            _l("NISS du prestataire"),
            (
                "niss",
                "nissprestataire",
                "prestataire",
                "travailleur",
                "nisstravailleur",
                "insz",
                "inszprestataire",
                "werknemer",
                "inszwerknemer",
                "presteerder",
                "inszpresteerder",
            ),
            required=True,
            kind="niss",
            example="85.07.30-033.28",
            allowed=_l("le NISS d'un prestataire de l'agence"),
        ),
        CLIENT_DE_LA_PRESTATION,
        Champ(
            "activite",
            _l("Activité"),
            ("activiteit", "taak", "typedeprestation", "soortactiviteit"),
            required=True,
            example="Jardinage",
            allowed=_l("le nom d'une activité de l'agence"),
        ),
        Champ(
            "date",
            _l("Date"),
            ("jour", "datum", "dag", "dateprestation", "datedelaprestation", "prestationle"),
            required=True,
            kind="date",
            example=lazy(lambda: f"02/01/{timezone.localdate().year}", str)(),
            allowed=_l("JJ/MM/AAAA, de l'année en cours, pas dans le futur"),
        ),
        Champ(
            "debut",
            _l("Heure de début"),
            ("debut", "de", "heuredebut", "heurededebut", "van", "begin", "beginuur", "start", "aanvang"),
            required=True,
            kind="time",
            example="08:30",
            allowed=_l("HH:MM"),
        ),
        Champ(
            "fin",
            _l("Heure de fin"),
            ("fin", "a", "jusqua", "heurefin", "heuredefin", "tot", "einde", "einduur"),
            kind="time",
            example="11:30",
            allowed=_l("HH:MM ; ou bien le nombre d'heures"),
        ),
        Champ(
            "heures",
            _l("Heures"),
            ("nombredheures", "duree", "uren", "aantaluren", "heuresprestees", "gepresteerdeuren"),
            kind="hours",
            example="3",
            allowed=_l("par quarts d'heure (3,25) ; la durée de la plage si vide"),
        ),
        Champ(
            "cheques",
            _l("Nombre de chèques"),
            ("cheques", "chequesale", "nombredecheques", "aantalcheques", "cheque", "aantalalecheques"),
            kind="count",
            example="3",
            allowed=_l("facultatif ; un chèque par heure entamée"),
        ),
        Champ(
            "motif",
            _l("Motif de dérogation"),
            ("motifdederogation", "derogation", "motif", "reden", "afwijking"),
            example="",
            allowed=_l("pour une prestation un jour férié"),
        ),
    ]

    reason = ""
    keep = False  # True when importing for good; the preview's recordings are rolled back

    def key(self, values):
        if not (values.get("prestataire") and values.get("date") and values.get("debut")):
            return ""
        return f"{values['prestataire']}:{values.get('client', '')}:{values['date']}:{values['debut']}"

    def analyse(self, table, correspondance, progress=None):
        with transaction.atomic():
            lignes = super().analyse(table, correspondance, progress)
            if not self.keep:
                transaction.set_rollback(True)
        return lignes

    def import_rows(self, table, correspondance, progress=None, *, reason, user):
        self.reason, self.keep = reason, True
        return self.analyse(table, correspondance, progress)

    def prepare(self, rows):
        niss = {r["prestataire"] for r in rows if r.get("prestataire")}
        self.workers = {p.niss: p for p in Prestataire.objects.filter(agence=self.agence, niss__in=niss)}
        ids = {r["client"] for r in rows if r.get("client")}
        ids = {compact_niss(i) for i in ids} | {compact_bce(i) for i in ids}
        mine = Utilisateur.objects.filter(agence=self.agence)
        self.clients = {u.niss: u for u in mine.filter(niss__in=ids)} | {u.bce: u for u in mine.filter(bce__in=ids)}
        self.activites = {normalise(a.nom): a for a in Activite.objects.filter(agence=self.agence)}
        self.bases: dict[int, list] = {}
        for situation in SituationEligibilite.objects.filter(prestataire__in=list(self.workers.values())):
            self.bases.setdefault(situation.prestataire_id, []).append(situation)
        dates = {r["date"] for r in rows if isinstance(r.get("date"), datetime.date)}
        self.existing = {
            (p.prestataire_id, p.utilisateur_id, p.date, p.debut): p
            for p in Prestation.objects.filter(
                agence=self.agence, prestataire__in=list(self.workers.values()), date__in=dates, statut__in=COUNTING
            ).select_related("activite")
        }

    def _client(self, ident):
        return self.clients.get(compact_bce(ident)) or self.clients.get(compact_niss(ident))

    def check(self, ligne, values):
        for champ in self.champs:
            if champ.required and values.get(champ.name, "") == "":
                ligne.refuse(champ.label, _("Cette cellule est obligatoire."))
        if ligne.statut == Resultat.REFUSE:
            return
        worker = self.workers.get(values.get("prestataire", ""))
        if worker is None:
            ligne.refuse(
                self.label("prestataire"),
                _("Aucun prestataire de l'agence avec ce NISS : importez d'abord le fichier des prestataires."),
            )
        client = self._client(values.get("client", ""))
        if client is None:
            ligne.refuse(
                self.label("client"),
                _(
                    "Aucun client de l'agence avec ce NISS ou ce numéro BCE : importez d'abord le fichier des "
                    "utilisateurs."
                ),
            )
        name = values.get("activite", "")
        activite = self.find_activite("activite", name)
        if activite is None:
            ligne.refuse(self.label("activite"), _("Activité inconnue dans l'agence : « %(a)s ».") % {"a": name})
        day, debut = values.get("date"), values.get("debut")
        if day and day.year != self.today.year:
            ligne.refuse(
                self.label("date"),
                _("Seules les prestations de l'année en cours (%(y)s) s'importent : le %(d)s n'en fait pas partie.")
                % {"y": self.today.year, "d": day.strftime("%d/%m/%Y")},
            )
        if worker is not None and day and not self._open_basis(worker, day):
            # The rule book's sentence, and what to do about it during a take-over.
            ligne.refuse(
                self.label("prestataire"),
                " ".join(
                    [
                        eligibility.refusal(worker, day) or "",
                        _(
                            "Aucune base d'éligibilité ouverte ce jour-là : importez d'abord le fichier des bases "
                            "d'éligibilité (ou encodez-la sur sa fiche), puis ce fichier à nouveau."
                        ),
                    ]
                ).strip(),
            )
        fin, heures = self._slot(ligne, values)
        if ligne.statut == Resultat.REFUSE:
            return
        ligne.libelle = f"{worker} — {client}, {day:%d/%m/%Y} {debut:%H:%M}-{fin:%H:%M}"
        existing = self.existing.get((worker.pk, client.pk, day, debut))
        if existing is not None:
            self._compare(ligne, existing, activite, fin, heures)
            return
        self._record(ligne, values, worker=worker, client=client, activite=activite, fin=fin, heures=heures)

    def _open_basis(self, worker, day) -> bool:
        """Whether a basis of the worker covers the day (whether it opens access is the rule book's to say)."""
        return any(s.depuis <= day and (s.jusqu_au is None or day <= s.jusqu_au) for s in self.bases.get(worker.pk, ()))

    def _slot(self, ligne, values):
        """The end and the hours, one deduced from the other when only one is given."""
        day, debut, fin, heures = values.get("date"), values.get("debut"), values.get("fin"), values.get("heures", "")
        if not day or not debut:
            return None, None
        if not fin and heures == "":
            ligne.refuse(self.label("fin"), _("Indiquez l'heure de fin ou le nombre d'heures."))
            return None, None
        start = datetime.datetime.combine(day, debut)
        if not fin:
            end = start + datetime.timedelta(minutes=int(Decimal(heures) * 60))
            if end.date() != day:
                ligne.refuse(self.label("heures"), _("La plage dépasse minuit : indiquez l'heure de fin."))
                return None, None
            fin = end.time()
        if heures == "":
            span = datetime.datetime.combine(day, fin) - start
            heures = Decimal(span.total_seconds()) / 3600 if span.total_seconds() > 0 else Decimal(0)
        heures = Decimal(heures).quantize(Decimal("0.01"))
        cheques = values.get("cheques", "")
        if cheques != "" and heures > 0 and cheques != vouchers_due(heures):
            ligne.refuse(
                self.label("cheques"),
                _("%(c)s chèque(s) pour %(h)s h : la règle en demande %(n)s (un par heure entamée).")
                % {"c": cheques, "h": fmt_h(heures), "n": vouchers_due(heures)},
            )
        return fin, heures

    def _compare(self, ligne, existing, activite, fin, heures):
        """The same worker, client, date and start: the same prestation, unchanged, or a conflict to fix on screen."""
        if existing.activite_id == activite.pk and existing.fin == fin and existing.heures == heures:
            ligne.statut = Resultat.INCHANGE
            return
        ligne.refuse(
            self.label("debut"),
            _(
                "Une prestation commençant à cette heure est déjà enregistrée (%(a)s, %(debut)s-%(fin)s, %(h)s h) : "
                "corrigez-la à l'écran si le fichier a raison."
            )
            % {
                "a": existing.activite,
                "debut": existing.debut.strftime("%H:%M"),
                "fin": existing.fin.strftime("%H:%M"),
                "h": fmt_h(existing.heures),
            },
        )

    def _record(self, ligne, values, *, worker, client, activite, fin, heures):
        """Records the row through the rule book, inside a savepoint: a refused row leaves nothing behind."""
        try:
            with transaction.atomic():
                prestation = record_prestation(
                    prestataire=worker,
                    utilisateur=client,
                    activite=activite,
                    date=values["date"],
                    debut=values["debut"],
                    fin=fin,
                    heures=heures,
                    statut=Prestation.Statut.VALIDEE,
                    acting_user=self.acting_user,
                    override_reason=values.get("motif") or None,
                )
                if self.reason:
                    update_change_reason(prestation, self.reason)
        except AvertissementPrestation as warning:
            for messages in warning.message_dict.values():
                hint = _("Indiquez un motif dans la colonne « %(c)s ».") % {"c": self.label("motif")}
                ligne.refuse(self.label("date"), " ".join([*messages, hint]))
            return
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                ligne.refuse(self.label(COLUMN_OF.get(field_name, field_name)), " ".join(messages))
            return
        except IntegrityError:
            # A database constraint the checks above do not state (none known): the row alone is refused.
            ligne.refuse(_("Ligne"), _("Cette prestation ne peut pas être enregistrée telle quelle : vérifiez-la."))
            return
        ligne.statut = Resultat.NOUVEAU


IMPORTEURS[PrestationsImporteur.entite] = PrestationsImporteur
