"""The review pages: the course index, a lesson's items beside their source, decisions, edits."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from courses.itembank.selectors import source_passage
from courses.models import QuestionItem
from tests.conftest import ITEM_SENTENCE, LESSON_TEXT

from .conftest import (
    GOOD_EDIT,
    decide_url,
    edit_url,
    first_lesson,
    index_url,
    regenerate_url,
    review_url,
)

pytestmark = pytest.mark.django_db

Status = QuestionItem.Status


def text_of(response) -> str:
    return response.content.decode()


def articles(page: str) -> list[str]:
    return re.findall(r'<article class="review-item.*?</article>', page, re.S)


# --- the course's review index -------------------------------------------------------------


def test_the_index_counts_each_lessons_items_by_status(staff_client, course, lesson, make_item):
    """Each lesson, under its module, with its drafts, approved and rejected items counted."""
    for status, count in ((Status.DRAFT, 3), (Status.APPROVED, 2), (Status.REJECTED, 1)):
        for _ in range(count):
            make_item(lesson, status=status)
    page = text_of(staff_client.get(index_url(course)))
    assert "Relire les questions" in page
    assert "Module 1" in page
    assert "Module 2" in page
    row = re.search(
        rf'<tr>\s*<th scope="row">\s*<a href="{review_url(lesson)}">.*?</tr>', page, re.S
    )
    assert row is not None
    counts = re.findall(r'data-label="[^"]+">\s*(?:<span[^>]*>)?(\d+)', row.group(0))
    assert counts == ["3", "2", "1"]
    # Every active lesson is listed, with a link to its review page.
    assert len(re.findall(r'href="/courses/[\w-]+/lessons/\d+/review/"', page)) == 6


def test_the_course_page_links_staff_to_the_review(staff_client, client, course, learner):
    """Course staff find "Relire les questions" on the course page; learners do not."""
    link = f'href="{index_url(course)}"'
    assert link in text_of(staff_client.get(course.get_absolute_url()))
    client.force_login(learner)
    assert link not in text_of(client.get(course.get_absolute_url()))


def test_the_staff_page_links_to_the_review(staff_client, course):
    """The course's staff page (import) links to the review."""
    page = text_of(staff_client.get(reverse("courses:course_manage", kwargs={"slug": course.slug})))
    assert f'href="{index_url(course)}"' in page


# --- a lesson's review page ----------------------------------------------------------------


def test_an_item_is_shown_with_its_key_explanation_and_highlighted_source(
    staff_client, lesson, make_item
):
    """Kind, status, stem, options with the key marked, explanation, and the paragraph holding
    the source sentence with the sentence in <mark>."""
    item = make_item(lesson, status=Status.DRAFT, review_note="À vérifier contre le texte.")
    page = text_of(staff_client.get(review_url(lesson)))
    [article] = articles(page)
    assert f'id="item-{item.pk}"' in article
    assert "Texte à trous" in article
    assert "À relire" in article
    assert "À vérifier contre le texte." in article
    assert item.stem in article
    for option in item.options:
        assert option in article
    key = re.search(r'<li class="review-option is-key">(.*?)</li>', article, re.S).group(1)
    assert item.options[item.answer] in key
    assert "Bonne réponse" in key
    assert article.count("is-key") == 1
    assert item.explanation in article
    assert f"<mark>{ITEM_SENTENCE}</mark>" in article
    # The paragraph of the sentence, not the rest of the lesson.
    assert "L’infirmière surveille la température" in article
    assert "Paragraphe 1.1." not in article


def test_the_buttons_follow_the_status(staff_client, lesson, make_item):
    """A draft can be approved or rejected, an approved item rejected or sent back to draft,
    a rejected one approved or sent back; every item can be edited."""
    draft = make_item(lesson, status=Status.DRAFT)
    approved = make_item(lesson, status=Status.APPROVED)
    rejected = make_item(lesson, status=Status.REJECTED)
    page = text_of(staff_client.get(review_url(lesson)))

    def buttons(item):
        article = next(a for a in articles(page) if f'id="item-{item.pk}"' in a)
        assert f'action="{decide_url(item)}"' in article
        assert f'href="{edit_url(item)}"' in article
        assert "csrfmiddlewaretoken" in article
        return re.findall(r'name="status" value="(\w+)"', article)

    assert buttons(draft) == ["approved", "rejected"]
    assert buttons(approved) == ["draft", "rejected"]
    assert buttons(rejected) == ["approved", "draft"]
    assert f'action="{regenerate_url(lesson)}"' in page
    assert "Régénérer les questions de cette leçon" in page


