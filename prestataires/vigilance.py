"""What staff must watch on workers' files: eligibility bases that end soon, payment bodies to confirm."""

import datetime

from django.db.models import Exists, OuterRef, Q

from ale_platform.counts import count_all

from .models import OrganismePaiement, Prestataire, SituationEligibilite

WINDOW = datetime.timedelta(days=30)


def ending_q(today: datetime.date) -> Q:
    """Files with an eligibility basis that ends within 30 days (ALEs check a worker's status regularly:
    the federal time limit on benefits ends bases in waves from 1.1.2026 to 1.7.2027, levif.be)."""
    ending = SituationEligibilite.objects.filter(
        prestataire_id=OuterRef("pk"), jusqu_au__gte=today, jusqu_au__lte=today + WINDOW
    )
    return Q(Exists(ending))


def a_confirmer_q() -> Q:
    """Files whose payment body is unknown (a 2026 route (a) worker: no body found in the sources)."""
    return Q(organisme_paiement__in=[OrganismePaiement.A_CONFIRMER, ""])


def watched(agence, today: datetime.date) -> dict:
    """{tile: the agency's files to watch} as querysets, for a page that counts them with its other tiles."""
    active = Prestataire.objects.filter(agence=agence).exclude(statut=Prestataire.Statut.SORTI)
    return {
        "bases_ending": active.filter(ending_q(today)),
        "organisme_a_confirmer": active.filter(a_confirmer_q()),
    }


def counts(agence, today: datetime.date) -> dict[str, int]:
    """How many files of the agency to watch, per tile, in one query."""
    return count_all(**watched(agence, today))
