"""Bar charts drawn on the server as SVG (no JavaScript), each with a text alternative; the
page shows the same figures in a table next to the chart."""

from collections.abc import Callable
from dataclasses import dataclass

from aps.numbers import quantity

WIDTH = 640
LABEL_WIDTH = 230
BAR_AREA = 330
BAR_HEIGHT = 14
GAP = 10
COLOURS = ["#000091", "#6a6af4", "#c9191e"]  # DSFR blue France, its light tint, red


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    colour: str
    value_text: str
    text_x: int


@dataclass(frozen=True)
class Row:
    label: str
    y: int
    bars: list[Bar]


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
    drawn, y = [], GAP
    texts = texts or [quantity] * len(rows)
    for (label, values), text in zip(rows, texts, strict=True):
        scale = (values[0] or 1) if per_row_scale else overall
        bars = []
        for index, value in enumerate(values):
            width = int(BAR_AREA * float(value) / float(scale)) if scale else 0
            width = max(width, 1) if value else 0
            bars.append(
                Bar(
                    x=LABEL_WIDTH,
                    y=y + index * (BAR_HEIGHT + 2),
                    width=width,
                    colour=COLOURS[index % len(COLOURS)],
                    value_text=text(value),
                    text_x=LABEL_WIDTH + width + 6,
                )
            )
        drawn.append(Row(label=label, y=y + BAR_HEIGHT - 2, bars=bars))
        y += len(values) * (BAR_HEIGHT + 2) + GAP
    description = " ; ".join(
        f"{label} : "
        + ", ".join(f"{name} {text(value)}" for name, value in zip(series, values, strict=True))
        for (label, values), text in zip(rows, texts, strict=True)
    )
    return {
        "title": title,
        "series": [(name, COLOURS[i % len(COLOURS)]) for i, name in enumerate(series)],
        "rows": drawn,
        "width": WIDTH,
        "height": y + GAP,
        "description": description or "Aucune donnée.",
    }
