"""Every model of the app, re-exported so that `from courses.models import Lesson` works."""

from .accounts import User
from .catalog import Course, Lesson, Module
from .progress import Enrollment, LessonProgress
from .quizzes import AttemptAnswer, QuestionItem, QuizAttempt

__all__ = [
    "AttemptAnswer",
    "Course",
    "Enrollment",
    "Lesson",
    "LessonProgress",
    "Module",
    "QuestionItem",
    "QuizAttempt",
    "User",
]
