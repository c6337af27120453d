"""Generation runs once per test session for each set of texts (spaCy loads once)."""

from __future__ import annotations

from pathlib import Path

import pytest

from courses.ingest import read_document
from courses.quizgen import LessonText, generate, load_glossary
from courses.quizgen.context import build
from courses.quizgen.terminology import load_terminology
from courses.quizgen.terms import load_types

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "fixtures" / "glossary" / "oncologie.yaml"
TABLES = ROOT / "fixtures" / "terminology"
SEEDS = sorted((ROOT / "fixtures" / "documents").glob("*.txt"))
EXTRA = sorted((ROOT / "fixtures" / "extra").glob("*.txt"))


def lessons_of(paths: list[Path]) -> list[LessonText]:
    lessons = []
    for path in paths:
        document = read_document(path.read_bytes(), source=path.name, max_bytes=2_000_000)
        for index, lesson in enumerate(document.lessons):
            lessons.append(
                LessonText(
                    key=f"{path.name}#{index}",
                    title=lesson.title,
                    text=lesson.text,
                    module_title=document.title,
                )
            )
    return lessons


def generate_course(lessons: list[LessonText], glossary) -> list:
    """Generation as the site runs it: the glossary and the terminology tables."""
    return generate(
        lessons,
        glossary=glossary,
        terminology=load_terminology(str(TABLES)),
        types=load_types(str(TABLES / "types.yaml")),
    )


def lesson_quiz(text: str, glossary, *, title: str, beside: tuple[LessonText, ...] = ()):
    """The quiz of one small lesson, in a course of it and the lessons ``beside`` it."""
    return generate_course([LessonText(key="t", title=title, text=text), *beside], glossary)[0]


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
    return generate_course(seed_lessons, glossary)


@pytest.fixture(scope="session")
def extra_quizzes(extra_lessons, glossary):
    return generate_course(extra_lessons, glossary)


@pytest.fixture(scope="session")
def all_quizzes(seed_quizzes, extra_quizzes):
    return [*seed_quizzes, *extra_quizzes]


@pytest.fixture(scope="session")
def all_lessons_by_key(seed_lessons, extra_lessons):
    return {lesson.key: lesson for lesson in [*seed_lessons, *extra_lessons]}


@pytest.fixture(scope="session")
def seed_course(seed_lessons, glossary):
    """The parsed course context, for calling generators and checks directly."""
    return build(
        seed_lessons,
        glossary,
        seed_salt="test",
        terminology=load_terminology(str(TABLES)),
        types=load_types(str(TABLES / "types.yaml")),
    )


@pytest.fixture(scope="session")
def course_glossary(seed_course):
    """The seeds' course glossary: the curated one with the texts' own terms."""
    return seed_course.glossary


def kept(quizzes) -> list:
    return [item for quiz in quizzes for item in quiz.kept]


# Dropped only because the fact is asked by another item: the item itself passed every check.
SET_LEVEL = frozenset({"asked_twice", "asked_as_question"})


def sound(quizzes) -> list:
    """The items that passed every item check: kept, or dropped only as the fact's second ask."""
    return kept(quizzes) + [
        entry.item
        for quiz in quizzes
        for entry in quiz.dropped
        if {flaw.code for flaw in entry.flaws} <= SET_LEVEL
    ]


def find(quizzes, *, kind: str, key: str, variant: str | None = None, among=kept):
    """The kept item of that kind keyed on ``key`` (canonical term); ``among=sound`` looks at
    the items the set-level choice left out too."""
    matches = [
        item
        for item in among(quizzes)
        if item.kind == kind
        and item.key_term == key
        and (variant is None or item.variant == variant)
    ]
    assert matches, f"no {kind} item keyed on {key!r}"
    return matches[0]
