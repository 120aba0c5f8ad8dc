from .matrix import STAFF, STAFF_OBJECT_A, expect

MATRIX = {
    "prestataires:list": expect(**STAFF),
    "prestataires:detail": expect(kwargs=lambda w: {"pk": w.prestataire_a.pk}, **STAFF_OBJECT_A),
    "prestataires:espace": expect(prestataire=200),
}