def test_drafts_come_first_then_approved_then_rejected(staff_client, lesson, make_item):
    """By default every item is listed, the drafts first, each group in text order."""
    rejected = make_item(lesson, status=Status.REJECTED)
    approved = make_item(lesson, status=Status.APPROVED)
    draft = make_item(lesson, status=Status.DRAFT)
    page = text_of(staff_client.get(review_url(lesson)))
    order = [int(pk) for pk in re.findall(r'<article[^>]*id="item-(\d+)"', page)]
    assert order == [draft.pk, approved.pk, rejected.pk]
    assert re.search(r'aria-current="page">\s*Toutes', page)


@pytest.mark.parametrize("status", [Status.DRAFT, Status.APPROVED, Status.REJECTED])
def test_the_status_filter_shows_one_status(staff_client, lesson, make_item, status):
    """?status=… shows the items with that status only, and says which filter is on."""
    items = {value: make_item(lesson, status=value) for value in Status.values}
    page = text_of(staff_client.get(review_url(lesson), {"status": status}))
    shown = [int(pk) for pk in re.findall(r'<article[^>]*id="item-(\d+)"', page)]
    assert shown == [items[status].pk]
    assert re.search(rf'href="[^"]*\?status={status}"\s+aria-current="page"', page)


def test_an_unknown_filter_shows_everything(staff_client, lesson, make_item):
    """A status the page does not know shows every item rather than an error."""
    make_item(lesson, status=Status.DRAFT)
    make_item(lesson, status=Status.APPROVED)
    response = staff_client.get(review_url(lesson), {"status": "published"})
    assert response.status_code == 200
    assert len(articles(text_of(response))) == 2


def test_an_empty_lesson_says_so(staff_client, lesson):
    """A lesson without items says how to get some."""
    page = text_of(staff_client.get(review_url(lesson)))
    assert "Cette leçon n’a pas encore de questions" in page
    page = text_of(staff_client.get(review_url(lesson), {"status": "rejected"}))
    assert "Aucune question avec ce statut." in page


def test_an_item_whose_source_moved_away_is_quoted_with_a_warning(staff_client, lesson, make_item):
    """Offsets that no longer match the lesson's text: the stored sentence, quoted, and a
    warning, rather than a wrong highlight."""
    make_item(lesson, status=Status.DRAFT, source_sentence="Une phrase qui n’y est plus.")
    page = text_of(staff_client.get(review_url(lesson)))
    [article] = articles(page)
    assert "<mark>" not in article
    assert "sa phrase source n’est plus dans le texte" in article
    assert "«\u00a0Une phrase qui n’y est plus.\u00a0»" in article


# --- the source passage (no database) ------------------------------------------------------


@pytest.mark.django_db(False)
def test_the_passage_is_the_paragraph_holding_the_sentence():
    """The paragraph around the sentence, rendered from Markdown, the sentence marked."""
    text = "# Titre\n\nPremier paragraphe.\n\nAvant. **La phrase source.** Après.\n\nDernier."
    start = text.index("La phrase")
    end = start + len("La phrase source.")
    passage = source_passage(text=text, start=start, end=end, sentence="La phrase source.")
    assert passage.highlighted
    assert passage.html == "<p>Avant. <strong><mark>La phrase source.</mark></strong> Après.</p>\n"


@pytest.mark.django_db(False)
def test_a_sentence_across_emphasis_is_marked_in_well_nested_pieces():
    """A sentence that starts inside emphasis and ends outside it: one mark per run of text."""
    text = "Un *début en italique. Suite* de la phrase."
    start = text.index("italique")
    passage = source_passage(text=text, start=start, end=len(text), sentence=text[start:])
    assert passage.highlighted
    assert passage.html == (
        "<p>Un <em>début en <mark>italique. Suite</mark></em><mark> de la phrase.</mark></p>\n"
    )


