"""The agency's settings form: what its admin may set, never above the law (`prestations.rulebook`)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ale_platform import numbers
from ale_platform.models import Agence
from ale_platform.numbers import euros
from prestations.rulebook import law_in_force
from prestations.rulebook.law import agency_price_problems, voucher_price_problem

CAPS = {
    "plafond_mensuel": "plafond_mensuel",
    "plafond_mensuel_majore": "plafond_mensuel_majore",
    "plafond_mensuel_agricole": "plafond_mensuel_agricole",
    "plafond_hors_agricole": "plafond_hors_agricole",
    "plafond_annuel": "plafond_annuel",
}

# The agency's voucher prices and whether each is for agricultural/horticultural work (theux.be: 6,20 €).
PRICES = {"prix_cheque": False, "prix_cheque_agricole": True}


class AgenceParametresForm(forms.ModelForm):
    """What an agency admin sets for their agency: voucher price, annual fee and its own planning caps, which
    may only be lower than the law's (`prestations.rulebook`)."""

    class Meta:
        model = Agence
        fields = [
            "prix_cheque",
            "prix_cheque_agricole",
            "cotisation_annuelle",
            "plafond_mensuel",
            "plafond_mensuel_majore",
            "plafond_mensuel_agricole",
            "plafond_hors_agricole",
            "plafond_annuel",
            "jour_cloture",
        ]
        localized_fields = ["prix_cheque", "prix_cheque_agricole", "cotisation_annuelle"]  # "6,20" as Belgians write it

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.law = law_in_force(self.instance.region, timezone.localdate())
        for name in CAPS:
            legal = self.law.raw(name)
            self.fields[name].help_text = (
                _("Au plus %(cap)s h (la loi) ; une valeur plus basse limite l'agence.") % {"cap": legal}
                if legal is not None
                else _("La loi de la région ne fixe pas ce plafond (non sourcé) : les heures sont refusées.")
            )
        if self.law.prix_cheque_fixe:
            self.fields["prix_cheque"].help_text = _("Prix fixé par la région : %(p)s €.") % {
                "p": numbers.euros(self.law.prix_minimum_cheque)
            }
        if self.law.cotisation_annuelle is not None:
            self.fields["cotisation_annuelle"].help_text = _("Montant fixé par la région : %(p)s €.") % {
                "p": numbers.euros(self.law.cotisation_annuelle)
            }
        for name, agricole in PRICES.items():
            if name == "prix_cheque" and self.law.prix_cheque_fixe:
                continue
            self.fields[name].help_text = _("Au moins %(p)s € (minimum légal).") % {
                "p": euros(self.law.prix_minimum(agricole=agricole))
            }

    def clean(self):
        cleaned = super().clean()
        for name, legal_name in CAPS.items():
            value, legal = cleaned.get(name), self.law.raw(legal_name)
            if value is not None and legal is not None and value > legal:
                self.add_error(
                    name,
                    _("La loi fixe ce plafond à %(cap)s h : une agence peut planifier en dessous, jamais au-dessus.")
                    % {"cap": legal},
                )
        price = cleaned.get("prix_cheque")
        if price is not None and self.law.prix_cheque_fixe and price != self.law.prix_minimum_cheque:
            self.add_error("prix_cheque", voucher_price_problem(self.law, price))
        else:
            prices = Agence(
                region=self.instance.region,
                **{name: cleaned.get(name) for name in PRICES if cleaned.get(name) is not None},
            )
            for name, problem in agency_price_problems(prices).items():
                if name in cleaned:
                    self.add_error(name, problem)
        fee, legal_fee = cleaned.get("cotisation_annuelle"), self.law.cotisation_annuelle
        if fee is not None and legal_fee is not None and fee != legal_fee:
            self.add_error(
                "cotisation_annuelle",
                _("La région %(region)s fixe l'inscription annuelle à %(p)s €.")
                % {"region": self.instance.get_region_display(), "p": numbers.euros(legal_fee)},
            )
        general, annual = cleaned.get("plafond_mensuel"), cleaned.get("plafond_annuel")
        if general is not None and annual is not None and general > annual:
            self.add_error("plafond_mensuel", _("Le plafond mensuel ne peut pas dépasser le plafond annuel."))
        return cleaned
