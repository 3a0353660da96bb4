"""Line charts as inline SVG, drawn on the server: readable without JavaScript, printable,
and always next to a table with the same numbers. Lines differ in dash pattern as well as
colour, so that they can be told apart in grey print and by people who do not see colour.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Colours with at least 3:1 contrast against white (WCAG 1.4.11), and dash patterns.
_STYLES = (
    ("#005a8c", ""),
    ("#a4001d", "6 4"),
    ("#2f6b1f", "2 3"),
    ("#6b3fa0", "10 3 2 3"),
    ("#7a4b00", "1 2"),
)


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[tuple[float, float | None]]  # (x, y); y None: not shown (a gap)


def _ticks(low: float, high: float, count: int = 4) -> list[float]:
    if high <= low:
        return [low]
    raw = (high - low) / count
    magnitude = 10 ** (len(str(int(raw))) - 1) if raw >= 1 else 1
    step = max(magnitude, round(raw / magnitude) * magnitude)
    start = (low // step) * step
    ticks, value = [], start
    while value <= high + step / 2:
        if value >= low:
            ticks.append(value)
        value += step
    return ticks


def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    x_label=lambda x: str(int(x)),
    width: int = 640,
    height: int = 260,
) -> SafeString:
    """The series as one SVG line chart with axes, gridlines and a legend."""
    points = [p for s in series for p in s.points if p[1] is not None]
    if not points:
        return mark_safe("")
    left, right, top, bottom = 64, 40, 12, 36
    legend_height = 20 * len(series)
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    x_min, x_max = min(xs), max(xs)
    y_max = max(ys) * 1.1 or 1
    plot_w, plot_h = width - left - right, height - top - bottom

    def px(x: float) -> float:
        return left + (plot_w * (x - x_min) / (x_max - x_min) if x_max > x_min else plot_w / 2)

    def py(y: float) -> float:
        return top + plot_h - plot_h * y / y_max

    parts = []
    for tick in _ticks(0, y_max):
        y = py(tick)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'class="welkom-chart__grid"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="welkom-chart__tick">'
            f"{escape(f'{tick:,.0f}')}</text>"
        )
    for tick in _x_ticks(xs):
        parts.append(
            f'<text x="{px(tick):.1f}" y="{height - bottom + 18}" text-anchor="middle" '
            f'class="welkom-chart__tick">{escape(x_label(tick))}</text>'
        )
    for index, one in enumerate(series):
        style = _STYLES[index % len(_STYLES)]
        parts += _series_svg(one, style, px=px, py=py)
        parts.append(_legend_svg(one.label, style, x=left, y=height + 14 + 20 * index))
    parts.append(
        f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" class="welkom-chart__axis"/>'
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" '
        f'class="welkom-chart__axis"/>'
    )
    total_height = height + legend_height + 8
    return mark_safe(
        f'<svg class="welkom-chart" viewBox="0 0 {width} {total_height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        + "".join(parts)
        + "</svg>"
    )


def _x_ticks(xs: Sequence[float]) -> list[float]:
    """At most about eight of the x values, evenly spaced, and always the last."""
    x_ticks = sorted(set(xs))
    if len(x_ticks) > 8:
        step = (len(x_ticks) + 7) // 8
        x_ticks = x_ticks[::step] + ([x_ticks[-1]] if x_ticks[-1] not in x_ticks[::step] else [])
    return x_ticks


def _series_svg(
    one: Series,
    style: tuple[str, str],
    *,
    px: Callable[[float], float],
    py: Callable[[float], float],
) -> list[str]:
    """One series' lines, and its points while they are few enough to tell apart."""
    colour, dash = style
    ordered = sorted(one.points, key=lambda p: p[0])
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    segments: list[list[tuple[float, float]]] = [[]]
    for x, y in ordered:  # a hidden or missing value breaks the line
        if y is None:
            segments.append([])
        else:
            segments[-1].append((x, y))
    parts = []
    for segment in segments:
        if len(segment) > 1:
            path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in segment)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" '
                f'stroke-width="2.5"{dash_attr}/>'
            )
    shown = [(x, y) for x, y in ordered if y is not None]
    for x, y in shown if len(shown) < 40 else ():
        parts.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{colour}"/>')
    return parts


def _legend_svg(label: str, style: tuple[str, str], *, x: int, y: int) -> str:
    """A legend entry: a stretch of the series' line, then its label."""
    colour, dash = style
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{x}" x2="{x + 28}" y1="{y - 4}" y2="{y - 4}" stroke="{colour}" '
        f'stroke-width="2.5"{dash_attr}/>'
        f'<text x="{x + 36}" y="{y}" class="welkom-chart__legend">'
        f"{escape(label)}</text>"
    )