@pytest.mark.django_db(False)
def test_markup_in_the_lesson_cannot_get_through_the_passage():
    """The passage is sanitised like the lesson: no script, no id from the highlighting."""
    text = 'Avant <script>alert(1)</script> la phrase visée. <img src=x onerror="alert(2)">'
    start = text.index("la phrase")
    end = start + len("la phrase visée.")
    passage = source_passage(text=text, start=start, end=end, sentence=text[start:end])
    assert "<script" not in passage.html
    assert "onerror" not in passage.html
    assert 'id="' not in passage.html
    assert "<mark>la phrase visée.</mark>" in passage.html


@pytest.mark.django_db(False)
def test_offsets_that_do_not_match_give_no_paragraph():
    """The lesson changed: no paragraph, the caller quotes the stored sentence."""
    passage = source_passage(text=LESSON_TEXT, start=0, end=10, sentence="Autre chose")
    assert passage.html is None
    assert not passage.matches


# --- decisions -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "decision", "message"),
    [
        (Status.DRAFT, Status.APPROVED, "Question approuvée"),
        (Status.DRAFT, Status.REJECTED, "Question rejetée"),
        (Status.APPROVED, Status.DRAFT, "Question remise en brouillon"),
        (Status.REJECTED, Status.APPROVED, "Question approuvée"),
    ],
)
def test_a_decision_is_recorded_and_the_page_comes_back_to_the_item(
    staff_client, staff, lesson, make_item, start, decision, message
):
    """Approve, reject, back to draft: the status changes, the reviewer is recorded, and the
    review page opens again on the item, with the filter it was showing."""
    item = make_item(lesson, status=start)
    response = staff_client.post(decide_url(item), {"status": decision, "shown": "draft"})
    assert response.status_code == 302
    assert response.url == f"{review_url(lesson)}?status=draft#item-{item.pk}"
    item.refresh_from_db()
    assert item.status == decision
    assert item.reviewed_by == staff
    page = text_of(staff_client.get(review_url(lesson)))
    assert message in page


def test_a_decision_the_page_does_not_offer_is_refused(staff_client, draft):
    """A forged status is a 400 and changes nothing."""
    response = staff_client.post(decide_url(draft), {"status": "published"})
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert draft.reviewed_by is None


def test_regenerating_a_lesson_drafts_its_questions(
    client, imported_course, make_user, django_capture_on_commit_callbacks, celery_eager
):
    """The regenerate button records a job whose task (here run inline, as `make run` does
    without Redis) draws the lesson's items again; the page says what it did. Asked again, it
    adds nothing and says why: every candidate is already in the bank or was dropped."""
    from courses.models import BackgroundJob, User

    staff = make_user(role=User.Role.INSTRUCTOR)
    imported_course.instructors.add(staff)
    client.force_login(staff)
    lesson = QuestionItem.objects.filter(lesson__module__course=imported_course).first().lesson
    QuestionItem.objects.filter(lesson=lesson).delete()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(regenerate_url(lesson))
    assert response["Location"] == review_url(lesson) + "#regeneration"
    response = client.get(response["Location"])

    created = QuestionItem.objects.filter(lesson=lesson)
    assert created.exists()
    assert set(created.values_list("status", flat=True)) == {Status.DRAFT}
    job = BackgroundJob.objects.get()
    assert (job.state, job.requested_by, job.report["created"]) == ("done", staff, created.count())
    page = text_of(response)
    assert f"{created.count()} nouveaux brouillons" in page
    assert "Rien de nouveau" not in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(regenerate_url(lesson))
    again = text_of(client.get(review_url(lesson)))
    report = BackgroundJob.objects.latest("pk").report
    assert report["created"] == 0
    assert report["existing"] == created.count()
    assert "0 nouveau brouillon" in again
    assert f"sur {report['candidates']} questions candidates trouvées dans le texte" in again
    assert f"{created.count()} sont déjà dans la banque" in again
    if report["dropped"]:
        assert "écartées par les contrôles" in again


