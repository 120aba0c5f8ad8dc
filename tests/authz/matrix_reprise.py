from .matrix import expect

# Agency admins and the superuser only: the walk's collaborators are not admins (tests/reprise covers admins).
KW = {"kwargs": lambda w: {"pk": w.objects["reprise_a"].pk}}


def populate(world):
    from reprise.models import Reprise

    if "reprise_a" not in world.objects:
        world.objects["reprise_a"] = Reprise.objects.create(
            agence=world.agence_a, entite="prestataires", fichier="reprises/authz.csv", nom_fichier="authz.csv"
        )


MATRIX = {
    "reprise:index": expect(),
    "reprise:modele": expect(kwargs=lambda w: {"entite": "prestataires"}),
    "reprise:exemple": expect(kwargs=lambda w: {"entite": "prestataires"}),
    "reprise:correspondance": expect(**KW),
    "reprise:detail": expect(**KW),
    "reprise:confirmer": expect(method="post", **KW),
    "reprise:rapport": expect(**KW),
}
