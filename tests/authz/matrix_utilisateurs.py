from .matrix import STAFF, STAFF_OBJECT_A, expect

MATRIX = {
    "utilisateurs:list": expect(**STAFF),
    "utilisateurs:detail": expect(kwargs=lambda w: {"pk": w.utilisateur_a.pk}, **STAFF_OBJECT_A),
    "utilisateurs:espace": expect(client=200),
}
