from tests.cohorts.conftest import make_cohort, make_member  # noqa: F401  (fixtures)
