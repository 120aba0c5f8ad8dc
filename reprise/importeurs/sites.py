"""Sites of legal persons (`Site`)."""

from django.utils.translation import gettext_lazy as _l

from utilisateurs.forms import SiteForm
from utilisateurs.models import Site

from ..champs import Champ, normalise
from ..models import Entite
from ..validation import for_import
from .base import IMPORTEURS, _ParClient
from .colonnes import ADRESSE, CLIENT

SiteImportForm = for_import(SiteForm)


class SitesImporteur(_ParClient):
    entite = Entite.SITES
    key_field = "nom"
    champs = [
        CLIENT,
        Champ(
            "nom",
            _l("Nom du site"),
            ("site", "lieu", "implantation", "vestiging", "locatie", "naamsite"),
            required=True,
            example="École du Centre",
        ),
        *ADRESSE[:3],
    ]
    FORM_FIELDS = list(SiteForm.Meta.fields)

    def key(self, values):
        return f"{values.get('client', '')}:{normalise(values.get('nom', ''))}" if values.get("nom") else ""

    def prepare(self, rows):
        self.prepare_clients(rows)
        self.existing = {
            (s.utilisateur_id, normalise(s.nom)): s
            for s in Site.objects.filter(utilisateur__in=list(self.clients.values()))
        }

    def check(self, ligne, values):
        client = self.client(ligne, values)
        if client is None:
            return
        ligne.libelle = f"{client} — {values.get('nom', '')}"
        instance = self.existing.get((client.pk, normalise(values.get("nom", ""))))
        before, data = self._overlay(instance, values)
        form = SiteImportForm(data=data, instance=instance or Site(utilisateur=client), utilisateur=client)
        if self._finish(ligne, form, before, self.FORM_FIELDS):
            form.instance.utilisateur = client
            self._writer(ligne, form)


IMPORTEURS[SitesImporteur.entite] = SitesImporteur
