"""Numbers with their unit as a text writes them, and the wrong values a threshold item offers.

"38,3 °C", "au moins 6 mois", "1 à 2 mg/kg/jour", "entre le 5e et le 21e jour", "50 000/mm³",
"moins de 4 selles par jour": a value or a range, an optional qualifier that belongs to the
answer ("au moins", "dès", "environ", "entre"), and a unit (or a counted noun). Numbers that
are part of a name ("PD-1", "T4", "grade 2") are not quantities.

Wrong values: the course's other values in the same unit first (a learner who mixes up two
thresholds of the text is caught), then values scaled from the key; no two options within 10 %
of each other (0.3 °C apart for temperatures, where 10 % would be absurd), options in numeric
order, the key's place among them chosen by the caller so that it is spread over a quiz.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

NBSP = "\u00a0"
_NUMBER = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
# Numbers written as words count only before a unit of time or "fois" ("trois ans", "une fois
# par semaine"): elsewhere "un", "une" are articles.
WORDS = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "quinze": 15, "vingt": 20,
    "trente": 30,
}  # fmt: skip
_WORD_NUMBER = (
    r"(?:une|un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|vingt|trente)"
)
_WORD_UNITS = r"heures?|jours?|semaines?|mois|ans|années?|minutes?|fois"
_UNITS = (
    r"°C|%|/mm³|/mm3|/µl|mmol/l|mmol/L|µmol/l|g/l|g/dl|mg/kg/jour|mg/kg/j|mg/kg|mg/m²|mg|µg|g|"
    r"UI/kg|UI|mL/min|ml/min|mL|ml|litres?|l|cm|mm|kg/m²|kg|Gy|mmHg|bpm|"
    r"heures?|h|jours?|semaines?|mois|ans|années?|minutes?|min|secondes?|fois|cycles?|cures?"
)
_TIME = frozenset("heure heures h jour jours semaine semaines mois an ans année années minute "
                  "minutes min seconde secondes".split())  # fmt: skip
_QUALIFIER = r"au moins|au plus|moins de|plus de|dès|environ|jusqu'à|jusqu’à|à partir de"
_WORDED = re.compile(
    rf"(?:(?P<qualifier>{_QUALIFIER})\s+)?"
    rf"\b(?P<low>{_WORD_NUMBER})(?:\s+(?P<connector>à|ou)\s+(?P<high>{_WORD_NUMBER}))?"
    rf"\s+(?P<unit>{_WORD_UNITS})\b"
    rf"(?P<rate>\s(?:par|/)\s?(?:jour|semaine|mois|an|cycle|cure))?",
    re.IGNORECASE,
)
_QUANTITY = re.compile(
    rf"(?P<entre>entre (?:le |les )?)?"
    rf"(?:(?P<qualifier>{_QUALIFIER})\s+)?"
    rf"(?P<low>{_NUMBER})(?P<ord1>e|er|ème)?"
    rf"(?:\s*(?P<connector>à|et|-|–|ou)\s*(?:le |la )?(?P<high>{_NUMBER})(?P<ord2>e|er|ème)?)?"
    rf"(?:\s?(?P<unit>{_UNITS})(?![\w/])"
    rf"(?P<rate>\s(?:par|/)\s?(?:24\sheures|jour|semaine|cycle|cure|an|heure|minute))?"
    rf"|\s(?P<counted>[a-zà-ÿ]{{3,}}s)\b(?P<counted_rate>\s(?:par|/)\s?(?:jour|semaine))?)?"
)
# A number inside a name, a scale or a formula: "PD-1", "T4", "grade 2", "0,02 × (40 − …)".
_NAMED_BEFORE = re.compile(
    r"(?:[\w-]|grades?\s|stades?\s|types?\s|niveaux?\s|phases?\s|lignes?\s|n°\s?|[×x*+=(−]\s?)$",
    re.IGNORECASE,
)
_FORMULA_AFTER = re.compile(r"^\s?[×*+=−]")
# A unit that takes no "s" after 1: "1 heure", "1 fois".
_SINGULAR = {"heures": "heure", "jours": "jour", "semaines": "semaine", "ans": "an",
             "années": "année", "minutes": "minute", "litres": "litre", "cycles": "cycle",
             "cures": "cure", "secondes": "seconde"}  # fmt: skip
_PLURAL = {singular: plural for plural, singular in _SINGULAR.items()}
_FEMININE_UNITS = frozenset({"semaine", "semaines", "année", "années", "heure", "heures", "cure",
                             "cures", "séance", "séances", "minute", "minutes"})  # fmt: skip


@dataclass(frozen=True)
class Quantity:
    start: int  # offsets of the whole quantity, qualifier and unit included
    end: int
    text: str
    qualifier: str  # belongs to the answer: "au moins", "dès", "environ", "entre"
    low: float
    high: float | None  # the range's other end
    decimals: int
    ordinal: bool
    connector: str  # between a range's ends: "à", "et", "-", "ou"
    unit: str  # as written (the counted noun for "4 selles"), with its rate ("par jour")
    thousands: bool  # "1 000" written with a space
    worded: bool = False  # "trois ans": the numbers are words

    @property
    def value(self) -> float:
        return self.low if self.high is None else (self.low + self.high) / 2

    @property
    def unit_key(self) -> str:
        return self.unit.replace(NBSP, " ").lower()

    @property
    def is_time(self) -> bool:
        return self.unit_key.split(" ")[0] in _TIME

    def same_kind(self, other: Quantity) -> bool:
        return (
            self.unit_key == other.unit_key
            and (self.high is None) == (other.high is None)
            and self.ordinal == other.ordinal
        )

    def spelt(self, low: float, high: float | None = None) -> str:
        """A value of this kind written as this one is: qualifier, decimals, range, unit."""

        # Words for every number of the option, or digits for all: never "six à 18".
        worded = self.worded and all(
            value == int(value) and int(value) in _WORD_OF
            for value in (low, high)
            if value is not None
        )

        def number(value: float) -> str:
            if worded:
                unit = self.unit.split(" ")[0]
                feminine = {unit, unit.removesuffix("s")} & {"heure", "semaine", "année",
                                                             "minute", "fois"}  # fmt: skip
                word = _WORD_OF[int(value)]
                return "une" if word == "un" and feminine else word
            text = _number(value, self.decimals, thousands=self.thousands)
            if self.ordinal:
                first = "re" if self.unit.split(" ")[0] in _FEMININE_UNITS else "er"
                text += first if value == 1 else "e"  # "la 1re semaine", "le 1er jour"
            return text

        if high is None:
            core = number(low)
        elif self.qualifier == "entre":
            article = "le " if self.ordinal else ""
            core = f"entre {article}{number(low)} et {article}{number(high)}"
        elif self.connector in {"-", "–"}:
            core = f"{number(low)}{self.connector}{number(high)}"
        else:
            core = f"{number(low)} {self.connector} {number(high)}"
        if self.qualifier and self.qualifier != "entre":
            core = f"{self.qualifier} {core}"
        unit = self.unit
        first, _, rest = unit.partition(" ")
        if unit and (high is None and low == 1 and not self.ordinal):
            unit = " ".join(filter(None, [_SINGULAR.get(first, first), rest]))
        elif unit and not self.ordinal and first in _PLURAL:
            # The key's "une heure" read in the singular: "deux heures" for the others.
            unit = " ".join(filter(None, [_PLURAL[first], rest]))
        if unit:
            core += ("" if unit.startswith("/") else " ") + unit
        return core


def _number(value: float, decimals: int, *, thousands: bool) -> str:
    text = f"{value:.{decimals}f}".replace(".", ",")
    whole, _, fraction = text.partition(",")
    if thousands and len(whole) > 3:
        groups: list[str] = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        whole = NBSP.join([whole, *groups]) if groups else whole
    return f"{whole},{fraction}" if fraction else whole


def _parse(number: str) -> tuple[float, int, bool]:
    thousands = bool(re.search(r"\d[ \u00a0\u202f]\d{3}", number))
    clean = re.sub(r"[ \u00a0\u202f]", "", number)
    decimals = len(clean.split(",")[1]) if "," in clean else 0
    return float(clean.replace(",", ".")), decimals, thousands


_WORD_OF = {value: word for word, value in WORDS.items() if word != "une"}


def _worded(text: str, start: int, end: int) -> list[Quantity]:
    found = []
    for match in _WORDED.finditer(text, start, end):
        low = float(WORDS[match.group("low").lower()])
        high = float(WORDS[match.group("high").lower()]) if match.group("high") else None
        if high is not None and high <= low:
            continue
        found.append(
            Quantity(
                start=match.start(),
                end=match.end(),
                text=text[match.start() : match.end()],
                qualifier=(match.group("qualifier") or "").replace("’", "'"),
                low=low,
                high=high,
                decimals=0,
                ordinal=False,
                connector=match.group("connector") or "",
                unit=(match.group("unit") + (match.group("rate") or "")).replace(NBSP, " "),
                thousands=True,
                worded=True,
            )
        )
    return found


def quantities(text: str, *, start: int = 0, end: int | None = None) -> list[Quantity]:
    """The quantities of ``text[start:end]`` (offsets into ``text``)."""
    end = len(text) if end is None else end
    found = _worded(text, start, end)
    for match in _QUANTITY.finditer(text, start, end):
        if _NAMED_BEFORE.search(text[max(0, match.start() - 8) : match.start()]):
            continue
        if _FORMULA_AFTER.match(text[match.end() : match.end() + 3]):
            continue
        unit = match.group("unit") or match.group("counted") or ""
        rate = match.group("rate") or match.group("counted_rate") or ""
        if unit in {"l", "h", "min", "g"} and not match.group("low"):
            continue
        low, decimals, thousands = _parse(match.group("low"))
        high = None
        if match.group("high"):
            high, decimals_high, thousands_high = _parse(match.group("high"))
            decimals = max(decimals, decimals_high)
            thousands = thousands or thousands_high
            if high <= low:
                continue  # "4 à 2": not a range
        ordinal = bool(match.group("ord1"))
        if not unit and not ordinal and high is None and low < 10 and decimals == 0:
            continue  # a bare small number ("les 3 éléments") is rarely a threshold
        qualifier = (match.group("qualifier") or "").replace("’", "'")
        if match.group("entre"):
            if high is None:
                continue
            qualifier = "entre"
        found.append(
            Quantity(
                start=match.start(),
                end=match.end(),
                text=text[match.start() : match.end()],
                qualifier=qualifier,
                low=low,
                high=high,
                decimals=decimals,
                ordinal=ordinal,
                connector=match.group("connector") or "",
                unit=(unit + rate).replace(NBSP, " "),
                # French separates thousands; a text that wrote "1500" keeps its way.
                thousands=thousands or len(str(int(low))) < 4,
            )
        )
    return sorted(found, key=lambda quantity: quantity.start)


# --- wrong values ------------------------------------------------------------------------------


def _nice(value: float, decimals: int) -> float:
    """Rounded as a text would write it: 2 significant digits for large values."""
    if value <= 0:
        return value
    if value >= 100:
        magnitude = 10 ** (int(math.log10(value)) - 1)
        return round(value / magnitude) * magnitude
    return round(value, decimals) if decimals else float(round(value))


def _apart(a: float, b: float, quantity: Quantity) -> bool:
    if quantity.unit_key == "°c":
        return abs(a - b) >= 0.3 - 1e-9  # 38 °C against 38,3 °C: the confusion to test
    if quantity.unit_key == "ans" and quantity.low >= 18:
        return abs(a - b) >= 5 - 1e-9  # ages
    larger = max(abs(a), abs(b))
    return larger > 0 and abs(a - b) / larger >= 0.1


def _scaled(quantity: Quantity) -> list[float]:
    """Candidate middle values, nearest first, each side of the key."""
    value = quantity.value
    if quantity.unit_key == "°c":
        return [value + step for step in (-0.5, 0.5, -1.0, 1.0, 1.5, -1.5)]
    if quantity.unit_key == "ans" and quantity.low >= 18:
        return [value + step for step in (-10, 10, -5, 5, 15, -15)]
    factors = (0.5, 2, 1.5, 0.25, 3, 4, 0.75, 5, 10)
    out = [value * factor for factor in factors]
    if quantity.unit_key.startswith("%"):
        out = [v for v in out if 0 < v <= 100]
    return out


@dataclass(frozen=True)
class Option:
    value: float  # the middle, for ordering
    text: str
    low: float | None = None  # a range's ends ("2 à 4 litres"), when it is one
    high: float | None = None

    def inside(self, other: Option) -> bool:
        """This value or range lies within the other's range, or across it ("2 à 3 litres"
        and "2 à 4 litres" say the same in part: a learner may argue either)."""
        if other.low is None or other.high is None:
            return False
        low = self.low if self.low is not None else self.value
        high = self.high if self.high is not None else self.value
        return low < other.high and other.low < high


def wrong_values(
    quantity: Quantity, *, course: Iterable[Quantity], count: int = 3, position: int = 0
) -> list[Option] | None:
    """``count`` wrong values, the key placed at ``position`` once sorted (or as near as the
    values allow); None when not enough values are far enough apart."""
    key = quantity.value
    # Values of another order of magnitude are no confusion ("0,9 %" and "80 %").
    candidates = [
        Option(other.value, _respelt(quantity, other), other.low, other.high)
        for other in course
        if other.same_kind(quantity) and other.value != key and 0.2 <= other.value / key <= 5
    ]
    candidates += [option for value in _scaled(quantity) if (option := _variant(quantity, value))]
    chosen: list[Option] = []

    own = Option(key, "", quantity.low, quantity.high)

    def fits(option: Option) -> bool:
        values = [key, *(other.value for other in chosen)]
        return (
            option.value > 0
            and all(_apart(option.value, v, quantity) for v in values)
            and not (option.inside(own) or own.inside(option))  # none is partly right
        )

    below, above = position, count - position
    for option in candidates:  # the wanted number each side of the key, course values first
        if len(chosen) == count:
            break
        side_wanted = below if option.value < key else above
        if side_wanted > 0 and fits(option):
            chosen.append(option)
            if option.value < key:
                below -= 1
            else:
                above -= 1
    for option in candidates:  # then anything that fits
        if len(chosen) == count:
            break
        if option not in chosen and fits(option):
            chosen.append(option)
    return chosen if len(chosen) == count else None


def respelt(quantity: Quantity, option: Option) -> Option:
    """A wrong value written again as ``quantity`` writes its values."""
    low = option.low if option.low is not None else option.value
    return Option(option.value, quantity.spelt(low, option.high), option.low, option.high)


def _respelt(key: Quantity, other: Quantity) -> str:
    """The course's other value as the text writes it, with the key's qualifier (and, for two
    ranges, the key's "à" or "-": "2 à 4" beside "4 à 7", never "2 et 3")."""
    connector = (
        key.connector if key.high is not None and other.high is not None else other.connector
    )
    return replace(other, qualifier=key.qualifier, connector=connector).spelt(other.low, other.high)


def _variant(quantity: Quantity, middle: float) -> Option | None:
    """A value of the key's kind whose middle is ``middle`` (a range keeps its proportions)."""
    if quantity.high is None:
        value = _nice(middle, quantity.decimals)
        if quantity.ordinal or quantity.decimals == 0:
            value = float(round(value))
        if value <= 0:
            return None
        return Option(value, quantity.spelt(value))
    ratio = middle / quantity.value
    low = _nice(quantity.low * ratio, quantity.decimals)
    high = _nice(quantity.high * ratio, quantity.decimals)
    if quantity.decimals == 0:
        low, high = float(round(low)), float(round(high))
    if low <= 0 or high <= low:
        return None
    return Option((low + high) / 2, quantity.spelt(low, high), low, high)


def ordered(key: Option, wrong: Sequence[Option]) -> tuple[list[str], int]:
    """Options in numeric order, and the key's index among them."""
    options = sorted([key, *wrong], key=lambda option: option.value)
    return [option.text for option in options], options.index(key)
