"""The cohort factories of tests/cohorts: the reports read what enrolment writes."""

from tests.cohorts.conftest import (  # noqa: F401  (fixtures, found by pytest by their names)
    cohort,
    make_member,
    take_quiz,
)
