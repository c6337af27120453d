"""Every model of the app, re-exported so that `from courses.models import Lesson` works."""

from .accounts import User
from .catalog import Course, CourseImage, Lesson, LessonVersion, Module
from .certificates import Certificate
from .cohorts import Cohort, CohortMembership, DeadlineReminder, Invitation, LateReminder
from .jobs import BackgroundJob
from .privacy import AccessRecord, InvitationObjection, SentEmail
from .progress import CourseCompletion, Enrollment, LessonProgress
from .quizzes import AttemptAnswer, QuestionItem, QuizAttempt
from .satisfaction import SatisfactionResponse

__all__ = [
    "AccessRecord",
    "AttemptAnswer",
    "BackgroundJob",
    "Certificate",
    "Cohort",
    "CohortMembership",
    "Course",
    "CourseCompletion",
    "CourseImage",
    "DeadlineReminder",
    "Enrollment",
    "Invitation",
    "InvitationObjection",
    "LateReminder",
    "Lesson",
    "LessonProgress",
    "LessonVersion",
    "Module",
    "QuestionItem",
    "QuizAttempt",
    "SatisfactionResponse",
    "SentEmail",
    "User",
]
