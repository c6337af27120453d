"""Server-rendered SVG charts: courses/reporting/charts.py (pure, no database)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from courses.reporting.charts import (
    ACCENT,
    BOTTOM,
    HEIGHT,
    LEFT,
    PRIMARY,
    RIGHT,
    TOP,
    WIDTH,
    completion_over_time,
    score_histogram,
)

SVG = "{http://www.w3.org/2000/svg}"
PLOT_WIDTH = WIDTH - LEFT - RIGHT  # 576
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM  # 204
START = date(2026, 1, 1)
DEADLINE = date(2026, 1, 31)

COMPLETION_LABELS = {
    "title": "Achèvement de la promotion",
    "description": "%(done)d sur %(members)d ont terminé (%(share)d %%)",
    "deadline": "Échéance",
    "start": "1 janv.",
    "end": "31 janv.",
}
HISTOGRAM_LABELS = {
    "title": "Scores au quiz",
    "description": "Répartition des scores",
    "axis": "Score (%)",
}
HOSTILE = '<script>alert("x")</script> & ]]> \' " \x01\x0b fin'


def parsed(svg: str) -> ET.Element:
    """The chart as an XML parser reads it (it raises on anything malformed)."""
    return ET.fromstring(svg)  # noqa: S314  (the markup under test is our own)


def completion(**overrides) -> str:
    values = {
        "completions": [date(2026, 1, 10), date(2026, 1, 15)],
        "members": 4,
        "starts_on": START,
        "deadline": DEADLINE,
        "today": date(2026, 1, 20),
        "labels": COMPLETION_LABELS,
    }
    values.update(overrides)
    return completion_over_time(**values)


def histogram(counts=(0, 1, 0, 2, 4, 0, 0, 3, 0, 1), **overrides) -> str:
    values = {"counts": list(counts), "ident": "quiz-7", "labels": HISTOGRAM_LABELS}
    values.update(overrides)
    return score_histogram(**values)


def assert_accessible(root: ET.Element) -> tuple[str, str]:
    """role="img", and aria-labelledby naming a <title> and a <desc> that are there."""
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None
    assert desc is not None
    assert root.get("aria-labelledby", "").split() == [title.get("id"), desc.get("id")]
    return title.text or "", desc.text or ""


def assert_no_style(root: ET.Element) -> None:
    """Presentation attributes only: the pages' Content-Security-Policy forbids inline styles."""
    for element in root.iter():
        assert "style" not in element.attrib, element.tag
        assert element.tag != f"{SVG}style"


@pytest.mark.parametrize("chart", [completion, histogram], ids=["completion", "histogram"])
def test_each_chart_is_well_formed_xml_with_a_title_a_description_and_no_style(chart):
    root = parsed(chart())

    title, description = assert_accessible(root)
    assert title in {"Achèvement de la promotion", "Scores au quiz"}
    assert description
    assert_no_style(root)


def test_completion_describes_the_numbers_it_draws():
    """2 of 4 learners done: the description says so, and the line ends at half height."""
    root = parsed(completion())

    _title, description = assert_accessible(root)
    assert description == "2 sur 4 ont terminé (50 %)"
    line = root.find(f"{SVG}polyline")
    assert line is not None
    assert line.get("stroke") == PRIMARY
    points = [tuple(map(float, point.split(","))) for point in line.get("points", "").split()]
    assert points[0] == (LEFT, TOP + PLOT_HEIGHT)  # nobody at the start
    assert points[-1][1] == TOP + PLOT_HEIGHT / 2  # two of four
    assert [y for _x, y in points] == sorted((y for _x, y in points), reverse=True)