def test_a_regeneration_that_fails_says_so_and_changes_nothing(
    client, staff, lesson, draft, monkeypatch, django_capture_on_commit_callbacks, celery_eager
):
    from courses.itembank import services
    from courses.models import BackgroundJob

    def broken(**kwargs):
        raise RuntimeError("spaCy model missing")

    monkeypatch.setattr(services, "lesson_items_regenerate", broken)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(regenerate_url(lesson))
    page = text_of(client.get(review_url(lesson)))
    job = BackgroundJob.objects.get()
    assert job.state == "failed"
    assert "spaCy model missing" in job.error
    assert "La dernière régénération a échoué" in page
    assert QuestionItem.objects.get() == draft


def test_a_second_request_while_one_is_pending_adds_no_job(staff_client, lesson):
    """Not run yet (nothing commits in this test): the second click is told it is running."""
    from courses.models import BackgroundJob

    staff_client.post(regenerate_url(lesson))
    page = text_of(staff_client.post(regenerate_url(lesson), follow=True))
    assert BackgroundJob.objects.count() == 1
    assert "déjà en cours de régénération" in page
    assert "Régénération en attente" in page


# --- the edit page -------------------------------------------------------------------------


def test_the_edit_form_holds_the_item(staff_client, draft):
    """Stem, four options, the key as a radio group in a fieldset, explanation, approve box."""
    page = text_of(staff_client.get(edit_url(draft)))
    assert re.search(rf'<textarea name="stem"[^>]*>\s*{re.escape(draft.stem)}</textarea>', page)
    for index, option in enumerate(draft.options):
        assert f'name="option_{index}" value="{option}"' in page
    assert re.search(r"<fieldset[^>]*>\s*<legend>\s*Bonne réponse", page)
    assert re.search(r'type="radio" name="answer" value="0"[^>]*checked', page)
    assert re.search(r'type="checkbox" name="approve"[^>]*checked', page)
    assert "Approuver après l’enregistrement" in page
    assert f"<mark>{ITEM_SENTENCE}</mark>" in page


def test_a_sound_edit_is_saved_and_approved(staff_client, staff, draft):
    """The edit is saved, the item marked edited and approved, and the review page opens again."""
    response = staff_client.post(edit_url(draft), GOOD_EDIT)
    assert response.status_code == 302
    assert response.url == f"{review_url(draft.lesson)}#item-{draft.pk}"
    draft.refresh_from_db()
    assert draft.stem == GOOD_EDIT["stem"]
    assert draft.options == [GOOD_EDIT[f"option_{index}"] for index in range(4)]
    assert draft.edited
    assert draft.status == Status.APPROVED
    assert draft.reviewed_by == staff


def test_an_edit_saved_without_approval_keeps_the_status(staff_client, draft):
    """Unticked "approve after saving": saved, still a draft."""
    data = {key: value for key, value in GOOD_EDIT.items() if key != "approve"}
    staff_client.post(edit_url(draft), data)
    draft.refresh_from_db()
    assert draft.stem == GOOD_EDIT["stem"]
    assert draft.status == Status.DRAFT


