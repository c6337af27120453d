"""Item editing that helps: a refused edit names the option at fault and the rule; course
staff may save anyway with a reason, recorded and shown on the review page; staff write
questions of their own, drawn from a sentence of the lesson they choose (same checks, same
override)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from courses.itembank.selectors import lesson_sentences
from courses.models import QuestionItem
from courses.quizgen.flaws import text_flaws
from tests.conftest import ITEM_SENTENCE

from .conftest import GOOD_EDIT, edit_url, review_url

pytestmark = pytest.mark.django_db

Status = QuestionItem.Status

# A gap after "l’": options B and D do not begin with a vowel sound.
ELISION = {
    "stem": "Le traitement du syndrome vise à contrôler l’_____ excessive.",
    "option_0": "inflammation",
    "option_1": "fièvre",
    "option_2": "hypotension",
    "option_3": "tachycardie",
    "answer": "0",
}


def write_url(lesson, **query) -> str:
    url = reverse("courses:item_write", kwargs={"slug": lesson.module.course.slug, "pk": lesson.pk})
    return url + ("?multiple=1" if query.get("multiple") else "")


def page_of(response) -> str:
    return response.content.decode()


def error_of(page: str, field: str) -> str:
    found = re.search(rf'<div id="id_{field}_error">(.*?)</div>', page, re.S)
    return found.group(1) if found else ""


# --- the option at fault, named ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("stem", "options", "rule", "at_fault"),
    [
        (
            "Il faut surveiller l’_____ ?",
            ["œdème", "fièvre", "hypoxie", "arythmie"],
            "elided",
            (1,),
        ),
        (
            "On observe une baisse de la _____.",
            ["tension", "diurèse", "saturation", "urée"],
            "elides",
            (3,),
        ),
        ("Quel signe ?", ["La fièvre", "La toux", "Frissons", "La dyspnée"], "no_article", (2,)),
        ("Quel signe ?", ["Fièvre", "Toux", "Les frissons", "Dyspnée"], "article", (2,)),
    ],
)
def test_the_grammar_check_says_which_option_and_which_rule(stem, options, rule, at_fault):
    """Pure: the check's finding carries the options at fault and its rule."""
    (flaw,) = [f for f in text_flaws(stem, options, 0) if f.code == "grammatical_cue"]
    assert (flaw.rule, flaw.options) == (rule, at_fault)


def test_duplicates_and_catch_alls_name_their_option():
    flaws = {
        f.code: f
        for f in text_flaws(
            "Quel signe ?", ["Fièvre", "Toux", "la fièvre", "Aucune des réponses"], 0
        )
    }
    assert flaws["duplicate_options"].options == (2,)
    assert flaws["all_or_none"].options == (3,)


def test_a_refused_edit_names_the_option_at_fault_beside_it(staff_client, draft):
    """“La réponse proposée B ne peut pas suivre « l’ »… (grammaire : élision)” under B, and the
    same for D; nothing saved."""
    response = staff_client.post(edit_url(draft), {**GOOD_EDIT, **ELISION})
    page = page_of(response)
    assert response.status_code == 200
    for field, letter in (("option_1", "B"), ("option_3", "D")):
        assert f"La réponse proposée {letter} ne peut pas suivre «\u00a0l’\u00a0»" in error_of(
            page, field
        )
        assert "grammaire\u00a0: élision" in error_of(page, field)
    assert error_of(page, "option_0") == ""
    assert error_of(page, "option_2") == ""
    draft.refresh_from_db()
    assert not draft.edited


# --- saving anyway, with a reason ---------------------------------------------------------------


