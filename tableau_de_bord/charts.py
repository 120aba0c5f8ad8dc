"""Server-rendered SVG bar charts: no JavaScript, no CDN, allowed by the CSP, and each with its data table."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# Colour-blind-safe palette (Okabe-Ito), each ≥ 3:1 against white.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8a6d00", "#56B4E9"]


@dataclass
class Series:
    label: str
    values: list[Decimal | int]
    color: str = ""


@dataclass
class Rect:
    x: float
    y: float
    width: float
    height: float
    color: str
    title: str


@dataclass
class BarChart:
    """Stacked bars, one per label (month). Geometry is computed here; the template only draws."""

    title: str
    labels: list[str]
    series: list[Series]
    unit: str = ""
    width: int = 520
    height: int = 240
    margin_left: int = 44
    margin_bottom: int = 28
    rects: list[Rect] = field(init=False)
    ticks: list[tuple[float, str]] = field(init=False)

    def __post_init__(self):
        for i, s in enumerate(self.series):
            s.color = s.color or PALETTE[i % len(PALETTE)]
        totals = [sum((s.values[i] for s in self.series), Decimal(0)) for i in range(len(self.labels))]
        top = _nice_ceiling(max(totals, default=0))
        plot_h = self.height - self.margin_bottom - 8
        plot_w = self.width - self.margin_left - 8
        slot = plot_w / max(len(self.labels), 1)
        bar_w = slot * 0.7
        self.rects = []
        for i, label in enumerate(self.labels):
            y = self.height - self.margin_bottom
            for s in self.series:
                value = Decimal(s.values[i])
                h = float(value) / top * plot_h if top else 0
                y -= h
                if h > 0:
                    x = self.margin_left + i * slot + (slot - bar_w) / 2
                    self.rects.append(Rect(x, y, bar_w, h, s.color, f"{label} — {s.label} : {_fmt(value)} {self.unit}"))
        self.ticks = [(self.height - self.margin_bottom - plot_h * k / 4, _fmt(Decimal(top) * k / 4)) for k in range(5)]
        self.label_positions = [(self.margin_left + (i + 0.5) * slot, label) for i, label in enumerate(self.labels)]
        self.totals = totals

    def svg_body(self) -> SafeString:
        """Grid lines, bars and month labels as SVG elements, escaped. Built here rather than in the template:
        a chart is a few hundred attributes, which Django's template loops render ten times slower."""
        ticks = format_html_join(
            "",
            '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#c9d0d8" stroke-width="1"/>'
            '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle" font-size="12" fill="#4a5360">{}</text>',
            (
                (self.margin_left, self.width, _px(y), _px(y), self.margin_left - 6, _px(y), label)
                for y, label in self.ticks
            ),
        )
        bars = format_html_join(
            "",
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
            ((_px(r.x), _px(r.y), _px(r.width), _px(r.height), r.color, r.title) for r in self.rects),
        )
        labels = format_html_join(
            "",
            '<text x="{}" y="{}" text-anchor="middle" font-size="12" fill="#1b1f24">{}</text>',
            ((_px(x), self.height - 10, label) for x, label in self.label_positions),
        )
        return format_html("{}{}{}", ticks, bars, labels)

    def table_html(self) -> SafeString:
        """The data table's body: one row per label, one column per series, and the total (French decimals)."""
        return format_html_join(
            "",
            '<tr><th scope="row">{}</th>{}<td>{}</td></tr>',
            (
                (label, format_html_join("", "<td>{}</td>", ((_fmt(s.values[i]),) for s in self.series)), _fmt(total))
                for i, (label, total) in enumerate(zip(self.labels, self.totals, strict=True))
            ),
        )


def _nice_ceiling(value) -> int:
    value = float(value)
    if value <= 0:
        return 0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return int(step * magnitude) or 1
    return int(10 * magnitude)


def _px(value: float) -> str:
    return f"{value:.1f}"


def _fmt(value) -> str:
    value = Decimal(value)
    text = f"{value:.2f}".rstrip("0").rstrip(".") if value % 1 else f"{int(value)}"
    return text.replace(".", ",")