@pytest.mark.parametrize(
    ("changes", "message", "where"),
    [
        (
            {"option_3": "Toutes les réponses ci-dessus"},
            "La réponse proposée D est «\u00a0toutes les réponses ci-dessus\u00a0» ou",
            "option_3",
        ),
        (
            {"option_3": "une infection virale"},
            "La réponse proposée D est identique à une réponse proposée précédente",
            "option_3",
        ),
        (
            {"stem": "Quel symptôme n'est pas un signe du syndrome de libération de cytokines ?"},
            "La question est négative",
            "stem",
        ),
        (
            {"stem": "Le syndrome de libération de cytokines provoque"},
            "point d’interrogation",
            "stem",
        ),
        (
            {"stem": "Quelle réaction le syndrome de libération de cytokines provoque-t-il ?"},
            "un mot avec la bonne réponse et avec elle seule (reaction)",
            "stem",
        ),
    ],
)
def test_a_flawed_edit_shows_why_in_french_and_saves_nothing(
    staff_client, draft, changes, message, where
):
    """The item-writing checks refuse the edit: each reason shown, translated, beside what it
    is about; the item is left as it was."""
    before = (draft.stem, draft.options, draft.status, draft.edited, draft.updated_at)
    response = staff_client.post(edit_url(draft), {**GOOD_EDIT, **changes})
    assert response.status_code == 200
    page = text_of(response)
    assert "La question n’a pas été enregistrée" in page
    assert message in page
    # Beside the field it is about, which says it is invalid.
    assert re.search(
        rf'<div id="id_{where}_error">\s*<p class="field__error">[^<]*' + re.escape(message[:20]),
        page,
    )
    assert re.search(
        rf'<(?:textarea|input)[^>]*aria-invalid="true"[^>]*aria-describedby="[^"]*id_{where}_error',
        page,
    )
    draft.refresh_from_db()
    assert (draft.stem, draft.options, draft.status, draft.edited, draft.updated_at) == before


def test_an_empty_option_is_required(staff_client, draft):
    """A blank option is caught by the form itself, before the checks."""
    response = staff_client.post(edit_url(draft), {**GOOD_EDIT, "option_2": "  "})
    assert response.status_code == 200
    assert 'id="id_option_2_error"' in text_of(response)
    draft.refresh_from_db()
    assert not draft.edited


# --- query counts --------------------------------------------------------------------------

# The session comes from the cache. Review page: the user, the course, whether the user teaches
# it, the lesson, its items counted by status, its items with their reviewers, its last
# regeneration. Index: the user,
# the course, whether the user teaches it, its lessons with their items counted by status.
REVIEW_PAGE_QUERIES = 7
INDEX_PAGE_QUERIES = 4


@pytest.mark.parametrize("count", [10, 100])
def test_the_review_page_costs_the_same_queries_whatever_the_items(
    staff_client, staff, lesson, make_item, django_assert_max_num_queries, count
):
    """10 or 100 items, each with a reviewer: a fixed number of queries."""
    statuses = list(Status.values)
    for number in range(count):
        make_item(lesson, status=statuses[number % 3], reviewed_by=staff)
    with django_assert_max_num_queries(REVIEW_PAGE_QUERIES):
        response = staff_client.get(review_url(lesson))
    assert len(articles(text_of(response))) == count


@pytest.mark.parametrize(("modules", "lessons"), [(1, 1), (5, 8)])
def test_the_index_costs_the_same_queries_whatever_the_course(
    client, make_course, instructor, make_item, django_assert_max_num_queries, modules, lessons
):
    """One lesson or forty, with their items: a fixed number of queries."""
    course = make_course(modules=modules, lessons=lessons)
    course.instructors.add(instructor)
    make_item(first_lesson(course))
    client.force_login(instructor)
    with django_assert_max_num_queries(INDEX_PAGE_QUERIES):
        response = client.get(index_url(course))
    assert response.status_code == 200


# --- admin -----------------------------------------------------------------------------------


