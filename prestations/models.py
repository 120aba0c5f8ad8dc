# Prestations, planning and the chèques ALE register arrive with their issue; the app exists from day one.
