from tests.cohorts.conftest import make_member  # noqa: F401  (fixtures)
