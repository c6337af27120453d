"""Maintained terminologies: drugs by ATC class, conditions and signs by CIM-10 chapter.

The tables are derived from the edsnlp package by ``fixtures/terminology/derive.py`` (sources
and licences: docs/terminologies.md). They decide what a term the glossary has never seen *is*
(a drug of ATC class L03AA, a sign of CIM-10 chapter R) and which terms are its siblings, so a
new document's drugs and signs get wrong answers of their own kind.

- Drugs: ATC code -> INN. Siblings share the 4th level (the first five characters: L03AA holds
  filgrastim, lénograstim, pegfilgrastim). A drug no table lists is classed by its WHO INN stem
  (-mab, -tinib, -stim, …). The table writes INNs without accents: ``inn_spelling`` restores
  the French spelling (céfépime, méthylprednisolone), unless the course's own text spells it.
- Conditions: CIM-10 code -> label; the chapter letter (R: symptoms and signs) and the
  three-character category type the term.

Pure: the caller passes the folder (``settings.QUIZ_TERMINOLOGY``); the tables are read once
per process.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from courses.textnorm import match_key

# WHO INN stems ("The use of stems in the selection of International Nonproprietary Names"):
# the suffix names a class. Longest first; (stem, class code, what the class is).
INN_STEMS: tuple[tuple[str, str, str], ...] = (
    ("ciclib", "stem:ciclib", "inhibiteur de CDK4/6"),
    ("parib", "stem:parib", "inhibiteur de PARP"),
    ("tinib", "stem:tinib", "inhibiteur de tyrosine kinase"),
    ("rafenib", "stem:tinib", "inhibiteur de tyrosine kinase"),
    ("zumab", "stem:mab", "anticorps monoclonal"),
    ("ximab", "stem:mab", "anticorps monoclonal"),
    ("umab", "stem:mab", "anticorps monoclonal"),
    ("mab", "stem:mab", "anticorps monoclonal"),
    ("grastim", "stem:stim", "facteur de croissance"),
    ("stim", "stem:stim", "facteur de croissance"),
    ("poétine", "stem:poetin", "érythropoïétine"),
    ("poetine", "stem:poetin", "érythropoïétine"),
    ("parine", "stem:parin", "héparine"),
    ("xaban", "stem:xaban", "anticoagulant anti-Xa"),
    ("gatran", "stem:gatran", "anticoagulant anti-IIa"),
    ("dronate", "stem:dronate", "bisphosphonate"),
    ("dronique", "stem:dronate", "bisphosphonate"),
    ("platine", "stem:platin", "sel de platine"),
    ("rubicine", "stem:rubicin", "anthracycline"),
    ("taxel", "stem:taxel", "taxane"),
    ("sétron", "stem:setron", "antiémétique anti-5-HT3"),
    ("setron", "stem:setron", "antiémétique anti-5-HT3"),
    ("prazole", "stem:prazole", "inhibiteur de la pompe à protons"),
    ("cilline", "stem:cillin", "pénicilline"),
    ("mycine", "stem:mycin", "antibiotique"),
    ("floxacine", "stem:oxacin", "fluoroquinolone"),
    ("olol", "stem:olol", "bêtabloquant"),
    ("pril", "stem:pril", "inhibiteur de l'enzyme de conversion"),
    ("sartan", "stem:sartan", "antagoniste de l'angiotensine II"),
    ("statine", "stem:stat", "statine"),
    ("vir", "stem:vir", "antiviral"),
    ("conazole", "stem:conazole", "antifongique azolé"),
)

_ONSETS = frozenset("pr br tr dr cr gr fr vr pl bl cl gl fl ph th ch gn".split())
_VOWEL = set("aeiouy")


def stem_class(name: str) -> tuple[str, str] | None:
    """(class code, what the class is) from the INN's stem, for a drug no table lists."""
    key = match_key(name)
    if " " in key.strip():
        return None
    for stem, code, label in INN_STEMS:
        if key.endswith(match_key(stem)) and len(key) > len(stem) + 2:
            return code, label
    return None


def inn_spelling(name: str) -> str:
    """The French spelling of an unaccented INN, by the rules of French INN adaptation.

    An "e" that closes an open syllable (one consonant, or a consonant cluster French can
    begin a syllable with, then a vowel) takes an acute accent: cefepime -> céfépime,
    methylprednisolone -> méthylprednisolone; an "e" before two consonants, before "x", in a
    digraph (eu, ei) or at the end stays as it is (pembrolizumab, dexaméthasone, aldesleukine);
    an "e" before a consonant and a final mute "e" takes a grave accent (tamoxifène).
    """
    word = name.lower()
    out = list(word)
    for index, char in enumerate(word):
        if char != "e":
            continue
        rest = word[index + 1 :]
        if not rest or not rest[0].isalpha():
            continue  # final e, or e before a hyphen or a space
        if (index > 0 and word[index - 1] in "aiou") or rest[0] in "uiy":
            continue  # a digraph: ae, ie, oe, ue, eu, ei, ey
        if index > 0 and word[index - 1] == "g" and rest[0] in "aou":
            continue  # "ge" before a vowel only softens the g (rare)
        if rest[0] in _VOWEL:
            out[index] = "é"  # e before a vowel: néomycine, théophylline
            continue
        consonants = re.match(r"[^aeiouy\s-]+", rest)
        if consonants is None:
            continue
        cluster = consonants.group(0)
        after = rest[len(cluster) :]
        if not after or after[0] not in _VOWEL:
            continue  # a closed final syllable: "-el", "-em", "-ex"
        if "x" in cluster:
            continue
        if len(cluster) == 1 or cluster in _ONSETS:
            final_mute = after == "e"
            out[index] = "è" if final_mute else "é"
    # A roman numeral or a single letter after the name keeps its capitals: "antithrombine III",
    # "facteur VIII", "vitamine K".
    return re.sub(r"(?<=\s)(?:[ivx]{1,4}|[a-z])\b", lambda m: m.group(0).upper(), "".join(out))


