"""Bar charts drawn on the server in HTML and CSS (no JavaScript), each with a text
alternative; the page shows the same figures in a table next to the chart.

HTML rather than an SVG scaled to the screen: the labels wrap and keep the page's text size
on a phone (an SVG 640 units wide shrunk to 375 px wrote them 4 px high), each bar's length
a share of its track (``Bar.length``, a CSS value)."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from aps.numbers import quantity

COLOURS = ["#000091", "#6a6af4", "#c9191e"]  # DSFR blue France, its light tint, red
# The shortest bar drawn for a value that is not zero, as a share of the track: visible.
SHORTEST = Decimal("0.005")


@dataclass(frozen=True)
class Bar:
    length: str  # a share of the track for CSS ("0.4242"), not a number shown
    series: int  # 1 for the first series: its colour in the legend (``aps-legend--1``)
    value_text: str


@dataclass(frozen=True)
class Row:
    label: str
    bars: list[Bar]


def _length(value, scale) -> str:
    if not value or not scale:
        return "0"
    share = min(max(Decimal(value) / Decimal(scale), SHORTEST), Decimal(1))
    return f"{share:.4f}"  # a point, whatever the locale: CSS reads it


def bar_chart(
    *,
    title: str,
    series: list[str],
    rows: list[tuple[str, list]],
    per_row_scale=False,
    texts: list[Callable] | None = None,
) -> dict:
    """``rows``: (label, one value per series). ``per_row_scale``: each row scaled to its own
    first value (means of different units: requested, then granted). ``texts``: how each
    row's values are written (``aps.numbers``: "1 800,00 €", "0,5 IMP"); counts by default
    ("1 234")."""
    overall = max((max(values) for _label, values in rows if values), default=0) or 1
    texts = texts or [quantity] * len(rows)
    drawn = []
    for (label, values), text in zip(rows, texts, strict=True):
        scale = (values[0] or 1) if per_row_scale else overall
        bars = [
            Bar(
                length=_length(value, scale),
                series=index % len(COLOURS) + 1,
                value_text=text(value),
            )
            for index, value in enumerate(values)
        ]
        drawn.append(Row(label=label, bars=bars))
    description = " ; ".join(
        f"{label} : "
        + ", ".join(f"{name} {text(value)}" for name, value in zip(series, values, strict=True))
        for (label, values), text in zip(rows, texts, strict=True)
    )
    return {
        "title": title,
        "series": [(name, COLOURS[i % len(COLOURS)]) for i, name in enumerate(series)],
        "rows": drawn,
        "description": description or "Aucune donnée.",
    }
