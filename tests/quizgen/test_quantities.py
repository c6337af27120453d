"""Numbers with their unit, and the wrong values of a threshold item (pure)."""

from __future__ import annotations

import itertools

import pytest

from courses.quizgen.quantities import ordered, quantities, wrong_values


def test_values_ranges_qualifiers_and_units_are_read_as_written():
    text = (
        "La fièvre est une température supérieure ou égale à 38,3 °C. Le traitement dure au "
        "moins 6 mois, à 1 à 2 mg/kg/jour. Les plaquettes sont sous 50\u00a0000/mm³ entre le "
        "5e et le 21e jour, avec moins de 4 selles par jour."
    )
    found = {q.text: q for q in quantities(text)}
    assert set(found) == {
        "38,3 °C",
        "au moins 6 mois",
        "1 à 2 mg/kg/jour",
        "50\u00a0000/mm³",
        "entre le 5e et le 21e jour",
        "moins de 4 selles par jour",
    }
    assert found["au moins 6 mois"].qualifier == "au moins"
    assert found["1 à 2 mg/kg/jour"].high == 2
    assert found["entre le 5e et le 21e jour"].ordinal
    assert found["50\u00a0000/mm³"].low == 50000


def test_numbers_of_names_scales_and_formulas_are_no_quantities():
    text = "Les anti-PD-1 et le CTLA-4 ; la T4 libre ; une toxicité de grade 3 ; 0,02 × (40 − a)."
    assert quantities(text) == []


def test_wrong_values_are_apart_ordered_and_place_the_key():
    (quantity,) = quantities("Une neutropénie sévère est sous 500/mm³.")
    for position in range(4):
        wrong = wrong_values(quantity, course=[quantity], position=position)
        key = type(wrong[0])(quantity.value, quantity.spelt(quantity.low))
        options, answer = ordered(key, wrong)
        assert answer == position
        values = sorted([quantity.value, *(option.value for option in wrong)])
        assert all(b / a >= 1.1 for a, b in itertools.pairwise(values))
        assert options[answer] == "500/mm³"


def test_the_courses_other_values_are_offered_first():
    """38 °C beside 38,3 °C is the confusion a nurse must not make."""
    course = quantities("Une fièvre à 38,3 °C, ou à 38 °C pendant une heure.")
    wrong = wrong_values(course[0], course=course, position=1)
    assert "38 °C" in [option.text for option in wrong]


@pytest.mark.parametrize(
    ("text", "spelt"),
    [
        ("au moins 6 mois", "au moins 3 mois"),
        ("1 000/mm³", "500/mm³"),
        ("1 à 2 mg/kg/jour", "2 à 4 mg/kg/jour"),
    ],
)
def test_a_wrong_value_is_written_as_the_key_is(text, spelt):
    (quantity,) = quantities(text)
    options = [option.text for option in wrong_values(quantity, course=[], position=1)]
    assert spelt.replace(" ", "\u00a0") in [o.replace(" ", "\u00a0") for o in options]


def test_one_time_a_week_is_feminine():
    """ "une fois par semaine": "fois" keeps its s and its gender."""
    found = quantities("La peau est examinée au moins une fois par semaine.")
    (quantity,) = found
    assert quantity.spelt(1) == "au moins une fois par semaine"
    assert quantity.spelt(2) == "au moins deux fois par semaine"


def test_the_courses_other_ranges_are_written_as_the_key_is():
    """ "4 à 7" beside the text's "entre 2 et 3": offered as "2 à 3", one way of writing."""
    course = quantities("Le risque est multiplié par 4 à 7. L’INR cible est entre 2 et 3.")
    key = next(q for q in course if q.value > 4)
    texts = [option.text for option in wrong_values(key, course=course, position=3) or []]
    assert texts
    assert all(" et " not in text for text in texts), texts


def test_no_wrong_value_lies_partly_within_the_keys_range():
    """ "2 à 4 litres" is never offered "2 à 3 litres", which the text says elsewhere: a
    learner could argue it is right in part. Ranges that only touch ("4 à 8") may be."""
    course = quantities(
        "La réhydratation est de l'ordre de 2 à 4 litres par 24 heures. Le patient boit 2 à 3 "
        "litres par 24 heures, et jamais 3 litres par 24 heures d'un coup."
    )
    key = next(q for q in course if q.high == 4)
    for position in range(4):
        wrong = wrong_values(key, course=course, position=position)
        assert wrong is not None
        texts = [option.text for option in wrong]
        assert not {"2 à 3 litres par 24 heures", "3 litres par 24 heures"} & set(texts), texts
        for text in texts:
            (read,) = quantities(f"Il boit {text}.")
            high = read.high if read.high is not None else read.low
            assert high <= 2 or read.low >= 4, texts


def test_a_worded_singular_key_gives_plural_wrong_values():
    """ "pendant au moins une heure": the other counts take the plural ("deux heures")."""
    (key,) = quantities("La fièvre dure pendant au moins une heure.")
    texts = [option.text for option in wrong_values(key, course=[key], position=0) or []]
    assert texts
    assert all(text.endswith("heures") for text in texts), texts


def test_an_option_is_written_in_words_or_in_digits_never_both():
    """ "toutes les deux à six semaines": "six à 18" would mix them; "6 à 18 semaines"."""
    (key,) = quantities("La perfusion a lieu toutes les deux à six semaines.")
    texts = [option.text for option in wrong_values(key, course=[key], position=0) or []]
    assert texts
    for text in texts:
        has_digit = any(ch.isdigit() for ch in text)
        has_word = any(w in text.split() for w in ("deux", "six", "huit", "dix", "douze"))
        assert not (has_digit and has_word), texts


def test_a_first_week_is_written_in_the_feminine():
    """ "la 2e ou 3e semaine": its lower neighbour is "la 1re ou 2e semaine", never "1er"."""
    (key,) = quantities("Elle apparaît à partir de la 2e ou 3e semaine de traitement.")
    assert key.spelt(1, 2).startswith("1re ou 2e")
    (day,) = quantities("Elle survient entre le 5e et le 21e jour.")
    assert day.spelt(1, 5) == "entre le 1er et le 5e jour"
