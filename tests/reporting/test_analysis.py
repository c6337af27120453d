"""Item analysis as Moodle's quiz statistics define it: courses/reporting/analysis.py (pure).

The expected numbers are worked out by hand below, from the definitions:
facility = share of the attempts that answered right (x 100); discrimination = Pearson's
correlation (x 100) between the item's mark and the mark on the attempt's other items.
"""

from __future__ import annotations

import math

import pytest

from courses.reporting.analysis import (
    MIN_ATTEMPTS_FOR_FLAGS,
    AttemptResponses,
    Response,
    analyse,
    histogram,
)

A, B, C = 101, 102, 103
FOUR_OPTIONS_KEY_FIRST = (4, 0)

# Five learners, three items (key: option 0). Right (1) or wrong (0), and the option chosen:
#
#            A       B       C       total
#   L1       0 (1)   0 (1)   0 (-)   0      (C left unanswered)
#   L2       0 (2)   0 (2)   1 (0)   1
#   L3       1 (0)   0 (3)   1 (0)   2
#   L4       1 (0)   1 (0)   0 (1)   2
#   L5       1 (0)   1 (0)   0 (1)   2
TABLE = [
    ((A, 1, False), (B, 1, False), (C, None, False)),
    ((A, 2, False), (B, 2, False), (C, 0, True)),
    ((A, 0, True), (B, 3, False), (C, 0, True)),
    ((A, 0, True), (B, 0, True), (C, 1, False)),
    ((A, 0, True), (B, 0, True), (C, 1, False)),
]


def attempts(table=TABLE) -> list[AttemptResponses]:
    return [
        AttemptResponses(responses=tuple(Response(item=i, option=o, correct=c) for i, o, c in row))
        for row in table
    ]


def analysed(table=TABLE):
    # Five learners: flags allowed from five here (the site waits for 20 by default).
    return analyse(
        attempts(table), items=dict.fromkeys((A, B, C), FOUR_OPTIONS_KEY_FIRST), min_attempts=5
    )


def test_facility_is_the_share_of_attempts_answering_right():
    """A: 3 of 5 right = 60; B: 2 of 5 = 40; C: 2 of 5 = 40 (the unanswered L1 counts as an
    attempt, a wrong one)."""
    stats = analysed()

    assert {item: (s.attempts, s.right, s.facility) for item, s in stats.items()} == {
        A: (5, 3, 60.0),
        B: (5, 2, 40.0),
        C: (5, 2, 40.0),
    }


def test_discrimination_is_the_correlation_with_the_rest_of_the_attempt():
    """By hand, x = the item's mark, y = the marks on the two other items:

    A: x = 0 0 1 1 1 (mean .6), y = 0 1 1 1 1 (mean .8); cov = .6, var x = 1.2, var y = .8;
       r = .6 / sqrt(.96) = sqrt(3/8) = 0.6124.
    B: x = 0 0 0 1 1 (mean .4), y = 0 1 2 1 1 (mean 1); cov = .4 + 0 - .4 + 0 + 0 = 0; r = 0.
    C: x = 0 1 1 0 0 (mean .4), y = 0 0 1 2 2 (mean 1); cov = -1, var x = 1.2, var y = 4;
       r = -1 / sqrt(4.8) = -0.4564: the strong learners get C wrong.
    """
    stats = analysed()

    assert stats[A].discrimination == pytest.approx(61.237, abs=0.001)
    assert stats[A].discrimination == pytest.approx(100 * math.sqrt(3 / 8))
    assert stats[B].discrimination == pytest.approx(0, abs=1e-9)
    assert stats[C].discrimination == pytest.approx(-45.644, abs=0.001)
    assert stats[C].discrimination == pytest.approx(-100 / math.sqrt(4.8))


def test_option_counts_include_the_key_and_leave_out_unanswered():
    stats = analysed()

    assert stats[A].chosen == [3, 1, 1, 0]
    assert stats[B].chosen == [2, 1, 1, 1]
    assert stats[C].chosen == [2, 2, 0, 0]  # L1 answered nothing


def test_flags_an_unused_distractor_and_a_negative_discrimination():
    """A: nobody chose option 3, flagged. B: every option chosen and a discrimination of
    exactly 0, which is not negative: not flagged. C: negative, and options 2 and 3 unused."""
    stats = analysed()

    assert (stats[A].unused_distractors, stats[A].negative_discrimination) == ([3], False)
    assert (stats[B].unused_distractors, stats[B].negative_discrimination) == ([], False)
    assert (stats[C].unused_distractors, stats[C].negative_discrimination) == ([2, 3], True)
    assert [item for item, s in stats.items() if s.flagged] == [A, C]


