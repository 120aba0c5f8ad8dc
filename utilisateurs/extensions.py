"""What the client's pages and services need from the prestations app (which fills these from its ready())."""

from ale_platform.extensions import Hook

# client_prestations(utilisateur, year=None, *, limit=None) -> the client's prestations (the `limit` newest)
client_prestations = Hook("utilisateurs.client_prestations")
# client_yearly_statement(utilisateur, year) -> {"prestations", "total_heures", "par_activite", "cheques"}
client_yearly_statement = Hook("utilisateurs.client_yearly_statement")
# demande_sessions(demande, *, now=None, can_cancel=None) -> the request's sessions as planned, moved and worked
demande_sessions = Hook("utilisateurs.demande_sessions")
# demande_timeline(demande) -> the request's story (status changes, plannings, moves)
demande_timeline = Hook("utilisateurs.demande_timeline")
# next_sessions(demandes) -> {request id: its next session still to come, or None}, in a few queries
next_sessions = Hook("utilisateurs.next_sessions")
# cancel_planned_sessions(*, demande, dates, acting_user, motif) -> [id of each cancellation's logged step]:
# cancels what was planned on those dates
cancel_planned_sessions = Hook("utilisateurs.cancel_planned_sessions")
# restore_cancelled_sessions(*, demande, transition_ids, acting_user): undoes those cancellations (an undo), raises
# ValidationError when one is no longer the session's last step
restore_cancelled_sessions = Hook("utilisateurs.restore_cancelled_sessions")
# move_planned_sessions(*, demande, old_date, date, debut, fin, acting_user, motif): raises ValidationError
move_planned_sessions = Hook("utilisateurs.move_planned_sessions")
