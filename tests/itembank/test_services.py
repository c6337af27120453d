"""Review services: a decision, an edit checked like a generated item, regeneration that keeps
what staff reviewed."""

from __future__ import annotations

import pytest

from courses.itembank.services import (
    ItemFlawed,
    item_edit,
    item_review,
    lesson_items_regenerate,
)
from courses.models import Lesson, QuestionItem
from courses.quizzes.selectors import quiz_families

from .conftest import GOOD_EDIT

pytestmark = pytest.mark.django_db

Status = QuestionItem.Status


def edit_values(**changes) -> dict:
    values = {
        "stem": GOOD_EDIT["stem"],
        "options": [GOOD_EDIT[f"option_{index}"] for index in range(4)],
        "answer": 0,
        "explanation": GOOD_EDIT["explanation"],
    }
    values.update(changes)
    return values


def snapshot(item: QuestionItem) -> dict:
    item.refresh_from_db()
    return {
        name: getattr(item, name)
        for name in (
            "stem", "options", "answer", "explanation", "status", "edited", "reviewed_by_id",
            "reviewed_at", "review_note", "updated_at",
        )
    }  # fmt: skip


# --- item_review ---------------------------------------------------------------------------


def test_approving_records_the_reviewer_and_clears_the_note(draft, staff):
    """An approval records who and when, and the "check this" note no longer applies."""
    draft.review_note = "La phrase source a changé."
    draft.save()
    item_review(item=draft, status=Status.APPROVED, reviewer=staff)
    draft.refresh_from_db()
    assert draft.status == Status.APPROVED
    assert draft.reviewed_by == staff
    assert draft.reviewed_at is not None
    assert draft.review_note == ""


@pytest.mark.parametrize("status", [Status.REJECTED, Status.DRAFT])
def test_rejecting_or_sending_back_keeps_the_note(lesson, make_item, staff, status):
    """Only an approval clears the review note; other decisions leave it for the next reviewer."""
    item = make_item(lesson, review_note="À vérifier")
    item_review(item=item, status=status, reviewer=staff)
    item.refresh_from_db()
    assert item.status == status
    assert item.review_note == "À vérifier"


def test_an_unknown_status_is_refused(draft, staff):
    """A status the model does not know is an error, and nothing is written."""
    before = snapshot(draft)
    with pytest.raises(ValueError, match="unknown status"):
        item_review(item=draft, status="published", reviewer=staff)
    assert snapshot(draft) == before


def test_only_approved_items_are_served(lesson, make_item, staff):
    """Learners are asked approved items only: a rejection or a return to draft withdraws one."""
    approved = make_item(lesson)
    second = make_item(lesson)
    make_item(lesson, status=Status.DRAFT)
    make_item(lesson, status=Status.REJECTED)
    assert quiz_families(lesson=lesson) == 2
    item_review(item=approved, status=Status.REJECTED, reviewer=staff)
    item_review(item=second, status=Status.DRAFT, reviewer=staff)
    assert quiz_families(lesson=lesson) == 0


# --- item_edit -----------------------------------------------------------------------------


def test_an_edit_is_saved_marked_edited_and_approved(draft, staff):
    """A sound edit replaces the text, marks the item edited and, if asked, approves it."""
    item_edit(item=draft, reviewer=staff, approve=True, **edit_values())
    draft.refresh_from_db()
    assert draft.stem == GOOD_EDIT["stem"]
    assert draft.options == [GOOD_EDIT[f"option_{index}"] for index in range(4)]
    assert draft.answer == 0
    assert draft.explanation == GOOD_EDIT["explanation"]
    assert draft.edited is True
    assert draft.status == Status.APPROVED
    assert draft.reviewed_by == staff


def test_an_edit_without_approval_keeps_the_status(draft, staff):
    """Saved without "approve", a draft stays a draft (and is not served)."""
    item_edit(item=draft, reviewer=staff, approve=False, **edit_values())
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert draft.edited is True


