"""Hand-written SQL of each measured page's essential queries: the floor the page is compared with.

Each function takes the measurement environment (`measure.Env`) and returns [(sql, params)]; the
benchmark times executing and fetching all of them. Written for PostgreSQL.
"""

import datetime

DONE = ("effectuee", "validee")


def _twelve_months(today: datetime.date) -> datetime.date:
    first = today.replace(day=1)
    for _i in range(11):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return first


def meters(env) -> list[tuple[str, list]]:
    """The year's hours of every active worker of the agency, split as the caps need (one aggregate)."""
    today = env.today
    month_start = today.replace(day=1)
    params = {
        "agence": env.agence.pk,
        "m": month_start,
        "next_m": (month_start + datetime.timedelta(days=32)).replace(day=1),
        "y": datetime.date(today.year, 1, 1),
        "next_y": datetime.date(today.year + 1, 1, 1),
    }
    return [
        (
            "SELECT id, nom, prenom FROM prestataires_prestataire WHERE agence_id = %(agence)s AND statut = 'actif'",
            params,
        ),
        (
            """SELECT prestataire_id,
                   COALESCE(SUM(heures) FILTER (WHERE in_month AND categorie = 'generale'), 0),
                   COALESCE(SUM(heures) FILTER (WHERE in_month AND categorie = 'majoree'), 0),
                   COALESCE(SUM(heures) FILTER (WHERE in_month AND categorie = 'agricole'), 0),
                   COALESCE(SUM(heures) FILTER (WHERE in_month AND statut IN ('effectuee', 'validee')), 0),
                   SUM(heures)
              FROM (SELECT p.prestataire_id, p.heures, p.statut, a.categorie,
                           p.date >= %(m)s AND p.date < %(next_m)s AS in_month
                      FROM prestations_prestation p
                      JOIN ale_platform_activite a ON a.id = p.activite_id
                     WHERE p.prestataire_id IN (SELECT id FROM prestataires_prestataire
                                                 WHERE agence_id = %(agence)s AND statut = 'actif')
                       AND p.date >= %(y)s AND p.date < %(next_y)s
                       AND p.statut NOT IN ('annulee', 'absence')) AS year_rows
             GROUP BY prestataire_id""",
            params,
        ),
    ]


def dashboard(env) -> list[tuple[str, list]]:
    today = env.today
    agence = env.agence.pk
    week_end = today + datetime.timedelta(days=6 - today.weekday())
    since = _twelve_months(today)
    return [
        (
            """SELECT COUNT(*) FILTER (WHERE date = %(today)s AND statut = 'planifiee'),
                      COUNT(*) FILTER (WHERE date BETWEEN %(today)s AND %(week_end)s AND statut = 'planifiee'),
                      COUNT(*) FILTER (WHERE date < %(today)s AND statut = 'planifiee'),
                      COUNT(*) FILTER (WHERE statut = 'effectuee')
                 FROM prestations_prestation
                WHERE agence_id = %(agence)s AND statut IN ('planifiee', 'effectuee')""",
            {"today": today, "week_end": week_end, "agence": agence},
        ),
        (
            "SELECT COUNT(*) FROM utilisateurs_demande WHERE agence_id = %s AND statut IN ('nouvelle', 'en_recherche')",
            [agence],
        ),
        ("SELECT COUNT(*) FROM forem_liaison_adressage WHERE agence_id = %s AND etat = 'recu'", [agence]),
        (
            """SELECT COUNT(*) FROM utilisateurs_autorisation au
                 JOIN utilisateurs_utilisateur u ON u.id = au.utilisateur_id
                WHERE u.agence_id = %s AND au.fin BETWEEN %s AND %s""",
            [agence, today, today + datetime.timedelta(days=30)],
        ),
        *meters(env),
        (
            """SELECT COUNT(*) FROM prestations_chequeale
                WHERE agence_id = %s AND statut IN ('conteste', 'contestee', 'impayee')""",
            [agence],
        ),
        # The charts: the monthly summaries (prestations_bilanmensuel) and the vouchers received per month.
        (
            """SELECT mois, heures_generale, heures_majoree, heures_agricole, prestataires, utilisateurs
                 FROM prestations_bilanmensuel WHERE agence_id = %s AND mois BETWEEN %s AND %s""",
            [agence, since, today],
        ),
        (
            """SELECT date_trunc('month', created_at AT TIME ZONE 'Europe/Brussels'), type, SUM(quantite)
                 FROM prestations_chequeale
                WHERE agence_id = %s AND created_at >= %s AND statut <> 'annule'
                GROUP BY 1, 2""",
            [agence, since],
        ),
    ]


def prestataire_list(env) -> list[tuple[str, list]]:
    return [
        (
            """SELECT id, nom, prenom, code_postal, commune, statut FROM prestataires_prestataire
                WHERE agence_id = %s AND statut = 'actif' ORDER BY nom, prenom""",
            [env.agence.pk],
        )
    ]


def espace_client(env) -> list[tuple[str, list]]:
    return [
        (
            """SELECT u.*, a.nom, a.rue, a.code_postal, a.commune, a.telephone, a.email
                 FROM utilisateurs_utilisateur u JOIN ale_platform_agence a ON a.id = u.agence_id
                WHERE u.compte_id = %s LIMIT 1""",
            [env.client.pk],
        )
    ]


def client_history(env) -> list[tuple[str, list]]:
    """A client's last 50 prestations (the history page of the booking issue will need this)."""
    return [
        (
            """SELECT p.date, p.debut, p.fin, p.heures, p.statut, w.prenom, w.nom, a.nom
                 FROM prestations_prestation p
                 JOIN prestataires_prestataire w ON w.id = p.prestataire_id
                 JOIN ale_platform_activite a ON a.id = p.activite_id
                WHERE p.utilisateur_id = (SELECT id FROM utilisateurs_utilisateur WHERE compte_id = %s)
                ORDER BY p.date DESC, p.debut DESC LIMIT 50""",
            [env.client.pk],
        )
    ]


def conseiller_list(env) -> list[tuple[str, list]]:
    return [
        (
            """SELECT ad.id, ad.nom, ad.prenom, ad.niss, ad.date_adressage, ad.etat, ag.nom
                 FROM forem_liaison_adressage ad
                 JOIN forem_liaison_conseiller c ON c.id = ad.conseiller_id
                 JOIN ale_platform_agence ag ON ag.id = ad.agence_id
                WHERE c.user_id = %s ORDER BY ad.date_adressage DESC, ad.nom""",
            [env.conseiller.pk],
        )
    ]
