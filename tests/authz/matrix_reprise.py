from .matrix import STAFF, expect

# Agency admins and the superuser import everything; the walk's collaborators are not admins (tests/reprise covers
# admins): they import vouchers only, into their agency, and see no other kind of import (404, not revealed).
KW = {"kwargs": lambda w: {"pk": w.objects["reprise_a"].pk}}
NOT_FOUND = {"collab_a": 404, "collab_b": 404}


def populate(world):
    from reprise.models import Reprise

    if "reprise_a" not in world.objects:
        world.objects["reprise_a"] = Reprise.objects.create(
            agence=world.agence_a, entite="prestataires", fichier="reprises/authz.csv", nom_fichier="authz.csv"
        )


MATRIX = {
    "reprise:index": expect(**STAFF),
    "reprise:cheques": expect(collab_a=302, collab_b=302),
    "reprise:modele": expect(kwargs=lambda w: {"entite": "prestataires"}),
    "reprise:exemple": expect(kwargs=lambda w: {"entite": "prestataires"}),
    "reprise:correspondance": expect(**KW, **NOT_FOUND),
    "reprise:detail": expect(**KW, **NOT_FOUND),
    "reprise:valeurs": expect(method="post", **KW, **NOT_FOUND),
    "reprise:confirmer": expect(method="post", **KW, **NOT_FOUND),
    "reprise:rapport": expect(**KW, **NOT_FOUND),
}