def test_no_flag_before_enough_attempts():
    """Below MIN_ATTEMPTS_FOR_FLAGS an unused distractor or a negative correlation says little:
    no flag. At the threshold, the flags appear."""
    negative = [
        # Item C right only for those who miss A and B: negative; option 3 never chosen.
        ((A, 0, True), (B, 0, True), (C, 1, False)),
        ((A, 1, False), (B, 2, False), (C, 0, True)),
    ]
    table = [negative[n % 2] for n in range(MIN_ATTEMPTS_FOR_FLAGS - 1)]
    items = dict.fromkeys((A, B, C), FOUR_OPTIONS_KEY_FIRST)

    early = analyse(attempts(table), items=items)[C]
    assert early.attempts == MIN_ATTEMPTS_FOR_FLAGS - 1
    assert early.discrimination is not None
    assert early.discrimination < 0
    assert early.chosen[3] == 0
    assert (early.unused_distractors, early.negative_discrimination, early.flagged) == (
        [],
        False,
        False,
    )

    enough = analyse(attempts([*table, negative[0]]), items=items)[C]
    assert enough.attempts == MIN_ATTEMPTS_FOR_FLAGS
    assert enough.unused_distractors == [2, 3]
    assert enough.negative_discrimination
    assert enough.flagged


def test_a_key_nobody_chose_is_not_an_unused_distractor():
    """The key is not a distractor, even when every learner missed it."""
    table = [((A, 1 + n % 3, False), (B, 0, n % 2 == 0)) for n in range(MIN_ATTEMPTS_FOR_FLAGS)]

    stats = analyse(attempts(table), items={A: (4, 0), B: (4, 0)})

    assert stats[A].chosen[0] == 0
    assert stats[A].facility == 0
    assert stats[A].unused_distractors == []


def test_the_key_can_be_any_option():
    table = [((A, 2, True), (B, 0, True)), ((A, 0, False), (B, 1, False))]

    stats = analyse(attempts(table), items={A: (3, 2), B: (2, 0)})

    assert stats[A].key == 2
    assert stats[A].chosen == [1, 0, 1]
    assert stats[A].facility == 50


def test_without_variation_there_is_no_discrimination_and_no_flag():
    """Everyone alike on the rest of the quiz (or on the item): the correlation is undefined,
    reported as None rather than as 0 or an error."""
    table = [((A, 0, n % 2 == 0), (B, 0, True)) for n in range(MIN_ATTEMPTS_FOR_FLAGS + 1)]

    stats = analyse(attempts(table), items={A: (2, 0), B: (2, 0)})

    assert stats[A].discrimination is None  # the rest (B) is always right
    assert stats[B].discrimination is None  # B itself never varies
    assert not stats[A].negative_discrimination


def test_an_item_nobody_saw_has_no_statistics():
    stats = analyse(attempts(), items={A: (4, 0), 999: (4, 1)})

    unseen = stats[999]
    assert (unseen.attempts, unseen.facility, unseen.discrimination) == (0, None, None)
    assert unseen.chosen == [0, 0, 0, 0]
    assert not unseen.flagged


def test_a_single_question_quiz_has_a_facility_but_no_discrimination():
    table = [((A, 0, True),), ((A, 1, False),)] * 3

    stats = analyse(attempts(table), items={A: (4, 0)})

    assert stats[A].facility == 50
    assert stats[A].discrimination is None


def test_no_attempts_at_all():
    stats = analyse([], items={A: (4, 0)})

    assert (stats[A].attempts, stats[A].facility, stats[A].flagged) == (0, None, False)


# --- score histogram ----------------------------------------------------------------------------


def test_histogram_bins_are_tens_and_a_perfect_score_is_in_the_last():
    """[0, 10), [10, 20) … [80, 90), then [90, 100]: 100 % is counted with the nineties."""
    counts = histogram([0, 9.99, 10, 33.3, 50, 89.99, 90, 99.5, 100, 100])

    assert counts == [2, 1, 0, 1, 0, 1, 0, 0, 1, 4]
    assert sum(counts) == 10


def test_histogram_of_nothing_is_all_zeros():
    assert histogram([]) == [0] * 10


def test_histogram_keeps_out_of_range_values_at_the_ends():
    assert histogram([-5, 105]) == [1, 0, 0, 0, 0, 0, 0, 0, 0, 1]


def test_histogram_with_other_bin_counts():
    """Five bins of 20 points each; 100 still in the last."""
    assert histogram([0, 19.9, 20, 79.9, 80, 100], bins=5) == [2, 1, 0, 1, 2]


def test_a_multiple_response_items_options_count_every_tick_and_its_keys_are_no_distractor():
    """Five options, keys 0 and 2: each option ticked counts; option 4, never ticked, is an
    unused distractor; no key is one, even unticked."""
    multiple = 77
    responses = [
        AttemptResponses(
            responses=(Response(item=multiple, option=0, correct=n % 2 == 0, options=ticked),)
        )
        for n, ticked in enumerate([(0, 2), (0, 1), (0, 2), (1, 3), (0, 2), (0,)])
    ]
    stats = analyse(responses, items={multiple: (5, (0, 2))}, min_attempts=5)[multiple]
    assert stats.chosen == [5, 2, 3, 1, 0]
    assert (stats.attempts, stats.answered) == (6, 6)
    assert stats.keys == (0, 2)
    assert stats.unused_distractors == [4]
