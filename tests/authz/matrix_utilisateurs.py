"""Access to the clients' pages: staff of agency A only for A's files; a client only to their own."""

import datetime
import uuid

from django.utils import timezone

from utilisateurs.models import ChangementStatut, Creneau, Demande, Inscription, Invitation

from .matrix import STAFF, STAFF_OBJECT_A, expect


def populate(world):
    """A request with one wished date for the walk's client (agency A), and what the staff pages need."""
    from tests.factories import ActiviteFactory, UtilisateurFactory

    u = world.utilisateur_a
    activite = ActiviteFactory(agence=world.agence_a)
    day = timezone.localdate() + datetime.timedelta(days=20)
    demande = Demande.objects.create(
        agence=world.agence_a,
        utilisateur=u,
        activite=activite,
        description="Tonte",
        cle_idempotence=uuid.uuid4(),
    )
    ChangementStatut.objects.create(demande=demande, de="", vers="nouvelle", motif="Envoyée")
    world.objects["demande_a"] = demande
    world.objects["creneau_a"] = Creneau.objects.create(
        demande=demande, date=day, debut=datetime.time(9), fin=datetime.time(11)
    )
    world.objects["inscription_a"] = Inscription.objects.create(utilisateur=u, annee=timezone.localdate().year)
    offline = UtilisateurFactory(agence=world.agence_a)
    world.objects["invitation_a"] = Invitation.objects.create(
        utilisateur=offline,
        email=world.users["client"].email,
        expire_le=timezone.now() + datetime.timedelta(days=14),
    )


U_A = {"kwargs": lambda w: {"pk": w.utilisateur_a.pk}}
year = timezone.localdate().year

MATRIX = {
    "utilisateurs:list": expect(**STAFF),
    "utilisateurs:export": expect(**STAFF),
    "utilisateurs:export_xlsx": expect(**STAFF),
    "utilisateurs:create": expect(**STAFF),
    "utilisateurs:expirant": expect(**STAFF),
    "utilisateurs:demande_list": expect(**STAFF),
    "utilisateurs:parametres": expect(),  # agency administrators only; the walk's collaborators are not
    "utilisateurs:detail": expect(**U_A, **STAFF_OBJECT_A),
    "utilisateurs:edit": expect(**U_A, **STAFF_OBJECT_A),
    "utilisateurs:site_add": expect(**U_A, **STAFF_OBJECT_A),
    "utilisateurs:contact_add": expect(**U_A, **STAFF_OBJECT_A),
    "utilisateurs:inscription_add": expect(**U_A, **STAFF_OBJECT_A),
    "utilisateurs:autorisation_add": expect(**U_A, **STAFF_OBJECT_A),
    "utilisateurs:staff_demande_create": expect(**U_A, **STAFF_OBJECT_A),
    "utilisateurs:invite": expect(
        method="post", data=lambda w: {"email": "x@example.be"}, **U_A, collab_a=302, collab_b=404
    ),
    "utilisateurs:inscription_validate": expect(
        method="post", kwargs=lambda w: {"pk": w.inscription_a.pk}, collab_a=302, collab_b=404
    ),
    "utilisateurs:staff_demande": expect(kwargs=lambda w: {"pk": w.demande_a.pk}, **STAFF_OBJECT_A),
    # client
    "utilisateurs:espace": expect(client=200),
    "utilisateurs:profil": expect(client=302),  # the walk's client already has a file
    "utilisateurs:renouveler": expect(method="post", client=302),
    "utilisateurs:reserver": expect(client=200),
    "utilisateurs:demande": expect(kwargs=lambda w: {"pk": w.demande_a.pk}, client=200),
    "utilisateurs:demande_annuler": expect(
        method="post", kwargs=lambda w: {"pk": w.demande_a.pk}, data=lambda w: {"confirme": "1"}, client=302
    ),
    "utilisateurs:demande_annuler_undo": expect(method="post", kwargs=lambda w: {"pk": w.demande_a.pk}, client=404),
    # GET asks for confirmation; the POST that cancels is tested with the follow-up of requests.
    "utilisateurs:creneau_annuler": expect(kwargs=lambda w: {"pk": w.creneau_a.pk}, client=200),
    "utilisateurs:creneau_deplacer": expect(kwargs=lambda w: {"pk": w.creneau_a.pk}, client=200),
    "utilisateurs:releve": expect(kwargs=lambda w: {"year": year}, client=200),
    "utilisateurs:invitation": expect(kwargs=lambda w: {"token": w.invitation_a.token}, client=200),
}