def test_an_edit_is_trimmed(draft, staff):
    """Spaces around the stem, the options and the explanation are not kept."""
    values = edit_values(
        stem=f"  {GOOD_EDIT['stem']} ",
        options=[f" {GOOD_EDIT[f'option_{index}']}  " for index in range(4)],
        explanation=f"\n{GOOD_EDIT['explanation']}\n",
    )
    item_edit(item=draft, reviewer=staff, approve=True, **values)
    draft.refresh_from_db()
    assert draft.stem == GOOD_EDIT["stem"]
    assert draft.options[0] == GOOD_EDIT["option_0"]
    assert draft.explanation == GOOD_EDIT["explanation"]


FLAWED_EDITS = {
    "all_or_none": edit_values(
        options=[
            "Une réaction inflammatoire",
            "Une infection virale",
            "Une allergie alimentaire",
            "Toutes les réponses ci-dessus",
        ]
    ),
    "duplicate_options": edit_values(
        options=[
            "Une réaction inflammatoire",
            "Une infection virale",
            "Une allergie alimentaire",
            "une infection virale",
        ]
    ),
    "negative_stem": edit_values(
        stem="Quel symptôme n'est pas un signe du syndrome de libération de cytokines ?",
        options=["La fièvre", "L’hypotension", "La tachycardie", "La bradycardie"],
        answer=3,
    ),
    "option_count": edit_values(
        options=["Une réaction inflammatoire", "Une infection virale", "Une allergie alimentaire"]
    ),
    "not_a_question": edit_values(stem="Le syndrome de libération de cytokines provoque"),
    "answer_index": edit_values(answer=4),
}


@pytest.mark.parametrize("code", list(FLAWED_EDITS))
def test_a_flawed_edit_is_refused_and_changes_nothing(lesson, make_item, staff, code):
    """An edit that an item-writing check refuses raises, says why, and writes nothing."""
    item = make_item(lesson, status=Status.DRAFT)
    before = snapshot(item)
    with pytest.raises(ItemFlawed) as refused:
        item_edit(item=item, reviewer=staff, approve=True, **FLAWED_EDITS[code])
    assert code in {flaw.code for flaw in refused.value.flaws}
    assert snapshot(item) == before


# --- regeneration ----------------------------------------------------------------------------


def _any_item(course) -> QuestionItem:
    item = (
        QuestionItem.objects.filter(lesson__module__course=course)
        .select_related("lesson__module__course")
        .order_by("lesson__position", "source_start")
        .first()
    )
    assert item is not None, "the fixture document yields items"
    return item


def _approved_item(course) -> QuestionItem:
    item = (
        QuestionItem.objects.filter(lesson__module__course=course, status=Status.APPROVED)
        .select_related("lesson__module__course")
        .order_by("lesson__position", "source_start")
        .first()
    )
    assert item is not None, "the fixture document yields approved items"
    return item


def test_regeneration_keeps_an_edited_approved_item(imported_course, staff):
    """Staff's edit of an approved item survives regeneration: no overwrite, no duplicate."""
    item = _approved_item(imported_course)
    lesson = item.lesson
    count = QuestionItem.objects.filter(lesson=lesson).count()
    item_edit(item=item, reviewer=staff, approve=True, **edit_values())

    report = lesson_items_regenerate(lesson=lesson)

    item.refresh_from_db()
    assert item.stem == GOOD_EDIT["stem"]
    assert item.options[0] == GOOD_EDIT["option_0"]
    assert item.status == Status.APPROVED
    assert item.edited is True
    assert report.created == 0
    assert report.kept == count
    assert QuestionItem.objects.filter(lesson=lesson).count() == count


def test_regeneration_refreshes_an_untouched_draft(imported_course, staff):
    """A draft nobody edited is drawn again from the text (a stale wording is replaced)."""
    item = _approved_item(imported_course)
    generated_stem = item.stem
    item_review(item=item, status=Status.DRAFT, reviewer=staff)
    QuestionItem.objects.filter(pk=item.pk).update(stem="Ancienne formulation ?")

    report = lesson_items_regenerate(lesson=item.lesson)

    item.refresh_from_db()
    assert item.stem == generated_stem
    assert item.status == Status.DRAFT
    assert report.refreshed >= 1


