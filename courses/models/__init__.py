"""Every model of the app, re-exported so that `from courses.models import Lesson` works."""

from .accounts import User
from .catalog import Course, Lesson, Module
from .progress import Enrollment, LessonProgress

__all__ = ["Course", "Enrollment", "Lesson", "LessonProgress", "Module", "User"]
