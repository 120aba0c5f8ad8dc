"""Referrals as the API shows them: typed values, stable ids, anonymised data as null (never invented)."""

from decimal import Decimal, InvalidOperation

from ..models import Adressage, RetourAdressage
from ..privacy import adressage_is_anonymised, retour_is_anonymised


def _hours(value) -> float:
    try:
        return float(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return 0.0


def faits_out(faits: dict) -> dict | None:
    """The frozen facts, typed; None when there are none (an anonymised entry's facts were emptied)."""
    if not faits:
        return None
    return {
        "rendez_vous_honores": faits.get("rendez_vous_honores", 0),
        "rendez_vous_manques": faits.get("rendez_vous_manques", 0),
        "inscrit_ale": faits.get("inscrit_ale", False),
        "heures_par_mois": [
            {"mois": m["mois"], "heures": _hours(m["heures"]), "seuil_atteint": m["seuil_atteint"]}
            for m in faits.get("heures_par_mois", [])
        ],
        "heures_toutes_ale": faits.get("heures_toutes_ale", False),
        "seuil_heures": _hours(faits.get("seuil_heures", "45")),
        "regularite": faits.get("regularite"),
        "prestations_refusees": faits.get("prestations_refusees"),
        "refus": faits.get("refus"),
    }


def person_name(user) -> str:
    return user.get_full_name() or user.email


def adressage_out(a: Adressage) -> dict:
    anonymised = adressage_is_anonymised(a)

    def personal(value):
        return None if anonymised else value

    conseiller = a.conseiller
    return {
        "id": a.pk,
        "modifie_le": a.updated_at,
        "anonymise": anonymised,
        "nom": personal(a.nom),
        "prenom": personal(a.prenom),
        "niss": personal(a.niss),
        "numero_dossier_forem": personal(a.numero_dossier_forem),
        "conseiller": {"id": conseiller.pk, "email": conseiller.user.email, "nom": person_name(conseiller.user)},
        "agence": {"id": a.agence.pk, "nom": a.agence.nom, "commune": a.agence.commune},
        "date_adressage": a.date_adressage,
        "categories": list(a.categories),
        "motif": personal(a.motif),
        "etat": a.etat,
        "etat_libelle": str(a.get_etat_display()),
        "issue": a.issue or None,
        "issue_libelle": str(a.get_issue_display()) if a.issue else None,
        "motif_refus": personal(a.motif_refus),
    }


def retour_out(r: RetourAdressage) -> dict:
    anonymised = retour_is_anonymised(r)
    return {
        "id": r.pk,
        "periode_debut": r.periode_debut,
        "periode_fin": r.periode_fin,
        "publie_le": r.publie_le,
        "auteur": person_name(r.auteur),
        "anonymise": anonymised,
        "texte": None if anonymised else r.texte,
        "faits": None if anonymised else faits_out(r.faits),
        "corrige": r.corrige_id,
        "reponses": [
            {
                "id": rep.pk,
                "auteur": person_name(rep.auteur),
                "texte": None if anonymised else rep.texte,
                "le": rep.created_at,
            }
            for rep in r.reponses.all()
        ],
    }


def detail_out(a: Adressage) -> dict:
    retours = (
        RetourAdressage.objects.published()
        .filter(adressage=a)
        .select_related("auteur")
        .prefetch_related("reponses__auteur")
    )
    transitions = a.transitions.select_related("par").order_by("le", "pk")
    return adressage_out(a) | {
        "transitions": [
            {"id": t.pk, "de": t.de or None, "vers": t.vers, "le": t.le, "motif": t.motif, "par": person_name(t.par)}
            for t in transitions
        ],
        "retours": [retour_out(r) for r in retours],
    }
