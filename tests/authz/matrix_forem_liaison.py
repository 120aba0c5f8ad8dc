from .matrix import STAFF, STAFF_OBJECT_A, expect

MATRIX = {
    "forem_liaison:conseiller_home": expect(conseiller=200),
    "forem_liaison:staff_list": expect(**STAFF),
    # The adviser who made the referral sees it too.
    "forem_liaison:detail": expect(kwargs=lambda w: {"pk": w.adressage_a.pk}, conseiller=200, **STAFF_OBJECT_A),
}
