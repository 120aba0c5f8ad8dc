"""GDPR: the data take-over's stores in the privacy data map (docs/privacy.md, docs/reprise.md).

An uploaded file and its rows' results hold NISS and names: deleted `REPRISE_CONSERVATION_JOURS` days after the
import (`services.purge_files`, nightly); until then, an anonymised person's identifiers are scrubbed from the rows.
"""

from django.utils.translation import gettext_lazy as _

from ale_platform.privacy.datamap import Store, register_store, s


def register() -> None:
    register_store(
        Store(
            "reprise.Reprise",
            personal=s("fichier", "lignes", "valeurs_inconnues"),
            other=s("entite", "nom_fichier", "correspondance", "statut", "compteurs", "erreur"),
            mentions=s("lignes", "valeurs_inconnues"),
            retention=_(
                "REPRISE_CONSERVATION_JOURS jours (défaut 30) après la fin de l'import ou le dépôt, même bloqué en "
                "analyse ou en import ; puis fichier et lignes supprimés chaque nuit"
            ),
        )
    )
    register_store(Store("reprise.CorrespondanceColonnes", other=s("entite", "colonnes", "valeurs")))
