"""Importing generates quiz items; re-importing a changed document touches only what changed."""

from __future__ import annotations

import io
import shutil

import pytest
from django.core.management import call_command

from courses.models import Lesson, QuestionItem

from ..conftest import SEED_000, SEED_001

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_document", *map(str, args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_import_drafts_items_for_review_by_default(settings):
    settings.QUIZ_AUTO_APPROVE = False
    run(SEED_000, SEED_001)
    items = QuestionItem.objects.all()
    assert items.count() > 20
    assert set(items.values_list("status", flat=True)) == {QuestionItem.Status.DRAFT}
    for item in items.select_related("lesson"):
        assert item.lesson.text[item.source_start : item.source_end] == item.source_sentence


def test_auto_approve_approves_items_that_pass_every_check(settings):
    settings.QUIZ_AUTO_APPROVE = True
    run(SEED_001)
    assert QuestionItem.objects.exclude(status=QuestionItem.Status.APPROVED).count() == 0
    assert QuestionItem.objects.count() > 10


def test_reimport_unchanged_churns_nothing(settings):
    settings.QUIZ_AUTO_APPROVE = True
    run(SEED_001)
    before = sorted(QuestionItem.objects.values_list("pk", "fingerprint", "status"))
    run(SEED_001)
    assert sorted(QuestionItem.objects.values_list("pk", "fingerprint", "status")) == before


def test_reimport_changed_document_regenerates_only_changed_lessons(settings, tmp_path):
    """An approved item whose source sentence changed goes back to review; others stay."""
    settings.QUIZ_AUTO_APPROVE = True
    run(SEED_001)
    changed_lesson = Lesson.objects.get(
        title="Thérapie par cytokines en immunothérapie anticancéreuse"
    )
    untouched = list(
        QuestionItem.objects.exclude(lesson=changed_lesson).values_list("pk", "status", "stem")
    )
    approved_here = QuestionItem.objects.filter(
        lesson=changed_lesson, source_sentence__contains="aldesleukine"
    )
    assert approved_here.exists()
    copy = tmp_path / SEED_001.name
    shutil.copy(SEED_001, copy)
    text = copy.read_text(encoding="utf-8")
    copy.write_text(
        text.replace(
            "L'IL-2, également connue sous le nom d'aldesleukine, a été approuvée",
            "L'IL-2 recombinante a été approuvée",
        ),
        encoding="utf-8",
    )

    settings.QUIZ_AUTO_APPROVE = False
    run(copy)

    assert (
        list(
            QuestionItem.objects.exclude(lesson=changed_lesson).values_list("pk", "status", "stem")
        )
        == untouched
    )
    for item in QuestionItem.objects.filter(pk__in=[i.pk for i in approved_here]):
        assert item.status == QuestionItem.Status.DRAFT
        assert item.review_note
    served = QuestionItem.objects.filter(lesson=changed_lesson, status=QuestionItem.Status.APPROVED)
    changed_lesson.refresh_from_db()
    for item in served:
        assert changed_lesson.text[item.source_start : item.source_end] == item.source_sentence


def test_quiz_report_and_generate_questions(settings):
    settings.QUIZ_AUTO_APPROVE = False
    run(SEED_000, SEED_001)
    out = io.StringIO()
    call_command("quiz_report", "--course", settings.COURSES_DEFAULT_COURSE_SLUG, stdout=out)
    report = out.getvalue()
    assert "Le syndrome de libération de cytokines" in report
    assert "per 100 words" in report or "pour 100 mots" in report
    out = io.StringIO()
    call_command("generate_questions", "--course", settings.COURSES_DEFAULT_COURSE_SLUG, stdout=out)
    assert QuestionItem.objects.filter(status=QuestionItem.Status.DRAFT).exists()