def test_items_are_listed_in_the_admin(client, make_user, draft):
    """Administrators find the items in the Django admin, filtered by status."""
    admin = make_user(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get(reverse("admin:courses_questionitem_changelist"), {"status": "draft"})
    assert response.status_code == 200
    assert draft.stem[:40] in text_of(response)
    response = client.get(reverse("admin:courses_questionitem_change", args=[draft.pk]))
    assert response.status_code == 200


def test_families_are_shown_numbered_with_their_size(staff_client, lesson, make_item):
    """A reviewer sees which items an attempt never draws together: "Famille 1 · 2 questions"
    on each member; an item alone carries no family badge."""
    first = make_item(lesson, family="f-a", source_start=0)
    second = make_item(lesson, family="f-a", source_start=5)
    other = [make_item(lesson, family="f-b", source_start=10) for _ in range(3)]
    alone = make_item(lesson, family="", source_start=20)
    page = text_of(staff_client.get(review_url(lesson)))

    def badge(item):
        article = re.search(rf'<article[^>]*id="item-{item.pk}".*?</header>', page, re.S)
        found = re.search(r"Famille (\d+) · (\d+) questions", article.group(0))
        return found.groups() if found else None

    assert badge(first) == badge(second) == ("1", "2")
    assert {badge(item) for item in other} == {("2", "3")}
    assert badge(alone) is None
    assert "une tentative n’en tire qu’une" in page


def test_a_bank_asking_fewer_facts_than_an_attempt_is_shown_insufficient(
    staff_client, course, lesson, make_item
):
    """Three facts approved (one asked twice), attempts of five: "Banque insuffisante" on the
    index and on the lesson's page, saying how many; drafts and rejected items do not count;
    once five facts are approved, the warning is gone."""
    course.quiz_questions = 5
    course.save()
    for family in ("f-a", "f-a", "f-b", ""):
        make_item(lesson, family=family)
    make_item(lesson, family="f-c", status=Status.DRAFT)
    make_item(lesson, family="f-d", status=Status.REJECTED)
    for page in (
        text_of(staff_client.get(index_url(course))),
        text_of(staff_client.get(review_url(lesson))),
    ):
        assert page.count("Banque insuffisante") == 1
        assert "portent sur 3\u00a0faits" in page or "portent sur 3 faits" in page
        assert "une tentative en demande 5" in page
    # The other lessons have no approved question: no quiz, nothing insufficient.
    make_item(lesson, family="f-e")
    make_item(lesson, family="f-f")
    assert "Banque insuffisante" not in text_of(staff_client.get(index_url(course)))
    assert "Banque insuffisante" not in text_of(staff_client.get(review_url(lesson)))


MULTIPLE_EDIT = {
    "stem": "Quels signes le syndrome de libération de cytokines associe-t-il ?",
    "option_0": "Fièvre",
    "option_1": "Hypotension",
    "option_2": "Alopécie",
    "option_3": "Hypoxie",
    "option_4": "Bradycardie",
    "answer": ["0", "1", "3"],
    "explanation": "Le texte cite la fièvre, l’hypotension et l’hypoxie.",
    "approve": "on",
}


def test_a_multiple_response_item_is_edited_with_all_its_keys(staff_client, lesson, make_item):
    """Five options and a checkbox per option, its keys ticked; saved with every key ticked;
    one key, or every option, refused in French."""
    item = make_item(
        lesson,
        status=Status.DRAFT,
        options=["Fièvre", "Hypotension", "Alopécie", "Hypoxie", "Bradycardie"],
        answer=0,
        multiple_answers=[0, 1],
    )
    page = text_of(staff_client.get(edit_url(item)))
    assert 'name="option_4"' in page
    assert page.count('type="checkbox" name="answer"') == 5
    assert len(re.findall(r'type="checkbox" name="answer" value="[01]"[^>]*checked', page)) == 2

    response = staff_client.post(edit_url(item), MULTIPLE_EDIT)
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.multiple_answers, item.answer) == ([0, 1, 3], 0)
    assert item.options[4] == "Bradycardie"
    assert item.status == Status.APPROVED

    for ticked in (["2"], ["0", "1", "2", "3", "4"]):
        response = staff_client.post(edit_url(item), {**MULTIPLE_EDIT, "answer": ticked})
        assert response.status_code == 200
        assert "Cochez au moins deux bonnes réponses" in text_of(response)
        item.refresh_from_db()
        assert item.multiple_answers == [0, 1, 3]


def test_the_review_page_shows_every_key_of_a_multiple_response_item(
    staff_client, lesson, make_item
):
    item = make_item(
        lesson,
        options=["Fièvre", "Hypotension", "Alopécie", "Hypoxie", "Bradycardie"],
        answer=0,
        multiple_answers=[0, 3],
    )
    page = text_of(staff_client.get(review_url(lesson)))
    article = re.search(rf'<article[^>]*id="item-{item.pk}".*?</article>', page, re.S).group(0)
    assert "2 bonnes réponses" in article
    assert article.count("is-key") == 2
