import datetime

from django.utils import timezone

from forem_liaison import services
from forem_liaison.models import EquipeForem, JetonAPI
from tests.factories import (  # noqa: F401  (re-exported for the app's tests)
    AdressageFactory,
    AgenceFactory,
    BureauForemFactory,
    CollaborateurFactory,
    ConseillerFactory,
    PrestataireFactory,
    PrestationFactory,
    niss_sequence,
)


def move(adressage, *states, acting_user, prestataire=None):
    """Walks a referral through states with the real service (a collaborator of its agency acts)."""
    for vers in states:
        extra = {}
        if vers == "inscrit":
            extra["prestataire"] = prestataire or PrestataireFactory(agence=adressage.agence, niss=adressage.niss)
        if vers == "cloture":
            extra["issue"] = "emploi"
        if vers == "refuse":
            extra["motif"] = "Domicile hors du territoire de l'agence."
        adressage = services.transition(adressage=adressage, vers=vers, acting_user=acting_user, **extra)
    return adressage


def draft_retour(adressage, acting_user, texte="Ponctuel et motivé, très apprécié des utilisateurs.", days=30):
    today = timezone.localdate()
    return services.create_retour(
        adressage=adressage,
        periode_debut=today - datetime.timedelta(days=days),
        periode_fin=today,
        texte=texte,
        acting_user=acting_user,
    )


def equipe(bureau, *membres, nom="Équipe jeunes"):
    team = EquipeForem.objects.create(bureau=bureau, nom=nom)
    team.membres.add(*membres)
    return team


def token(bureau, created_by):
    return JetonAPI.issue(bureau=bureau, nom="Système du Forem", created_by=created_by)