def test_an_approved_item_whose_sentence_is_gone_goes_back_to_draft(imported_course):
    """When the lesson text loses an item's source sentence, the approved item is no longer
    known to be right: it goes back to draft, with a note, and is not served meanwhile."""
    item = _approved_item(imported_course)
    lesson = Lesson.objects.get(pk=item.lesson_id)
    served = lesson.items.filter(status=Status.APPROVED).count()
    lesson.text = lesson.text.replace(item.source_sentence, "")
    lesson.save()

    report = lesson_items_regenerate(lesson=lesson)

    item.refresh_from_db()
    assert item.status == Status.DRAFT
    assert "phrase source a changé" in item.review_note
    assert report.sent_back >= 1
    assert lesson.items.filter(status=Status.APPROVED).count() < served


def test_an_approved_item_follows_its_sentence_when_it_moves(imported_course):
    """Text added before the sentence moves it: the item stays approved, its offsets follow."""
    item = _approved_item(imported_course)
    lesson = Lesson.objects.get(pk=item.lesson_id)
    lesson.text = "Un paragraphe ajouté en tête de la leçon.\n\n" + lesson.text
    lesson.save()

    lesson_items_regenerate(lesson=lesson)

    item.refresh_from_db()
    assert item.status == Status.APPROVED
    assert lesson.text[item.source_start : item.source_end] == item.source_sentence


def test_regeneration_writes_only_the_chosen_lesson(imported_course):
    """Regenerating one lesson leaves the other lessons' items as they were, drafts included."""
    QuestionItem.objects.filter(lesson__module__course=imported_course).update(status=Status.DRAFT)
    lesson = _any_item(imported_course).lesson
    others = QuestionItem.objects.filter(lesson__module__course=imported_course).exclude(
        lesson=lesson
    )
    assert others.exists()
    before = dict(others.values_list("pk", "updated_at"))
    report = lesson_items_regenerate(lesson=lesson)
    assert set(report.quizzes) == {lesson.pk}
    assert dict(others.values_list("pk", "updated_at")) == before


def test_stored_items_carry_their_family_and_a_reviewed_item_follows_it(imported_course, staff):
    """Every generated item is stored with its family (items of one sentence share one); an
    edited, approved item keeps its text but takes the family generation gives it."""
    items = list(QuestionItem.objects.filter(lesson__module__course=imported_course))
    assert items
    assert all(item.family for item in items)
    by_sentence: dict[tuple[int, int, int], set[str]] = {}
    for item in items:
        key = (item.lesson_id, item.source_start, item.source_end)
        by_sentence.setdefault(key, set()).add(item.family)
    assert all(len(families) == 1 for families in by_sentence.values())

    item = _approved_item(imported_course)
    family = item.family
    item_edit(item=item, reviewer=staff, approve=True, **edit_values())
    QuestionItem.objects.filter(pk=item.pk).update(family="stale")
    lesson_items_regenerate(lesson=item.lesson)
    item.refresh_from_db()
    assert item.family == family
    assert item.stem == GOOD_EDIT["stem"]


def test_a_multiple_response_item_is_stored_with_its_keys_and_served_with_them(settings):
    """Generation makes multiple-response items from lists of examples (the seed 000 has one);
    stored, each keeps every key (multiple_answers), the first in ``answer``, and an attempt's
    snapshot holds them."""
    from courses.ingest import read_document
    from courses.ingest.services import documents_import
    from courses.itembank.services import course_items_generate
    from courses.quizzes.scoring import keys_of
    from courses.quizzes.services import item_snapshot
    from tests.conftest import SEED_000

    document = read_document(
        SEED_000.read_bytes(), source=SEED_000.name, max_bytes=settings.COURSES_IMPORT_MAX_BYTES
    )
    course = documents_import(course_slug=None, documents=[document]).course
    course_items_generate(course=course, auto_approve=True)
    multiple = [
        item
        for item in QuestionItem.objects.filter(lesson__module__course=course)
        if item.is_multiple
    ]
    assert multiple
    for item in multiple:
        assert 2 <= len(item.multiple_answers) <= 3
        assert len(item.options) == 5
        assert item.answer == min(item.multiple_answers)
        assert item.generation["key_terms"]
        assert keys_of(item_snapshot(item)) == frozenset(item.multiple_answers)
        assert "Lesquel" in item.stem
