"""No-login links for clients who do not log in: confirm or dispute the prestations a link names, once.

The link is tested like a password (tests/prestations/test_liens.py): 256 random bits, only their SHA-256 stored;
single purpose (it can confirm or dispute its own prestations, nothing else); single use; expiring; bound to each
prestation's state when sent, so a link replayed after the prestation changed (new hours, already confirmed,
cancelled) refuses it.
"""

import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import STATUTS_A_CONFIRMER, LienConfirmation, Prestation
from .declarations import dispute_prestation
from .lifecycle import confirm_hours

VALIDITE = datetime.timedelta(days=14)
CONFIRMER, CONTESTER = "confirmer", "contester"


def fingerprint(prestation) -> str:
    """What the client was shown: a change to any of it makes the link refuse this prestation."""
    p = prestation
    raw = f"{p.pk}|{p.statut}|{p.date}|{p.debut}|{p.fin}|{p.heures}|{p.prestataire_id}|{p.utilisateur_id}"
    return hashlib.sha256(raw.encode()).hexdigest()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_link(utilisateur, prestations) -> str:
    """A new link for `utilisateur`'s `prestations` (others are ignored); returns its path (with the token)."""
    own = [p for p in prestations if p.utilisateur_id == utilisateur.pk and p.statut in STATUTS_A_CONFIRMER]
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    LienConfirmation.objects.create(
        utilisateur=utilisateur,
        jeton_hash=_hash(token),
        empreintes={str(p.pk): fingerprint(p) for p in own},
        cree_le=now,
        expire_le=now + VALIDITE,
    )
    return reverse("prestations:lien", args=[token])


def _invalid():
    return ValidationError(
        _("Ce lien n'est plus valable (déjà utilisé, expiré ou inconnu). Connectez-vous ou appelez l'agence."),
        code="lien",
    )


def open_link(token: str, *, lock=False) -> LienConfirmation:
    """The link of `token` if still usable; else a ValidationError that says nothing of why (guessing)."""
    qs = LienConfirmation.objects.select_related("utilisateur")
    if lock:
        qs = qs.select_for_update(of=("self",))
    lien = qs.filter(jeton_hash=_hash(token or "")).first()
    if lien is None or lien.utilise_le is not None or lien.expire_le <= timezone.now():
        raise _invalid()
    return lien


def link_prestations(lien) -> list[tuple[Prestation, bool]]:
    """The link's prestations, each with whether it is still as sent (only those can be answered)."""
    rows = Prestation.objects.filter(pk__in=[int(pk) for pk in lien.empreintes], utilisateur=lien.utilisateur)
    rows = rows.select_related("prestataire", "activite").order_by("date", "debut")
    return [(p, lien.empreintes.get(str(p.pk)) == fingerprint(p)) for p in rows]


@transaction.atomic
def answer_link(token: str, answers: dict[int, tuple[str, str]]) -> list[Prestation]:
    """Applies the client's answers ({pk: (confirmer|contester, comment)}) and uses the link up. All or nothing."""
    lien = open_link(token, lock=True)
    if not answers:
        raise ValidationError(_("Choisissez « Confirmer » ou « Contester » pour au moins une prestation."))
    compte = lien.utilisateur.compte
    done = []
    for pk, (choice, comment) in sorted(answers.items()):
        prestation = (
            Prestation.objects.select_for_update().filter(pk=pk, utilisateur=lien.utilisateur).first()
            if str(pk) in lien.empreintes
            else None
        )
        if prestation is None:
            raise ValidationError(_("Ce lien ne concerne pas cette prestation."), code="lien")
        if lien.empreintes[str(pk)] != fingerprint(prestation):
            raise ValidationError(
                _("La prestation du %(d)s a changé depuis l'envoi du lien : elle ne peut plus être confirmée ici.")
                % {"d": prestation.date.strftime("%d/%m/%Y")},
                code="lien",
            )
        motif = _("Depuis le lien reçu par e-mail")
        if choice == CONFIRMER:
            done.append(confirm_hours(prestation=prestation, acting_user=compte, motif=motif))
        elif choice == CONTESTER:
            done.append(dispute_prestation(prestation=prestation, acting_user=compte, motif=comment, via=motif))
        else:
            raise ValidationError(_("Réponse inconnue."))
    lien.utilise_le = timezone.now()
    lien.save(update_fields=["utilise_le"])
    return done
