"""The demo commands make data only on a site that asks for it (DEBUG or DEMO)."""

import pytest


@pytest.fixture(autouse=True)
def _demo_site(settings):
    settings.DEMO = True
