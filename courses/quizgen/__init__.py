"""Lesson text -> multiple-choice items (pure: spaCy in, plain dataclasses out).

    from courses.quizgen import LessonText, generate, load_glossary
    quizzes = generate([LessonText(key="1", title="…", text="…")], glossary=load_glossary(path))

Each ``LessonQuiz`` holds the items kept (every check passed) and those dropped, with why.
"""

from .context import LessonText
from .flaws import text_flaws
from .glossary import Glossary, load_glossary
from .items import Dropped, Flaw, Item, LessonQuiz, Source
from .pipeline import GENERATOR_VERSION, generate

__all__ = [
    "GENERATOR_VERSION",
    "Dropped",
    "Flaw",
    "Glossary",
    "Item",
    "LessonQuiz",
    "LessonText",
    "Source",
    "generate",
    "load_glossary",
    "text_flaws",
]