def test_staff_may_save_anyway_with_a_reason_recorded_and_shown(staff_client, staff, draft):
    """The refusal offers “Enregistrer quand même”; with a reason the edit is saved, the
    checks it overrules recorded with the reason, who and when, and shown on the review
    page."""
    refused = page_of(staff_client.post(edit_url(draft), {**GOOD_EDIT, **ELISION}))
    assert "Enregistrer quand même" in refused
    reason = "« hypotension » se dit aussi « l’hypotension » : le contrôle se trompe ici."
    response = staff_client.post(
        edit_url(draft),
        {**GOOD_EDIT, **ELISION, "override": "1", "override_reason": reason},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.stem == ELISION["stem"]
    assert draft.status == Status.APPROVED
    assert [flaw["code"] for flaw in draft.checks_overridden] == ["grammatical_cue"]
    assert draft.checks_overridden[0]["options"] == [1, 3]
    assert draft.override_reason == reason
    assert draft.overridden_by == staff
    assert draft.overridden_at is not None
    page = page_of(staff_client.get(review_url(draft.lesson)))
    assert "Enregistrée bien que les contrôles l’aient refusée" in page
    assert "La réponse proposée B ne peut pas suivre" in page
    assert "Raison donnée par Sophie Bernard" in page
    assert "le contrôle se trompe ici" in page


def test_a_clean_edit_later_clears_the_override(staff_client, draft):
    staff_client.post(
        edit_url(draft),
        {**GOOD_EDIT, **ELISION, "override": "1", "override_reason": "Le contrôle se trompe ici."},
    )
    staff_client.post(edit_url(draft), GOOD_EDIT)
    draft.refresh_from_db()
    assert (draft.checks_overridden, draft.override_reason, draft.overridden_by) == ([], "", None)
    assert "Enregistrée bien que" not in page_of(staff_client.get(review_url(draft.lesson)))


@pytest.mark.parametrize(
    ("extra", "why"),
    [
        ({"override": "1", "override_reason": "Faux"}, "too short"),
        ({"override": "1", "override_reason": ""}, "none"),
        ({"override_reason": "Le contrôle se trompe ici, vraiment."}, "the plain Save button"),
    ],
)
def test_no_override_without_a_reason_from_its_own_button(staff_client, draft, extra, why):
    response = staff_client.post(edit_url(draft), {**GOOD_EDIT, **ELISION, **extra})
    assert response.status_code == 200, why
    if extra.get("override_reason") == "Faux":
        assert "10 caractères au moins" in error_of(page_of(response), "override_reason")
    draft.refresh_from_db()
    assert not draft.edited
    assert draft.checks_overridden == []


def test_the_checks_a_quiz_needs_cannot_be_overruled(staff_client, lesson, make_item):
    """Every option of a multiple-response item ticked: refused, and no override offered
    even when one is posted."""
    item = make_item(
        lesson,
        options=["Fièvre", "Hypotension", "Hypoxie", "Céphalées", "Prurit"],
        answer=0,
        multiple_answers=[0, 1],
        status=Status.DRAFT,
    )
    data = {
        "stem": "Quels signes annoncent le syndrome de libération de cytokines ?",
        **{f"option_{i}": option for i, option in enumerate(item.options)},
        "answer": ["0", "1", "2", "3", "4"],
        "explanation": "",
    }
    page = page_of(staff_client.post(edit_url(item), data))
    assert "Enregistrer quand même" not in page
    forced = staff_client.post(
        edit_url(item), {**data, "override": "1", "override_reason": "Je le veux ainsi, vraiment."}
    )
    assert forced.status_code == 200
    item.refresh_from_db()
    assert not item.edited


# --- staff write their own -------------------------------------------------------------------


def written(lesson, **fields) -> dict:
    sentence = next(s for s in lesson_sentences(lesson.text) if s.text == ITEM_SENTENCE)
    return {**GOOD_EDIT, "source": f"{sentence.start}-{sentence.end}", **fields}


def test_the_write_page_offers_the_lessons_sentences(staff_client, lesson):
    page = page_of(staff_client.get(write_url(lesson)))
    assert "Écrire une question" in page
    sentences = lesson_sentences(lesson.text)
    assert sentences
    for sentence in sentences:
        assert f'value="{sentence.start}-{sentence.end}"' in page
    assert 'name="option_3"' in page
    assert 'name="option_4"' not in page


def test_a_written_question_is_stored_with_its_sentence_and_served(
    staff_client, staff, lesson, enrolled
):
    """Kind “written by staff”, its author, the sentence chosen with its offsets; approved,
    it is asked in the lesson's quiz."""
    response = staff_client.post(write_url(lesson), written(lesson))
    item = QuestionItem.objects.get()
    assert response["Location"] == f"{review_url(lesson)}#item-{item.pk}"
    assert item.kind == QuestionItem.Kind.STAFF
    assert (item.written_by, item.reviewed_by, item.status) == (staff, staff, Status.APPROVED)
    assert item.source_sentence == ITEM_SENTENCE
    assert lesson.text[item.source_start : item.source_end] == ITEM_SENTENCE
    assert item.options == [GOOD_EDIT[f"option_{i}"] for i in range(4)]
    from courses.quizzes.services import attempt_start

    attempt, _created = attempt_start(enrollment=enrolled, lesson=lesson)
    assert [question["item"] for question in attempt.items] == [item.pk]
    assert "Écrite par l’équipe" in page_of(staff_client.get(review_url(lesson)))


def test_a_written_question_without_approval_waits_for_review(staff_client, lesson):
    data = written(lesson)
    del data["approve"]
    staff_client.post(write_url(lesson), data)
    assert QuestionItem.objects.get().status == Status.DRAFT


def test_a_written_question_passes_the_same_checks_and_override(staff_client, lesson):
    refused = staff_client.post(write_url(lesson), written(lesson, **ELISION))
    assert "La réponse proposée B ne peut pas suivre" in page_of(refused)
    assert not QuestionItem.objects.exists()
    staff_client.post(
        write_url(lesson),
        written(lesson, **ELISION, override="1", override_reason="Usage du service, validé."),
    )
    item = QuestionItem.objects.get()
    assert item.override_reason == "Usage du service, validé."


def test_a_multiple_response_question_is_written_with_five_options(staff_client, lesson):
    data = written(
        lesson,
        stem="Quels signes annoncent le syndrome de libération de cytokines ?",
        option_0="Fièvre",
        option_1="Hypotension",
        option_2="Hypoxie",
        option_3="Céphalées isolées",
        option_4="Prurit",
        answer=["0", "1", "2"],
    )
    assert 'name="option_4"' in page_of(staff_client.get(write_url(lesson, multiple=True)))
    staff_client.post(write_url(lesson, multiple=True), data)
    item = QuestionItem.objects.get()
    assert (item.multiple_answers, len(item.options)) == ([0, 1, 2], 5)


@pytest.mark.parametrize("source", ["0-5", "abc", ""])
def test_a_sentence_not_offered_is_refused(staff_client, lesson, source):
    """Offsets that are not one of the lesson's sentences (tampered, or the text changed since
    the page was shown): refused beside the list, nothing stored."""
    response = staff_client.post(write_url(lesson), written(lesson, source=source))
    assert response.status_code == 200
    assert error_of(page_of(response), "source")
    assert not QuestionItem.objects.exists()


def test_regeneration_keeps_a_written_question(staff_client, lesson):
    from courses.itembank.services import lesson_items_regenerate

    staff_client.post(write_url(lesson), written(lesson))
    lesson_items_regenerate(lesson=lesson)
    item = QuestionItem.objects.get(kind=QuestionItem.Kind.STAFF)
    assert item.status == Status.APPROVED


@pytest.mark.parametrize("who", ["learner", "other_instructor"])
def test_only_course_staff_write_questions(client, lesson, learner, other_instructor, who):
    client.force_login(learner if who == "learner" else other_instructor)
    assert client.get(write_url(lesson)).status_code == 403
    assert client.post(write_url(lesson), written(lesson)).status_code == 403
    assert not QuestionItem.objects.exists()
