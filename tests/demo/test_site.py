"""Demo data only where it is asked for, and never a published password on a deployed site."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from courses.checks import check_demo_passwords

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "command", [("setup_demo",), ("seed_cohort", "--learners", "3")], ids=lambda c: c[0]
)
def test_demo_commands_refuse_a_site_that_is_no_demonstration(settings, command):
    """Without DEBUG or DEMO, setup_demo and seed_cohort stop before writing anything."""
    from courses.models import Cohort, Course, User

    settings.DEBUG = False
    settings.DEMO = False
    with pytest.raises(CommandError, match="DEMO=1"):
        call_command(*command, stdout=io.StringIO(), stderr=io.StringIO())
    assert not User.objects.exists()
    assert not Course.objects.exists()
    assert not Cohort.objects.exists()


def _ids() -> list[str]:
    return [message.id for message in check_demo_passwords(None)]


def test_the_deploy_check_errors_while_a_demo_account_keeps_its_published_password(settings):
    """Each demo account with its README password is an error of `check --deploy`; changed or
    deactivated, it is not."""
    from courses.models import User
    from demo.accounts import DEMO_ACCOUNTS, demo_accounts_ensure

    assert _ids() == []  # no account yet
    demo_accounts_ensure(course=None)
    assert _ids() == ["courses.E006"] * len(DEMO_ACCOUNTS)
    admin = User.objects.get(email=DEMO_ACCOUNTS[2].email)
    admin.set_password("Un-autre-mot-de-passe-2026")
    admin.save()
    learner = User.objects.get(email=DEMO_ACCOUNTS[0].email)
    learner.is_active = False
    learner.save()
    (left,) = check_demo_passwords(None)
    assert left.id == "courses.E006"
    assert DEMO_ACCOUNTS[1].email in left.msg
    # The check never rehashes nor saves a password it tries.
    instructor = User.objects.get(email=DEMO_ACCOUNTS[1].email)
    check_demo_passwords(None)
    assert User.objects.get(pk=instructor.pk).password == instructor.password


def test_the_deploy_check_reads_the_accounts_file_it_is_given(settings, tmp_path, make_user):
    """DEMO_ACCOUNTS_FILE names the published accounts; without the file, nothing to check."""
    user = make_user(email="demo@example.org")
    user.set_password("Publie-2026")
    user.save()
    settings.DEMO_ACCOUNTS_FILE = tmp_path / "absent.json"
    assert _ids() == []
    published = tmp_path / "accounts.json"
    published.write_text(json.dumps([{"email": "demo@example.org", "password": "Publie-2026"}]))
    settings.DEMO_ACCOUNTS_FILE = published
    assert _ids() == ["courses.E006"]


def test_demo_is_no_django_app(settings):
    """demo/ holds no models, no migrations and no app configuration, and is not installed:
    the product's database never depends on it."""
    from pathlib import Path

    import demo

    root = Path(demo.__file__).parent
    assert not any(app.split(".")[0] == "demo" for app in settings.INSTALLED_APPS)
    assert not (root / "models.py").exists()
    assert not (root / "models").exists()
    assert not (root / "migrations").exists()
    assert not (root / "apps.py").exists()
