"""What the admin gives each role, model by model. A model registered in the admin without an entry here fails
`test_every_admin_model_has_an_expectation`.

Only the superuser and agency admins (AgenceMembership.is_admin) enter the admin; every other role is sent to the
log-in (302). An agency admin works on the rows of the agencies they administer: another agency's row answers 404
on every page that names it (change, history, one version), as if it did not exist; deleting is the superuser's.
"""

from dataclasses import dataclass

SUPERUSER = "superuser"  # the platform's own data (accounts, Forem side, rule book): agency admins get 403
SCOPED = "scoped"  # agency admins add and change their agencies' rows
SCOPED_NO_ADD = "scoped_no_add"  # one row per agency, created with the agency: changed, never added
SCOPED_READONLY = "scoped_readonly"  # written by the services only: shown, never added or changed here


@dataclass(frozen=True)
class AdminExpect:
    kind: str
    superuser_add: int = 200
    superuser_delete: int = 200


def readonly(kind=SCOPED_READONLY):
    return AdminExpect(kind, superuser_add=403, superuser_delete=403)


ADMIN_MATRIX = {
    "auth.Group": AdminExpect(SUPERUSER),
    "account.EmailAddress": AdminExpect(SUPERUSER),
    "mfa.Authenticator": AdminExpect(SUPERUSER),
    "django_tasks_database.DBTaskResult": AdminExpect(SUPERUSER, superuser_add=403, superuser_delete=403),
    "ale_platform.User": AdminExpect(SUPERUSER),
    "ale_platform.Agence": AdminExpect(SCOPED_NO_ADD),
    "ale_platform.Activite": AdminExpect(SCOPED),
    "ale_platform.AgenceMembership": AdminExpect(SCOPED),
    "ale_platform.PreferenceNotification": readonly(SUPERUSER),
    "ale_platform.NotificationEnAttente": readonly(SUPERUSER),
    "ale_platform.AdresseConnue": AdminExpect(SUPERUSER),
    "ale_platform.Itineraire": AdminExpect(SUPERUSER),
    "prestataires.Prestataire": AdminExpect(SCOPED),
    "prestataires.RegleEligibilite": AdminExpect(SUPERUSER),
    "prestataires.SituationEligibilite": AdminExpect(SCOPED),
    "prestataires.PeriodeOrganismePaiement": AdminExpect(SCOPED),
    "prestataires.ContratALE": AdminExpect(SCOPED),
    "prestataires.Absence": AdminExpect(SCOPED),
    "prestataires.Disponibilite": AdminExpect(SCOPED),
    "prestataires.Document": AdminExpect(SCOPED),
    "prestataires.ChangementStatut": readonly(),
    "prestataires.LectureRemarques": readonly(),
    "utilisateurs.Utilisateur": AdminExpect(SCOPED),
    "utilisateurs.Site": AdminExpect(SCOPED),
    "utilisateurs.Contact": AdminExpect(SCOPED),
    "utilisateurs.Inscription": AdminExpect(SCOPED),
    "utilisateurs.Autorisation": AdminExpect(SCOPED),
    "utilisateurs.Demande": AdminExpect(SCOPED),
    "utilisateurs.Creneau": AdminExpect(SCOPED),
    "utilisateurs.ChangementStatut": readonly(),
    "utilisateurs.Invitation": readonly(),
    "utilisateurs.ParametresUtilisateurs": AdminExpect(SCOPED_NO_ADD),
    "utilisateurs.CongeScolaire": AdminExpect(SUPERUSER),
    "prestations.RegleLegale": AdminExpect(SUPERUSER),
    "ale_platform.ServicePublicEmploi": AdminExpect(SUPERUSER),
    "prestations.RegleFraisDeplacement": AdminExpect(SCOPED),
    "prestations.Prestation": readonly(),
    "prestations.ChequeALE": readonly(),
    "prestations.TransitionCheque": readonly(),
    "prestations.TransitionPrestation": readonly(),
    "prestations.GenerationFormulaires": readonly(),
    "prestations.JetonCalendrier": readonly(),
    "prestations.LienConfirmation": readonly(),
    "prestations.Affectation": readonly(),
    "prestations.Fermeture": AdminExpect(SCOPED),
    "prestations.BilanMensuel": readonly(),
    "forem_liaison.BureauForem": AdminExpect(SUPERUSER),
    "forem_liaison.Conseiller": AdminExpect(SUPERUSER),
    "forem_liaison.EquipeForem": AdminExpect(SUPERUSER),
    "forem_liaison.JetonAPI": AdminExpect(SUPERUSER, superuser_add=403),
    "forem_liaison.Adressage": AdminExpect(SCOPED),
    "forem_liaison.TransitionAdressage": readonly(),
    "forem_liaison.RetourAdressage": readonly(),
    "forem_liaison.ReponseRetour": readonly(),
    "forem_liaison.ParametresForem": AdminExpect(SCOPED_NO_ADD),
    "privacy.ParametresConfidentialite": AdminExpect(SCOPED),
}

OUTSIDERS = ("anonymous", "client", "prestataire", "collab_a", "conseiller")


def expected_status(spec: AdminExpect, view: str, role: str, side: str | None) -> int:
    """`view`: changelist, add, change, history, version, delete; `side`: "a" or "b" for a row's agency."""
    if role in OUTSIDERS:
        return 302
    if role == "superuser":
        return {"add": spec.superuser_add, "delete": spec.superuser_delete}.get(view, 200)
    if spec.kind == SUPERUSER:
        return 403
    if view == "changelist":
        return 200
    if view == "add":
        return 200 if spec.kind == SCOPED else 403
    if view == "delete":
        return 403
    own = side == role.removeprefix("admin_")
    return 200 if own else 404
