"""The browser fixtures live in tests/browser/fixtures.py, a plugin the root conftest loads, so
that every test package (tests/scorm too) shares one Chromium for the whole session."""

from .fixtures import AXE, CHROMIUM, CHROMIUM_ARGS, check_accessibility

__all__ = ["AXE", "CHROMIUM", "CHROMIUM_ARGS", "check_accessibility"]
