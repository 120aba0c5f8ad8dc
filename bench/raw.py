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
    """A client's last 100 prestations but the cancelled ones ("Mes prestations")."""
    return [
        (
            """SELECT p.date, p.debut, p.fin, p.heures, p.statut, w.prenom, w.nom, a.nom
                 FROM prestations_prestation p
                 JOIN prestataires_prestataire w ON w.id = p.prestataire_id
                 JOIN ale_platform_activite a ON a.id = p.activite_id
                WHERE p.utilisateur_id IN (SELECT id FROM utilisateurs_utilisateur WHERE compte_id = %s)
                  AND p.statut <> 'annulee'
                ORDER BY p.date DESC, p.debut DESC LIMIT 100""",
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


def _lock(vendor_sql: str) -> str:
    """`FOR UPDATE` on PostgreSQL; SQLite (the smoke test) locks the whole database on write instead."""
    from django.db import connection

    return f"{vendor_sql} FOR UPDATE" if connection.vendor == "postgresql" else vendor_sql


def matching(env) -> list[tuple[str, list]]:
    """The candidates of a request: the agency's workers, then one query per kind of data, as `candidates` does."""
    demande = env.objects["demande"]
    days = [row for row in demande.creneaux.filter(annule=False).order_by("date").values_list("date", flat=True)]
    first = days[0] if days else env.today
    last = days[-1] if days else first
    year = datetime.date(first.year, 1, 1)
    workers = "SELECT id FROM prestataires_prestataire WHERE agence_id = %(agence)s AND statut <> 'sorti'"
    params = {
        "agence": demande.agence_id,
        "demande": demande.pk,
        "activite": demande.activite_id,
        "first": first,
        "last": last,
        "y": year,
        "next_y": datetime.date(first.year + 1, 1, 1),
    }
    return [
        (
            "SELECT date, debut, fin FROM utilisateurs_creneau WHERE demande_id = %(demande)s AND NOT annule "
            "ORDER BY date, debut",
            params,
        ),
        (
            """SELECT p.*, a.plafond_mensuel, a.plafond_annuel FROM prestataires_prestataire p
                 JOIN ale_platform_agence a ON a.id = p.agence_id
                WHERE p.agence_id = %(agence)s AND p.statut <> 'sorti' ORDER BY p.nom, p.prenom, p.id""",
            params,
        ),
        (
            f"SELECT prestataire_id FROM prestataires_prestataire_activites "  # noqa: S608  # nosec B608
            f"WHERE activite_id = %(activite)s AND prestataire_id IN ({workers})",
            params,
        ),
        (
            f"""SELECT prestataire_id FROM prestataires_contratale
                WHERE prestataire_id IN ({workers}) AND date_signature IS NOT NULL AND date_debut <= %(first)s
                  AND (date_fin IS NULL OR date_fin >= %(last)s)""",  # noqa: S608  # nosec B608
            params,
        ),
        (
            f"SELECT prestataire_id, jour, demi_journee FROM prestataires_disponibilite "  # noqa: S608  # nosec B608
            f"WHERE prestataire_id IN ({workers})",
            params,
        ),
        (
            f"SELECT prestataire_id, debut, fin FROM prestataires_absence "  # noqa: S608  # nosec B608
            f"WHERE prestataire_id IN ({workers}) AND debut <= %(last)s AND fin >= %(first)s",
            params,
        ),
        (
            f"""SELECT prestataire_id, date, debut, fin FROM prestations_prestation
                WHERE prestataire_id IN ({workers}) AND date BETWEEN %(first)s AND %(last)s
                  AND statut NOT IN ('annulee', 'absence')
                  AND (demande_id IS NULL OR demande_id <> %(demande)s)""",  # noqa: S608  # nosec B608
            params,
        ),
        (
            f"SELECT prestataire_id, statut, demande_id FROM prestations_affectation "  # noqa: S608  # nosec B608
            f"WHERE prestataire_id IN ({workers})",
            params,
        ),
        (
            f"""SELECT p.prestataire_id, a.categorie, SUM(p.heures) FILTER (WHERE p.date >= %(first)s), SUM(p.heures)
                  FROM prestations_prestation p JOIN ale_platform_activite a ON a.id = p.activite_id
                 WHERE p.prestataire_id IN ({workers}) AND p.date >= %(y)s AND p.date < %(next_y)s
                   AND p.statut NOT IN ('annulee', 'absence')
                 GROUP BY p.prestataire_id, a.categorie""",  # noqa: S608  # nosec B608
            params,
        ),
    ]


def _cap_sums(exclude: str = "") -> str:
    return f"""SELECT COALESCE(SUM(p.heures) FILTER (WHERE p.date >= %(m)s AND a.categorie = 'generale'), 0),
                      COALESCE(SUM(p.heures) FILTER (WHERE p.date >= %(m)s AND a.categorie = 'majoree'), 0),
                      COALESCE(SUM(p.heures) FILTER (WHERE p.date >= %(m)s AND a.categorie = 'agricole'), 0),
                      COALESCE(SUM(p.heures), 0)
                 FROM prestations_prestation p JOIN ale_platform_activite a ON a.id = p.activite_id
                WHERE p.prestataire_id = %(worker)s AND p.statut IN ('planifiee', 'effectuee', 'validee')
                  AND p.date >= %(y)s AND p.date < %(next_m)s {exclude}"""  # noqa: S608  # nosec B608


def _slot_params(date, debut, fin, heures, worker) -> dict:
    month = date.replace(day=1)
    return {
        "worker": worker,
        "date": date,
        "debut": debut.isoformat(),  # text: SQLite (the smoke test) binds no time objects
        "fin": fin.isoformat(),
        "heures": str(heures),
        "m": month,
        "next_m": (month + datetime.timedelta(days=32)).replace(day=1),
        "y": datetime.date(date.year, 1, 1),
    }


def record_prestation(env) -> list[tuple[str, list]]:
    """Lock the worker, sum the month's and year's hours (caps), look for an overlap, insert the row."""
    k = env.objects["nouvelle_prestation"]
    params = _slot_params(k["date"], k["debut"], k["fin"], k["heures"], k["prestataire"].pk)
    params |= {"agence": k["prestataire"].agence_id, "client": k["utilisateur"].pk, "activite": k["activite"].pk}
    return [
        (_lock("SELECT id, statut, agence_id FROM prestataires_prestataire WHERE id = %(worker)s"), params),
        (_cap_sums(), params),
        (
            """SELECT id FROM prestations_prestation WHERE prestataire_id = %(worker)s AND date = %(date)s
                 AND statut IN ('planifiee', 'effectuee', 'validee') AND debut < %(fin)s AND fin > %(debut)s LIMIT 1""",
            params,
        ),
        (
            """INSERT INTO prestations_prestation (agence_id, prestataire_id, utilisateur_id, activite_id, date, debut,
                      fin, heures, statut, created_at, motif_derogation, absence_de, motif_contestation)
               VALUES (%(agence)s, %(worker)s, %(client)s, %(activite)s, %(date)s, %(debut)s, %(fin)s, %(heures)s,
                       'effectuee', CURRENT_TIMESTAMP, '', '', '') RETURNING id""",
            params,
        ),
    ]


def record_hours(env) -> list[tuple[str, list]]:
    """The hours form: lock the worker and the slot, caps and overlap without the slot, update it."""
    p = env.objects["heures"]
    params = _slot_params(p.date, p.debut, p.fin, p.heures, p.prestataire_id) | {"pk": p.pk}
    return [
        (_lock("SELECT id, statut, agence_id FROM prestataires_prestataire WHERE id = %(worker)s"), params),
        (_lock("SELECT id, statut, date, debut, fin FROM prestations_prestation WHERE id = %(pk)s"), params),
        (_cap_sums("AND p.id <> %(pk)s"), params),
        (
            """SELECT id FROM prestations_prestation
                WHERE prestataire_id = %(worker)s AND date = %(date)s AND id <> %(pk)s
                  AND statut IN ('planifiee', 'effectuee', 'validee')
                  AND debut < %(fin)s AND fin > %(debut)s LIMIT 1""",
            params,
        ),
        (
            """UPDATE prestations_prestation SET heures = %(heures)s, debut = %(debut)s, fin = %(fin)s,
                      statut = 'effectuee' WHERE id = %(pk)s""",
            params,
        ),
    ]


def formulaire(env) -> list[tuple[str, list]]:
    """One worker's ALE 4 form: the month's prestations with client and activity, and their vouchers."""
    month = env.objects["mois"]
    params = {
        "worker": env.objects["ale4"].pk,
        "debut": month,
        "fin": (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1),
    }
    month_rows = """p.prestataire_id = %(worker)s AND p.date BETWEEN %(debut)s AND %(fin)s AND p.statut <> 'annulee'"""
    return [
        (
            f"""SELECT p.date, p.debut, p.fin, p.heures, p.statut, u.nom, u.prenom, u.rue, u.code_postal, u.commune,
                       a.nom
                  FROM prestations_prestation p
                  JOIN utilisateurs_utilisateur u ON u.id = p.utilisateur_id
                  JOIN ale_platform_activite a ON a.id = p.activite_id
                 WHERE {month_rows} ORDER BY p.date, p.debut""",  # noqa: S608  # nosec B608
            params,
        ),
        (
            f"""SELECT prestation_id, numero, quantite, statut FROM prestations_chequeale
                WHERE prestation_id IN (SELECT p.id FROM prestations_prestation p WHERE {month_rows})
                ORDER BY numero""",  # noqa: S608  # nosec B608
            params,
        ),
    ]


def generation_start(env) -> list[tuple[str, list]]:
    """Starting the month's generation: one row for the progress, one row in the task queue."""
    import json
    import uuid

    params = {"agence": env.agence.pk, "mois": env.objects["mois"], "id": uuid.uuid4().hex}
    params["args"] = json.dumps({"args": [0], "kwargs": {}})
    return [
        (
            """INSERT INTO prestations_generationformulaires (agence_id, mois, statut, total, faits, fichier, erreur,
                      created_at) VALUES (%(agence)s, %(mois)s, 'en_attente', 0, 0, '', '', CURRENT_TIMESTAMP)
               RETURNING id""",
            params,
        ),
        (
            """INSERT INTO django_tasks_database_dbtaskresult (id, status, enqueued_at, args_kwargs, priority,
                      task_path, worker_ids, queue_name, backend_name, run_after, exception_class_path, traceback)
               VALUES (%(id)s, 'READY', CURRENT_TIMESTAMP, %(args)s, 0,
                       'prestations.tasks.generate_monthly_forms', '[]', 'default', 'default',
                       CURRENT_TIMESTAMP, '', '')""",
            params,
        ),
    ]


def generation_task(env) -> list[tuple[str, list]]:
    """The data of every form of the agency's month (its workers, all their prestations), without the PDFs."""
    month = env.objects["mois"]
    params = {
        "agence": env.agence.pk,
        "debut": month,
        "fin": (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1),
    }
    return [
        (
            """SELECT DISTINCT w.id, w.nom, w.prenom FROM prestataires_prestataire w
                 LEFT JOIN prestations_prestation p ON p.prestataire_id = w.id AND p.date BETWEEN %(debut)s AND %(fin)s
                WHERE w.agence_id = %(agence)s AND (w.statut = 'actif' OR p.id IS NOT NULL)
                ORDER BY w.nom, w.prenom""",
            params,
        ),
        (
            """SELECT p.prestataire_id, p.date, p.debut, p.fin, p.heures, p.statut, u.nom, u.prenom, a.nom
                 FROM prestations_prestation p
                 JOIN utilisateurs_utilisateur u ON u.id = p.utilisateur_id
                 JOIN ale_platform_activite a ON a.id = p.activite_id
                WHERE p.agence_id = %(agence)s AND p.date BETWEEN %(debut)s AND %(fin)s AND p.statut <> 'annulee'
                ORDER BY p.prestataire_id, p.date, p.debut""",
            params,
        ),
        (
            """SELECT c.prestation_id, c.numero, c.quantite, c.statut FROM prestations_chequeale c
                 JOIN prestations_prestation p ON p.id = c.prestation_id
                WHERE p.agence_id = %(agence)s AND p.date BETWEEN %(debut)s AND %(fin)s""",
            params,
        ),
    ]


def _page_of(table: str, columns: str, where: str, order: str, params: list, limit: int = 50) -> list:
    """The rows of one page of a staff list: what a list needs at least, by hand."""
    return [(f"SELECT {columns} FROM {table} WHERE {where} ORDER BY {order} LIMIT {limit}", params)]


def client_list(env) -> list[tuple[str, list]]:
    return _page_of(
        "utilisateurs_utilisateur",
        "id, nom, prenom, type, code_postal, commune",
        "agence_id = %s",
        "nom, prenom",
        [env.agence.pk],
    )


def demande_list(env) -> list[tuple[str, list]]:
    return _page_of(
        "utilisateurs_demande d JOIN utilisateurs_utilisateur u ON u.id = d.utilisateur_id",
        "d.id, d.statut, d.created_at, u.nom, u.prenom",
        "d.agence_id = %s",
        "d.created_at DESC",
        [env.agence.pk],
    )


def prestation_list(env) -> list[tuple[str, list]]:
    return _page_of(
        "prestations_prestation p JOIN prestataires_prestataire w ON w.id = p.prestataire_id"
        " JOIN utilisateurs_utilisateur u ON u.id = p.utilisateur_id",
        "p.id, p.date, p.debut, p.fin, p.heures, p.statut, w.nom, w.prenom, u.nom, u.prenom",
        "p.agence_id = %s",
        "p.date DESC, p.debut DESC",
        [env.agence.pk],
    )


def cheque_list(env) -> list[tuple[str, list]]:
    return _page_of(
        "prestations_chequeale c JOIN utilisateurs_utilisateur u ON u.id = c.utilisateur_id",
        "c.id, c.numero, c.type, c.statut, c.valeur, c.quantite, c.created_at, u.nom, u.prenom",
        "c.agence_id = %s",
        "c.created_at DESC",
        [env.agence.pk],
    )


def staff_referrals(env) -> list[tuple[str, list]]:
    return _page_of(
        "forem_liaison_adressage",
        "id, nom, prenom, niss, date_adressage, etat",
        "agence_id = %s",
        "date_adressage DESC, nom",
        [env.agence.pk],
    )


def worker_space(env) -> list[tuple[str, list]]:
    worker = env.objects["prestataire"]
    return [
        ("SELECT * FROM prestataires_prestataire WHERE id = %s", [worker.pk]),
        *_page_of(
            "prestations_prestation",
            "id, date, debut, fin, heures, statut",
            "prestataire_id = %s",
            "date DESC",
            [worker.pk],
            limit=20,
        ),
    ]