# The anion of a salt, which French names first: "chlorure de sodium", "bromure d'ipratropium".
_ANIONS = frozenset(
    "chlorure bromure iodure sulfate picosulfate acétate citrate phosphate lactate gluconate "
    "carbonate hydroxyde oxyde".split()
)


def salt_order(name: str) -> str:
    """A salt the table writes cation first ("sodium chlorure") in the French order
    ("chlorure de sodium"); a name of more words is left as it is."""
    words = name.split()
    if len(words) != 2 or words[1] not in _ANIONS:
        return name
    cation, anion = words
    link = "d'" if cation[:1] in "aeiouyéèh" else "de "
    return f"{anion} {link}{cation}"


@dataclass(frozen=True)
class Drug:
    inn: str  # as the table writes it: lower case, no accents
    atc: str  # 7 characters, 5th level

    @property
    def spelling(self) -> str:
        return salt_order(inn_spelling(self.inn))

    @property
    def group(self) -> str:
        """The 4th ATC level: siblings here are the natural wrong answers."""
        return self.atc[:5]


@dataclass(frozen=True)
class Condition:
    label: str
    code: str

    @property
    def chapter(self) -> str:
        return self.code[:1]

    @property
    def category(self) -> str:
        return self.code[:3]

    @property
    def is_sign(self) -> bool:
        """CIM-10 chapter R: symptoms, signs and abnormal findings."""
        return self.chapter == "R"


@dataclass
class Terminology:
    drugs: dict[str, list[Drug]] = field(default_factory=dict)  # by match key of the INN
    groups: dict[str, list[Drug]] = field(default_factory=dict)  # by 4th ATC level
    conditions: dict[str, Condition] = field(default_factory=dict)  # by match key of the label
    categories: dict[str, list[Condition]] = field(default_factory=dict)  # by 3-char category

    def drug(self, name: str) -> Drug | None:
        found = self.drugs.get(_key(name))
        salt = re.fullmatch(r"(\w+) d(?:e |')(\w+)", match_key(name).strip())
        if not found and salt is not None:
            # "chlorure de sodium", as French writes it; the table says "sodium chlorure".
            found = self.drugs.get(_key(f"{salt.group(2)} {salt.group(1)}"))
        if not found:
            # A salt named by its anion ("pamidronate", "alendronate"): the INN is the acid's
            # ("acide pamidronique").
            salt = re.fullmatch(r"(\w{4,})ate", match_key(name).strip())
            if salt is not None:
                found = self.drugs.get(_key(f"acide {salt.group(1)}ique"))
        return found[0] if found else None

    def siblings(self, drug: Drug) -> list[Drug]:
        """Other INNs of the same 4th ATC level, the drug's own excluded."""
        return [other for other in self.groups.get(drug.group, []) if other.inn != drug.inn]

    def cousins(self, drug: Drug) -> list[Drug]:
        """INNs of the same 3rd level but another 4th (L03A* for L03AA)."""
        prefix = drug.atc[:4]
        return [
            other
            for group, members in self.groups.items()
            if group.startswith(prefix) and group != drug.group
            for other in members
        ]

    def condition(self, name: str) -> Condition | None:
        return self.conditions.get(_key(name))


def _key(text: str) -> str:
    return match_key(text).replace("œ", "oe").replace("æ", "ae")


@lru_cache(maxsize=2)
def load_terminology(folder: str) -> Terminology:
    """The tables of ``folder`` (atc_drugs.tsv, cim10.tsv), read once per process."""
    terminology = Terminology()
    drugs: defaultdict[str, list[Drug]] = defaultdict(list)
    groups: defaultdict[str, list[Drug]] = defaultdict(list)
    for line in _rows(Path(folder) / "atc_drugs.tsv"):
        code, inn = line
        drug = Drug(inn=inn, atc=code)
        drugs[_key(inn)].append(drug)
        groups[drug.group].append(drug)
    categories: defaultdict[str, list[Condition]] = defaultdict(list)
    conditions: dict[str, Condition] = {}
    for code, label in _rows(Path(folder) / "cim10.tsv"):
        condition = Condition(label=label, code=code)
        conditions.setdefault(_key(label), condition)
        categories[condition.category].append(condition)
    terminology.drugs = dict(drugs)
    terminology.groups = dict(groups)
    terminology.conditions = conditions
    terminology.categories = dict(categories)
    return terminology


def _rows(path: Path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        code, _tab, value = line.partition("\t")
        rows.append((code, value))
    return rows
