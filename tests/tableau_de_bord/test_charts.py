"""The server-rendered SVG charts: one bar segment per non-zero value, labels escaped, a readable scale."""

from decimal import Decimal

from tableau_de_bord.charts import BarChart, Series


def test_bars_ticks_and_labels_are_drawn_and_escaped():
    chart = BarChart(
        "Heures",
        ["janv. 26", "<févr>"],
        [Series("Général", [Decimal("2.5"), 0]), Series("Agricole & co", [1, 3])],
        unit="h",
    )
    svg = str(chart.svg_body())
    assert svg.count("<rect ") == 3  # the zero value draws nothing
    assert svg.count("<line ") == 5  # 0, ¼, ½, ¾ and the top of the scale
    assert "<title>janv. 26 — Général : 2,5 h</title>" in svg
    assert "&lt;févr&gt;" in svg and "<févr>" not in svg
    assert "Agricole &amp; co" in svg
    assert chart.totals == [Decimal("3.5"), Decimal(3)]
    assert [label for _y, label in chart.ticks] == ["0", "1,25", "2,5", "3,75", "5"]  # 3.5 rounds up to 5


def test_the_data_table_gives_every_value_and_the_total_in_french_decimals():
    chart = BarChart("Heures", ["mars", "avril"], [Series("Général", [Decimal("2.5"), 0]), Series("Agricole", [1, 3])])
    html = str(chart.table_html())
    assert html == (
        '<tr><th scope="row">mars</th><td>2,5</td><td>1</td><td>3,5</td></tr>'
        '<tr><th scope="row">avril</th><td>0</td><td>3</td><td>3</td></tr>'
    )
