"""Item analysis, as Moodle's quiz statistics compute it: pure functions over attempts.

For each item, over the attempts that showed it:

- facility index: the share of those attempts that answered it right (0-100);
- discrimination index: the correlation (x 100) between answering this item right and the
  score on the attempt's *other* items. Positive: the learners who did well overall got it
  right; negative: the item misleads the strong learners (a wrong key, an ambiguous stem);
- how often each option was chosen.

Flags: a distractor nobody chose, a negative discrimination, raised only once enough learners
answered the item in their first attempt (ITEM_ANALYSIS_MIN_LEARNERS, 20 by default: an index
over five people is noise). Each flag sends course staff to the item's review page.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# Below this many first attempts (one a learner) an item's statistics say little: no flag is
# raised. The site's setting (ITEM_ANALYSIS_MIN_LEARNERS) is passed to ``analyse``.
MIN_ATTEMPTS_FOR_FLAGS = 20


@dataclass(frozen=True)
class Response:
    item: int
    option: int | None  # index into the item's own options; None when unanswered
    correct: bool
    options: tuple[int, ...] = ()  # a multiple-response question's options ticked


@dataclass(frozen=True)
class AttemptResponses:
    responses: tuple[Response, ...]


@dataclass
class ItemStatistics:
    item: int
    options: int
    key: int
    attempts: int = 0
    keys: tuple[int, ...] = ()  # every key (a multiple-response item's several)
    answered: int = 0  # the attempts that answered it (the rest left it blank)
    min_attempts: int = MIN_ATTEMPTS_FOR_FLAGS
    right: int = 0
    chosen: list[int] = field(default_factory=list)
    discrimination: float | None = None

    @property
    def facility(self) -> float | None:
        return 100 * self.right / self.attempts if self.attempts else None

    @property
    def unused_distractors(self) -> list[int]:
        if self.attempts < self.min_attempts:
            return []
        keys = self.keys or (self.key,)
        return [i for i, count in enumerate(self.chosen) if count == 0 and i not in keys]

    @property
    def negative_discrimination(self) -> bool:
        return (
            self.attempts >= self.min_attempts
            and self.discrimination is not None
            and self.discrimination < 0
        )

    @property
    def flagged(self) -> bool:
        return bool(self.unused_distractors) or self.negative_discrimination


def _correlation(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mean_x = sum(xs) / n
    mean_y = sum(ys) / n
    cov = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    var_x = sum((x - mean_x) ** 2 for x in xs)
    var_y = sum((y - mean_y) ** 2 for y in ys)
    if var_x == 0 or var_y == 0:
        return None
    return cov / math.sqrt(var_x * var_y)


def analyse(
    attempts: Iterable[AttemptResponses],
    *,
    items: dict[int, tuple[int, int | tuple[int, ...]]],
    min_attempts: int = MIN_ATTEMPTS_FOR_FLAGS,
) -> dict[int, ItemStatistics]:
    """Statistics per item; ``items`` maps an item id to (number of options, key index), the
    keys' indexes (a tuple) for a multiple-response item. Its options' choice rates count
    every option ticked."""
    stats: dict[int, ItemStatistics] = {}
    for item_id, (count, key) in items.items():
        keys = key if isinstance(key, tuple) else (key,)
        stats[item_id] = ItemStatistics(
            item=item_id,
            options=count,
            key=keys[0],
            keys=keys,
            chosen=[0] * count,
            min_attempts=min_attempts,
        )
    pairs: dict[int, tuple[list[float], list[float]]] = {item: ([], []) for item in items}
    for attempt in attempts:
        responses = [r for r in attempt.responses if r.item in stats]
        total = len(attempt.responses)
        right = sum(r.correct for r in attempt.responses)
        for response in responses:
            item = stats[response.item]
            item.attempts += 1
            item.right += int(response.correct)
            ticked = response.options or ((response.option,) if response.option is not None else ())
            item.answered += int(bool(ticked))
            for option in ticked:
                if 0 <= option < item.options:
                    item.chosen[option] += 1
            if total > 1:
                rest = (right - int(response.correct)) / (total - 1)
                pairs[response.item][0].append(float(response.correct))
                pairs[response.item][1].append(rest)
    for item_id, (xs, ys) in pairs.items():
        correlation = _correlation(xs, ys)
        stats[item_id].discrimination = None if correlation is None else 100 * correlation
    return stats


def histogram(percents: Iterable[float], *, bins: int = 10) -> list[int]:
    """Counts of scores in [0, 10), [10, 20), …, [90, 100] (100 % in the last bin)."""
    counts = [0] * bins
    for value in percents:
        index = min(bins - 1, max(0, int(value * bins / 100)))
        counts[index] += 1
    return counts
