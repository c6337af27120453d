"""Generation runs once per test session for each set of texts (spaCy loads once)."""

from __future__ import annotations

from pathlib import Path

import pytest

from courses.ingest import read_document
from courses.quizgen import LessonText, generate, load_glossary
from courses.quizgen.context import build

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "fixtures" / "glossary" / "oncologie.yaml"
SEEDS = sorted((ROOT / "fixtures" / "documents").glob("*.txt"))
EXTRA = sorted((ROOT / "fixtures" / "extra").glob("*.txt"))


def lessons_of(paths: list[Path]) -> list[LessonText]:
    lessons = []
    for path in paths:
        document = read_document(path.read_bytes(), source=path.name, max_bytes=2_000_000)
        for index, lesson in enumerate(document.lessons):
            lessons.append(
                LessonText(key=f"{path.name}#{index}", title=lesson.title, text=lesson.text)
            )
    return lessons


@pytest.fixture(scope="session")
def glossary():
    return load_glossary(str(GLOSSARY))


@pytest.fixture(scope="session")
def seed_lessons():
    return lessons_of(SEEDS)


@pytest.fixture(scope="session")
def extra_lessons():
    return lessons_of(EXTRA)


@pytest.fixture(scope="session")
def seed_quizzes(seed_lessons, glossary):
    return generate(seed_lessons, glossary=glossary)


@pytest.fixture(scope="session")
def extra_quizzes(extra_lessons, glossary):
    return generate(extra_lessons, glossary=glossary)


@pytest.fixture(scope="session")
def all_quizzes(seed_quizzes, extra_quizzes):
    return [*seed_quizzes, *extra_quizzes]


@pytest.fixture(scope="session")
def all_lessons_by_key(seed_lessons, extra_lessons):
    return {lesson.key: lesson for lesson in [*seed_lessons, *extra_lessons]}


@pytest.fixture(scope="session")
def seed_course(seed_lessons, glossary):
    """The parsed course context, for calling generators and checks directly."""
    return build(seed_lessons, glossary, seed_salt="test")


def kept(quizzes) -> list:
    return [item for quiz in quizzes for item in quiz.kept]


def find(quizzes, *, kind: str, key: str, variant: str | None = None):
    """The kept item of that kind keyed on ``key`` (canonical term)."""
    matches = [
        item
        for item in kept(quizzes)
        if item.kind == kind
        and item.key_term == key
        and (variant is None or item.variant == variant)
    ]
    assert matches, f"no {kind} item keyed on {key!r}"
    return matches[0]
