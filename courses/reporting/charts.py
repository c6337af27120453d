"""Server-rendered SVG charts (no JavaScript, no CDN): pure functions, data in, markup out.

Presentation attributes only (fill=, stroke=), never style attributes, so the pages' strict
Content-Security-Policy holds. Each chart carries a <title> and <desc> for screen readers; the
pages also show the same numbers as a table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from xml.sax.saxutils import escape

PRIMARY = "#0b5f63"
ACCENT = "#b3364d"
GRID = "#d3dcdd"
TEXT = "#1b2426"
MUTED = "#4d5b5e"
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40
# Characters XML 1.0 cannot hold at all, even escaped: one pasted into a title would make the
# whole chart unreadable.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    """Text safe in an element or in a double-quoted attribute."""
    return escape(NOT_XML.sub("", value), {'"': "&quot;"})


def _svg(body: str, *, title: str, description: str, ident: str) -> str:
    ident = _text(ident)
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-title">{_text(title)}</title>'
        f'<desc id="{ident}-desc">{_text(description)}</desc>{body}</svg>'
    )


def _y_axis(percent_max: int = 100) -> str:
    parts = []
    plot_height = HEIGHT - TOP - BOTTOM
    for tick in range(0, percent_max + 1, 25):
        y = TOP + plot_height * (1 - tick / percent_max)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="{GRID}" '
            f'stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="{MUTED}">{tick} %</text>'
        )
    return "".join(parts)


def completion_over_time(
    *,
    completions: Sequence[date],
    members: int,
    starts_on: date,
    deadline: date,
    today: date,
    labels: dict[str, str],
) -> str:
    """Cumulative share of the cohort that completed, day by day, against the deadline."""
    end = max(deadline, min(today, deadline + timedelta(days=60)), starts_on + timedelta(days=1))
    days = (end - starts_on).days or 1
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        return LEFT + plot_width * (day - starts_on).days / days

    def y(count: int) -> float:
        share = count / members if members else 0
        return TOP + plot_height * (1 - share)

    done = sorted(day for day in completions if day <= end)
    points = [(x(starts_on), y(0))]
    count = 0
    for day in done:
        day = max(day, starts_on)
        points.append((x(day), y(count)))
        count += 1
        points.append((x(day), y(count)))
    last_day = min(today, end)
    points.append((x(max(last_day, starts_on)), y(count)))
    line = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
    deadline_x = x(deadline)
    body = (
        _y_axis()
        + f'<polyline points="{line}" fill="none" stroke="{PRIMARY}" stroke-width="3"/>'
        + f'<line x1="{deadline_x:.1f}" y1="{TOP}" x2="{deadline_x:.1f}" '
        f'y2="{HEIGHT - BOTTOM}" stroke="{ACCENT}" stroke-width="2" stroke-dasharray="6 4"/>'
        + f'<text x="{deadline_x - 4:.1f}" y="{TOP + 12}" text-anchor="end" font-size="12" '
        f'fill="{ACCENT}">{_text(labels["deadline"])}</text>'
        + f'<text x="{LEFT}" y="{HEIGHT - 14}" font-size="12" fill="{MUTED}">'
        f"{_text(labels['start'])}</text>"
        + f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 14}" text-anchor="end" font-size="12" '
        f'fill="{MUTED}">{_text(labels["end"])}</text>'
    )
    share = round(100 * count / members) if members else 0
    return _svg(
        body,
        title=labels["title"],
        description=labels["description"] % {"done": count, "members": members, "share": share},
        ident="completion",
    )


def band(index: int, bins: int) -> tuple[int, int]:
    """The scores, in whole percents, of bin ``index`` of ``bins``: the last ends at 100."""
    low = round(index * 100 / bins)
    high = 100 if index == bins - 1 else round((index + 1) * 100 / bins) - 1
    return low, high


def band_label(index: int, bins: int) -> str:
    low, high = band(index, bins)
    return f"{low}–{high}"


def score_histogram(*, counts: Sequence[int], ident: str, labels: dict[str, str]) -> str:
    """Bars of how many learners scored in each band of a quiz's scores (0-19 %, 20-39 %, …,
    80-100 % for five bins), each bar labelled with its band: a perfect score is in the last,
    "80–100", where a label of its lower bound alone ("80") read as if 100 % had no bar."""
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    top = max(counts) if counts and max(counts) else 1
    slot = plot_width / max(len(counts), 1)  # no bins at all: an empty plot, not an error
    bars = []
    for index, count in enumerate(counts):
        height = plot_height * count / top
        bar_x = LEFT + index * slot + 3
        bars.append(
            f'<rect x="{bar_x:.1f}" y="{TOP + plot_height - height:.1f}" '
            f'width="{slot - 6:.1f}" height="{height:.1f}" fill="{PRIMARY}"/>'
        )
        if count:
            bars.append(
                f'<text x="{bar_x + (slot - 6) / 2:.1f}" y="{TOP + plot_height - height - 4:.1f}" '
                f'text-anchor="middle" font-size="12" fill="{TEXT}">{count}</text>'
            )
        bars.append(
            f'<text x="{bar_x + (slot - 6) / 2:.1f}" y="{HEIGHT - 22}" text-anchor="middle" '
            f'font-size="12" fill="{MUTED}">{band_label(index, len(counts))}</text>'
        )
    axis = (
        f'<line x1="{LEFT}" y1="{TOP + plot_height}" x2="{WIDTH - RIGHT}" '
        f'y2="{TOP + plot_height}" stroke="{MUTED}" stroke-width="1"/>'
        f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 6}" text-anchor="end" font-size="12" '
        f'fill="{MUTED}">{_text(labels["axis"])}</text>'
    )
    return _svg(
        axis + "".join(bars),
        title=labels["title"],
        description=labels["description"],
        ident=ident,
    )
