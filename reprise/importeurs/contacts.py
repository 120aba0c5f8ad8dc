"""Contact persons of legal persons (`Contact`)."""

from django.utils.translation import gettext_lazy as _l

from utilisateurs.forms import ContactForm
from utilisateurs.models import Contact

from ..champs import Champ, normalise
from ..models import Entite
from ..validation import for_import
from .base import IMPORTEURS, _ParClient
from .colonnes import ADRESSE, CLIENT

ContactImportForm = for_import(ContactForm)


class ContactsImporteur(_ParClient):
    entite = Entite.CONTACTS
    key_field = "nom"
    champs = [
        CLIENT,
        Champ("nom", _l("Nom"), ("nomdefamille", "achternaam", "naam", "familienaam"), required=True, example="Martin"),
        Champ("prenom", _l("Prénom"), ("voornaam",), required=True, example="Claire"),
        Champ("fonction", _l("Fonction"), ("role", "qualite", "functie"), example="Directrice"),
        *ADRESSE[3:],
    ]
    FORM_FIELDS = list(ContactForm.Meta.fields)

    def key(self, values):
        if not values.get("nom"):
            return ""
        return f"{values.get('client', '')}:{normalise(values['nom'])}:{normalise(values.get('prenom', ''))}"

    def prepare(self, rows):
        self.prepare_clients(rows)
        self.existing = {
            (c.utilisateur_id, normalise(c.nom), normalise(c.prenom)): c
            for c in Contact.objects.filter(utilisateur__in=list(self.clients.values()))
        }

    def check(self, ligne, values):
        client = self.client(ligne, values)
        if client is None:
            return
        ligne.libelle = f"{values.get('prenom', '')} {values.get('nom', '')} ({client})"
        key = (client.pk, normalise(values.get("nom", "")), normalise(values.get("prenom", "")))
        instance = self.existing.get(key)
        before, data = self._overlay(instance, values)
        form = ContactImportForm(data=data, instance=instance or Contact(utilisateur=client))
        if self._finish(ligne, form, before, self.FORM_FIELDS):
            form.instance.utilisateur = client
            self._writer(ligne, form)


IMPORTEURS[ContactsImporteur.entite] = ContactsImporteur