def dashed_lines(root: ET.Element) -> list[ET.Element]:
    return [line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray")]


def test_the_deadline_is_marked_where_it_falls():
    """Before the deadline the axis ends on it (right edge); thirty days after it, the axis
    runs sixty days and the deadline sits in the middle."""
    root = parsed(completion(today=date(2026, 1, 20)))
    (marker,) = dashed_lines(root)
    assert marker.get("stroke") == ACCENT
    assert float(marker.get("x1", "")) == float(marker.get("x2", "")) == WIDTH - RIGHT
    assert "Échéance" in [text.text for text in root.iter(f"{SVG}text")]

    later = parsed(completion(today=DEADLINE + timedelta(days=30)))
    (marker,) = dashed_lines(later)
    assert float(marker.get("x1", "")) == LEFT + PLOT_WIDTH / 2


def test_completion_with_nobody_in_the_cohort():
    """No member, no completion: a flat line at 0 %, "0 of 0 (0 %)", and still valid SVG."""
    root = parsed(completion(completions=[], members=0))

    _title, description = assert_accessible(root)
    assert description == "0 sur 0 ont terminé (0 %)"
    line = root.find(f"{SVG}polyline")
    assert line is not None
    heights = {point.split(",")[1] for point in line.get("points", "").split()}
    assert heights == {f"{TOP + PLOT_HEIGHT:.1f}"}
    assert len(dashed_lines(root)) == 1


def test_completion_for_a_cohort_that_has_not_started():
    """Today before the start date, the deadline on the start date: nothing divides by 0."""
    root = parsed(
        completion(completions=[], starts_on=START, deadline=START, today=START - timedelta(9))
    )

    assert_accessible(root)


def test_hostile_text_is_escaped_and_never_markup():
    """A title, a label or an identifier holding markup, quotes or control characters stays
    text: the document parses, holds no <script>, and shows the words."""
    labels = dict.fromkeys(COMPLETION_LABELS, HOSTILE) | {"description": HOSTILE + " %(done)d"}
    svgs = [
        completion(labels=labels),
        histogram(labels=dict.fromkeys(HISTOGRAM_LABELS, HOSTILE), ident='q"><script>1'),
    ]

    for svg in svgs:
        root = parsed(svg)
        assert not list(root.iter(f"{SVG}script"))
        assert "<script>" not in svg
        title, _description = assert_accessible(root)
        assert title == '<script>alert("x")</script> & ]]> \' "  fin'
        assert_no_style(root)


def test_histogram_bars_are_proportional_to_the_counts():
    """The tallest bar fills the plot; an empty bin has no height and no number above it."""
    counts = [0, 1, 0, 2, 4, 0, 0, 3, 0, 1]
    root = parsed(histogram(counts))

    bars = list(root.iter(f"{SVG}rect"))
    assert len(bars) == 10
    assert [float(bar.get("height", "")) for bar in bars] == [
        pytest.approx(PLOT_HEIGHT * count / 4, abs=0.05) for count in counts
    ]
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert [t for t in texts if t in {"1", "2", "3", "4"}] == ["1", "2", "4", "3", "1"]
    assert [t for t in texts if t and "–" in t] == [
        "0–9", "10–19", "20–29", "30–39", "40–49", "50–59", "60–69", "70–79", "80–89", "90–100"
    ]  # fmt: skip
    assert "Score (%)" in texts


def test_histogram_with_no_scores_or_no_bins():
    """All bins empty: bars of no height. No bins at all: an empty plot, not an error."""
    root = parsed(histogram([0] * 10))
    assert {bar.get("height") for bar in root.iter(f"{SVG}rect")} == {"0.0"}

    root = parsed(histogram([]))
    assert_accessible(root)
    assert not list(root.iter(f"{SVG}rect"))


def test_histogram_labels_follow_the_number_of_bins():
    root = parsed(histogram([1, 2, 3, 4, 5]))

    texts = [text.text for text in root.iter(f"{SVG}text")]
    # Each bar names its band; a perfect score's is the last, which ends at 100.
    assert [t for t in texts if t and "–" in t] == ["0–19", "20–39", "40–59", "60–79", "80–100"]
