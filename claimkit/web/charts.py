"""A grouped bar chart as inline SVG: no chart library, no JavaScript, readable on a 390 px screen.

Drawing only: the numbers (monthly series, the axis maximum) come from claimkit.domain.stats.
"""

from collections.abc import Callable, Sequence
from decimal import Decimal
from html import escape

from claimkit.domain import formats
from claimkit.domain.stats import axis_max

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 360, 220, 44, 28, 12
SPENT_COLOR, PAID_COLOR = "#b3261e", "#0b5d4b"


def bar_chart(
    labels: Sequence[str],
    series: Sequence[tuple[Decimal, Decimal]],
    title: str,
    legend: tuple[str, str],
    money: Callable[[Decimal], str] = formats.amount,
) -> str:
    """The SVG markup; every label is html-escaped, so the result can be inserted into a page as is. A bar's
    tooltip says its amount with `money` (the page's language)."""
    top = axis_max(series)
    plot_h = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT) / max(len(series), 1)
    bar = slot * 0.36
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT + 22}" role="img" '
        f'aria-labelledby="chart-title" class="chart" direction="ltr"><title id="chart-title">{escape(title)}</title>',
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH}" y2="{TOP + plot_h}" stroke="#8a9490"/>',
    ]
    for fraction in (Decimal("0.5"), Decimal(1)):
        y = TOP + plot_h - float(fraction) * plot_h
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH}" y2="{y:.1f}" stroke="#dde3e0"/>')
        parts.append(
            f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="10">{top * fraction:.0f}</text>'
        )
    for i, ((spent, paid), label) in enumerate(zip(series, labels, strict=True)):
        x = LEFT + i * slot + slot * 0.12
        for j, (value, color, name) in enumerate(((spent, SPENT_COLOR, legend[0]), (paid, PAID_COLOR, legend[1]))):
            h = float(value / top) * plot_h
            parts.append(
                f'<rect x="{x + j * bar:.1f}" y="{TOP + plot_h - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{color}" data-value="{value:.2f}"><title>{escape(label)} — {escape(name)} : '
                f"{escape(money(value))}</title></rect>"
            )
        parts.append(
            f'<text x="{x + bar:.1f}" y="{HEIGHT - BOTTOM + 14}" text-anchor="middle" font-size="9">'
            f"{escape(label)}</text>"
        )
    for j, (name, color) in enumerate(((legend[0], SPENT_COLOR), (legend[1], PAID_COLOR))):
        x = LEFT + j * 150
        parts.append(f'<rect x="{x}" y="{HEIGHT + 6}" width="12" height="12" fill="{color}"/>')
        parts.append(f'<text x="{x + 16}" y="{HEIGHT + 16}" font-size="11">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)
