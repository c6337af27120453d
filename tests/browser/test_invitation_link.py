"""The cohort's invitation link, as course staff share it: copied with one button, and as a
QR code that a phone's camera reads back to the same address."""

from __future__ import annotations

import io

import numpy
import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image

from courses.cohorts.selectors import join_url

from .conftest import check_accessibility, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_invitation_link_is_copied_and_read_from_its_qr_code(
    browser,
    live_server,
    instructor,
    password,
    course,
    make_cohort,
):
    cohort = make_cohort(course)
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, bypass_csp=True
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    try:
        log_in(page, instructor.email, password)
        page.goto(reverse("courses:cohort_enrol", kwargs={"pk": cohort.pk}))
        check_accessibility(page)
        page.get_by_role("button", name="Copier le lien").click()
        page.get_by_text("Lien copié.").wait_for()
        assert page.evaluate("navigator.clipboard.readText()") == join_url(cohort)

        png = page.locator(".join-qr svg").screenshot()
        image = Image.open(io.BytesIO(png)).convert("L")
        # As a camera sees it, larger than the screen draws it.
        image = image.resize((image.width * 4, image.height * 4), Image.Resampling.NEAREST)
        pixels = numpy.asarray(image)
        assert [found.text for found in zxingcpp.read_barcodes(pixels)] == [join_url(cohort)]
    finally:
        context.close()
