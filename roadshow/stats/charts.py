"""Small SVG bar charts drawn on the server: no JavaScript, no inline styles (colours come from CSS classes)."""
from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from markupsafe import Markup, escape

PAD_LEFT, PAD_BOTTOM, PAD_TOP = 36, 28, 16


def _nice_max(value: float) -> float:
    """The axis top: 1, 2 or 5 × a power of ten at or above the largest value."""
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _svg(width: int, height: int, body: list[str], title: str) -> Markup:
    # Every text in `body` went through escape() where it was drawn; the rest are formatted numbers.
    return Markup(  # nosec B704
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'preserveAspectRatio="xMidYMid meet"><title>{escape(title)}</title>{"".join(body)}</svg>'
    )


def _axis(top: float, plot_height: int, width: int) -> list[str]:
    parts = []
    for fraction in (0, 0.5, 1):
        y = PAD_TOP + plot_height * (1 - fraction)
        value = top * fraction
        parts.append(f'<line class="chart-grid" x1="{PAD_LEFT}" x2="{width}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="chart-axis" x="{PAD_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{value:g}</text>')
    return parts


def bar_chart(labels: Sequence[str], series: dict[str, Sequence[float]], title: str, height: int = 200,
              label_every: int = 1, muted: Sequence[bool] | None = None, width: int = 720) -> Markup:
    """Vertical bars, one group per label and one bar per series (at most 4 series, coloured by CSS)."""
    plot_height = height - PAD_TOP - PAD_BOTTOM
    top = _nice_max(max((v for values in series.values() for v in values), default=0))
    group = (width - PAD_LEFT) / max(len(labels), 1)
    bar = group * 0.7 / max(len(series), 1)
    body = _axis(top, plot_height, width)
    for i, label in enumerate(labels):
        x0 = PAD_LEFT + i * group + group * 0.15
        if muted and muted[i]:
            body.append(f'<rect class="chart-off" x="{PAD_LEFT + i * group:.1f}" y="{PAD_TOP}" '
                        f'width="{group:.1f}" height="{plot_height}"/>')
        for k, (name, values) in enumerate(series.items()):
            value = values[i]
            h = plot_height * value / top
            x, y = x0 + k * bar, PAD_TOP + plot_height - h
            body.append(f'<rect class="chart-bar chart-s{k}" x="{x:.1f}" y="{y:.1f}" width="{bar * 0.92:.1f}" '
                        f'height="{h:.1f}"><title>{escape(_("%(a)s：%(b)s", a=f"{label} {name}", b=f"{value:g}"))}</title></rect>')
            if value and len(labels) <= 16:
                body.append(f'<text class="chart-value" x="{x + bar * 0.46:.1f}" y="{y - 3:.1f}" '
                            f'text-anchor="middle">{value:g}</text>')
        if i % label_every == 0:
            body.append(f'<text class="chart-label" x="{PAD_LEFT + (i + 0.5) * group:.1f}" y="{height - 8}" '
                        f'text-anchor="middle">{escape(label)}</text>')
    return _svg(width, height, body, title)


def hbar_chart(rows: Sequence[tuple[str, float]], title: str, unit: str = "", width: int = 720) -> Markup:
    """Horizontal bars, one row per (label, value), largest scale first as given."""
    row_height, label_width = 26, 130
    height = PAD_TOP + row_height * len(rows) + 8
    top = _nice_max(max((v for _, v in rows), default=0))
    span = width - label_width - 40
    body = []
    for i, (label, value) in enumerate(rows):
        y = PAD_TOP + i * row_height
        w = span * value / top
        body.append(f'<text class="chart-label" x="{label_width - 8}" y="{y + 15}" text-anchor="end">{escape(label)}</text>')
        body.append(f'<rect class="chart-bar chart-s0" x="{label_width}" y="{y + 3}" width="{w:.1f}" height="{row_height - 8}"/>')
        body.append(f'<text class="chart-value" x="{label_width + w + 6:.1f}" y="{y + 15}">{value:g}{escape(unit)}</text>')
    return _svg(width, height, body, title)
