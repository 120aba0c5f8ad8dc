from .matrix import EVERYONE, STAFF, expect

MATRIX = {
    "home": expect(client=302, prestataire=302, collab_a=302, collab_b=302, conseiller=302),
    "dashboard": expect(**STAFF),
    "yearly_report": expect(**STAFF),
    # POST only: a GET is refused for everyone before any other check.
    "agence_parametres": expect(),  # agency administrators only; the walk's collaborators are not
    "agence_switch": expect(**{role: 405 for role in EVERYONE}),
    "language_switch": expect(**{role: 405 for role in EVERYONE}),  # POST only, open to everyone
    "healthz": expect(**EVERYONE),
    "notification_preferences": expect(**{role: 200 for role in EVERYONE if role != "anonymous"}),
    "admin:index": expect(client=302, prestataire=302, collab_a=302, collab_b=302, conseiller=302),
}
