"""The worker list's rows, built in Python: the link and the hour meter's cell of each worker.

The template wrote them with a URL reversal, two translated blocks, a translated label, the meter's properties and
the French elision per row: most of the list's rendering time (docs/performance.md). Here the sentences are
translated once per page (the same msgids, so the same translations) and each row only fills them in; the HTML is
what the template wrote.
"""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext

from ale_platform.french import elide
from ale_platform.numbers import heures

_PK = 987654321  # a placeholder primary key: the detail URL is reversed once and each row puts its own in


def list_rows(prestataires, meters) -> list[tuple]:
    """(worker, detail URL, meter cell) per worker, for prestataires/list.html."""
    url = reverse("prestataires:detail", args=[_PK])
    aria = gettext("Heures du mois de %(nom)s")
    text = gettext("%(left)s h restantes (%(used)s/%(cap)s h, %(label)s)")
    over = format_html(' <span class="badge badge--danger">{}</span>', gettext("plafond dépassé"))
    near = format_html(' <span class="badge badge--warn">{}</span>', gettext("proche du plafond"))
    rows = []
    for p in prestataires:
        b = meters[p.pk].binding
        # Plain text here; format_html escapes it below.
        label = elide(aria % {"nom": str(p)})
        sentence = text % {"left": heures(b.left), "used": heures(b.used), "cap": heures(b.cap), "label": b.label}
        cell = format_html(
            '<meter min="0" max="{}" value="{}" aria-label="{}"></meter> {}{}',
            str(b.cap),
            str(b.gauge),
            label,
            sentence,
            over if b.over else near if b.near else "",
        )
        rows.append((p, url.replace(str(_PK), str(p.pk)), cell))
    return rows
