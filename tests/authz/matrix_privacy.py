from .matrix import STAFF_OBJECT_A, expect

MATRIX = {
    # POST: each export is logged, so it is never triggered by a mere visit.
    "privacy:export_prestataire": expect(
        method="post", kwargs=lambda w: {"pk": w.objects["prestataire_a"].pk}, **STAFF_OBJECT_A
    ),
    "privacy:export_utilisateur": expect(
        method="post", kwargs=lambda w: {"pk": w.objects["utilisateur_a"].pk}, **STAFF_OBJECT_A
    ),
    "privacy:export_adressage": expect(
        method="post", kwargs=lambda w: {"pk": w.objects["adressage_a"].pk}, **STAFF_OBJECT_A
    ),
    # Agency admins and the superuser only: the world's collaborators are not admins (tests/privacy covers admins).
    "privacy:journal": expect(),
}
