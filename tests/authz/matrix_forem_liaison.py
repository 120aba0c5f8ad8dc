import datetime

from django.utils import timezone

from .matrix import ROLES, STAFF, STAFF_OBJECT_A, expect

# The API authenticates with an office token only: a browser session (any role) gets 401, never a redirect.
API_401 = {role: 401 for role in ROLES}


def populate(world):
    from forem_liaison.models import Adressage, RetourAdressage

    a = world.adressage_a
    Adressage.objects.filter(pk=a.pk).update(etat=Adressage.Etat.ENTRETIEN)
    today = timezone.localdate()
    common = {
        "adressage": a,
        "auteur": world.users["collab_a"],
        "periode_debut": today - datetime.timedelta(days=30),
        "periode_fin": today,
        "texte": "Présent et ponctuel.",
    }
    world.objects["retour_brouillon"] = RetourAdressage.objects.create(**common)
    world.objects["retour_publie"] = RetourAdressage.objects.create(
        **common, statut=RetourAdressage.Statut.PUBLIE, publie_le=timezone.now()
    )


def _pk(name):
    return lambda w: {"pk": getattr(w, name).pk}


MATRIX = {
    "forem_liaison:conseiller_home": expect(conseiller=200),
    "forem_liaison:conseiller_create": expect(conseiller=200),
    "forem_liaison:staff_list": expect(**STAFF),
    "forem_liaison:parametres": expect(**STAFF),
    # The adviser who made the referral sees it too.
    "forem_liaison:detail": expect(kwargs=_pk("adressage_a"), conseiller=200, **STAFF_OBJECT_A),
    "forem_liaison:rapport_pdf": expect(kwargs=_pk("adressage_a"), conseiller=200, **STAFF_OBJECT_A),
    "forem_liaison:transition": expect(
        kwargs=_pk("adressage_a"),
        method="post",
        data=lambda w: {"vers": "cloture", "issue": "emploi"},
        collab_a=302,
        collab_b=404,
    ),
    "forem_liaison:withdraw": expect(
        kwargs=_pk("adressage_a"), method="post", data=lambda w: {"confirme": "1"}, conseiller=302
    ),
    "forem_liaison:withdraw_undo": expect(kwargs=_pk("adressage_a"), method="post", conseiller=404),
    "forem_liaison:share": expect(kwargs=_pk("adressage_a"), method="post", data=lambda w: {}, conseiller=302),
    "forem_liaison:retour_create": expect(kwargs=_pk("adressage_a"), **STAFF_OBJECT_A),
    "forem_liaison:retour_edit": expect(kwargs=_pk("retour_brouillon"), **STAFF_OBJECT_A),
    "forem_liaison:retour_refus": expect(kwargs=_pk("retour_brouillon"), **STAFF_OBJECT_A),
    "forem_liaison:retour_publish": expect(
        kwargs=_pk("retour_brouillon"), method="post", data=lambda w: {}, collab_a=302, collab_b=404
    ),
    "forem_liaison:retour_reply": expect(
        kwargs=_pk("retour_publie"),
        method="post",
        data=lambda w: {"texte": "Merci pour ce retour."},
        collab_a=302,
        collab_b=404,
        conseiller=302,
    ),
    # The worker reads the published feedback about themselves (scoped by their own file's NISS).
    "forem_liaison:mes_retours": expect(prestataire=200),
    # API v1: the schema is public, everything else needs an office token.
    "api_v1:openapi-json": expect(**{role: 200 for role in ROLES}),
    # The API's reference page, public like the schema it renders.
    "api_v1:openapi-view": expect(**{role: 200 for role in ROLES}),
    # ninja's root placeholder and any unknown address under /api/v1/: a problem+json 404.
    "api_v1:api-root": expect(**{role: 404 for role in ROLES}),
    "api_v1:introuvable": expect(kwargs=lambda w: {"chemin": "inconnu"}, **{role: 404 for role in ROLES}),
    "api_v1:agences": expect(**API_401),
    "api_v1:adressages": expect(**API_401),
    "api_v1:adressages_create": expect(method="post", data=lambda w: {}, **API_401),
    "api_v1:adressage": expect(kwargs=lambda w: {"adressage_id": w.adressage_a.pk}, **API_401),
    "api_v1:adressage_retrait": expect(
        kwargs=lambda w: {"adressage_id": w.adressage_a.pk}, method="post", data=lambda w: {}, **API_401
    ),
}
