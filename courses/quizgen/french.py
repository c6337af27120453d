"""Small pieces of French grammar the item templates need: articles, elision, agreement.

Pure functions over strings; the gender and number of a term come from the glossary.
"""

from __future__ import annotations

import re

VOWELS = "aeiouyàâäéèêëîïôöùûüÿœæAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŸŒÆ"
# Words that stay as they are when a multi-word term goes to the plural.
_INVARIABLE = frozenset(
    """
    de du des d la le les l à au aux en et ou par pour sur sous avec sans chez entre non t b
    nk
    """.split()
)


def starts_with_vowel_sound(word: str, *, h_aspire: bool = False) -> bool:
    """Whether "le", "la", "de" elide before ``word``: "l'IL-2", "l'hypotension"."""
    word = word.lstrip("«\"' ")
    if not word:
        return False
    first = word[0]
    if first in "hH":
        return not h_aspire
    return first in VOWELS


def pluralize_word(word: str) -> str:
    lower = word.lower()
    if not word.isalpha() or word.isupper() or len(word) <= 2 or lower in _INVARIABLE:
        return word
    if lower.endswith(("s", "x", "z")):
        return word
    if lower.endswith("al") and lower not in {"bal", "carnaval", "festival", "récital", "chacal"}:
        return word[:-2] + "aux"
    if lower.endswith(("eau", "au", "eu")) and lower not in {"pneu", "bleu"}:
        return word + "x"
    return word + "s"


def singularize_word(word: str) -> str:
    """ "oraux" -> "oral", "directs" -> "direct", "veineuses" -> "veineuse"; "veineux" stays."""
    lower = word.lower()
    if len(word) <= 3 or word.isupper():
        return word
    if lower.endswith("aux") and lower not in {"faux", "taux"}:
        return word[:-3] + "al"
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def pluralize(term: str, *, head_only: bool = False) -> str:
    """Regular plural of a term: every inflectable word, or only the first ("facteurs de …").

    A hyphenated word takes the plural on its last part ("gastro-intestinaux"); the
    complement after a preposition keeps its number ("syndromes de lyse tumorale").
    """
    parts = re.split(r"(\s+|['’])", term)
    out = []
    inflected_head = False
    after_preposition = False
    for part in parts:
        if not part or re.fullmatch(r"\s+|['’]", part):
            out.append(part)
            continue
        lower = part.lower()
        if lower in {"de", "du", "des", "d", "à", "au", "aux", "par", "pour", "en", "sur"}:
            after_preposition = True
            out.append(part)
            continue
        if after_preposition or (head_only and inflected_head):
            out.append(part)
            continue
        head, dash, last = part.rpartition("-")
        out.append(f"{head}{dash}{pluralize_word(last)}" if dash else pluralize_word(part))
        inflected_head = True
    return "".join(out)


def definite(term: str, *, gender: str, number: str, h_aspire: bool = False) -> str:
    """ "le X", "la X", "l'X", "les X"."""
    if number == "p":
        return f"les {term}"
    if starts_with_vowel_sound(term, h_aspire=h_aspire):
        return f"l'{term}"
    return f"{'la' if gender == 'f' else 'le'} {term}"


def of_definite(term: str, *, gender: str, number: str, h_aspire: bool = False) -> str:
    """ "du X", "de la X", "de l'X", "des X"."""
    if number == "p":
        return f"des {term}"
    if starts_with_vowel_sound(term, h_aspire=h_aspire):
        return f"de l'{term}"
    return f"{'de la' if gender == 'f' else 'du'} {term}"


def which(gender: str, number: str) -> str:
    """The interrogative pronoun: lequel, laquelle, lesquels, lesquelles."""
    return {
        ("m", "s"): "lequel",
        ("f", "s"): "laquelle",
        ("m", "p"): "lesquels",
        ("f", "p"): "lesquelles",
    }[(gender, number)]


def which_adjective(gender: str, number: str) -> str:
    """quel, quelle, quels, quelles."""
    return {("m", "s"): "quel", ("f", "s"): "quelle", ("m", "p"): "quels", ("f", "p"): "quelles"}[
        (gender, number)
    ]


def subject_pronoun(gender: str, number: str) -> str:
    return {("m", "s"): "il", ("f", "s"): "elle", ("m", "p"): "ils", ("f", "p"): "elles"}[
        (gender, number)
    ]


def agree(participle: str, *, gender: str, number: str) -> str:
    """A past participle or adjective agreed: "connu" -> "connue", "connus", "connues";
    "exceptionnel" -> "exceptionnelle"."""
    word = participle
    if gender == "f" and not word.endswith("e"):
        word += "le" if word.endswith("el") else "e"
    if number == "p" and not word.endswith("s"):
        word += "s"
    return word


# Masculine and feminine endings of adjectives and participles, the longest first.
_GENDER_ENDINGS = (
    ("eux", "euse"), ("if", "ive"), ("ien", "ienne"), ("el", "elle"), ("on", "onne"),
    ("er", "ère"), ("é", "ée"), ("u", "ue"), ("i", "ie"),
)  # fmt: skip


def regender(
    word: str, *, gender: str, plural: bool, participle: bool = False, lemma: str = ""
) -> str | None:
    """An adjective or participle given the other gender ("adaptée" -> "adapté", "atteint"
    -> "atteinte", "douloureuse" -> "douloureux"), its number kept; None when its form cannot
    be told ("rapide" stays, but "complète" needs its lemma). ``lemma``: the masculine form
    when known (an adjective's lemma); ``plural``: the word's number."""
    base = word[:-1] if plural and word.endswith("s") else word
    out: str | None = None
    if gender == "f":  # masculine -> feminine
        for masculine, feminine in _GENDER_ENDINGS:
            if base.endswith(masculine):
                out = base[: -len(masculine)] + feminine
                break
        else:
            out = base if base.endswith("e") else base + "e"
    else:  # feminine -> masculine
        for masculine, feminine in _GENDER_ENDINGS:
            if base.endswith(feminine):
                out = base[: -len(feminine)] + masculine
                break
        else:
            if lemma and not participle and lemma[:2].lower() == base[:2].lower():
                out = lemma
            elif participle and base.endswith(("te", "se")):
                out = base[:-1]  # "atteinte" -> "atteint", "prise" -> "pris"
            elif base.endswith("e") and not participle and lemma == "":
                return None
            else:
                out = base
    if out is None:
        return None
    return out + "s" if plural and not out.endswith(("s", "x")) else out


def capitalize_first(text: str) -> str:
    for index, char in enumerate(text):
        if char.isalpha():
            return text[:index] + char.upper() + text[index + 1 :]
    return text


def option_form(term: str) -> str:
    """How a term stands alone as an option: its first letter capitalised, abbreviations kept."""
    return capitalize_first(term)


_FEMININE_INN = re.compile(r"(?:ine|one|ase|ose)$")
_MASCULINE_INN = re.compile(r"platine$")


def inn_gender(name: str) -> str:
    """The gender French gives an INN: la warfarine, la prednisone, but le cisplatine, le
    furosémide, le nivolumab."""
    word = name.lower().split()[0] if name.strip() else ""
    if word == "acide":
        return "m"
    if _FEMININE_INN.search(word) and not _MASCULINE_INN.search(word):
        return "f"
    return "m"


def in_case_of(name: str, *, h_aspire: bool = False) -> str:
    """ "en cas de lymphœdème", "en cas d'hypercalcémie maligne"."""
    if starts_with_vowel_sound(name, h_aspire=h_aspire):
        return f"en cas d'{name}"
    return f"en cas de {name}"
