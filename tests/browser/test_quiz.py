"""A nurse takes a lesson's quiz, fails, reads the feedback and the passage, retakes it, passes.

Chromium through Playwright against the live server; axe-core on the quiz, result, passage and
history pages. The second attempt is answered with the keyboard alone.
"""

from __future__ import annotations

import re

import pytest

from courses.models import AttemptAnswer, QuizAttempt
from courses.progress.services import enrollment_create
from tests.quizzes.conftest import first_lesson, key_display

from .conftest import CHROMIUM_ARGS, answer_quiz, check_accessibility, log_in  # noqa: F401  (args: see conftest)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def quiz_lesson(learner, course, make_item):
    enrollment_create(user=learner, course=course)
    lesson = first_lesson(course)
    for _ in range(4):
        make_item(lesson)
    return lesson


def current_attempt() -> QuizAttempt:
    return QuizAttempt.objects.latest("pk")


def test_fail_read_the_feedback_and_the_passage_retake_and_pass(
    axe_page, learner, password, quiz_lesson
):
    page = axe_page
    log_in(page, learner.email, password)
    page.goto(quiz_lesson.get_absolute_url())
    quiz = page.locator("section.quiz-box")
    assert quiz.get_by_text("Pour réussir").is_visible()
    assert quiz.get_by_text("3 bonnes réponses sur 4").is_visible()  # 80 % of 4 is 3.2
    page.get_by_role("button", name="Lu — passer le quiz").click()
    page.wait_for_url(re.compile(r"/quiz/\d+/$"))
    check_accessibility(page)

    # First attempt: every answer wrong, each one saved as it is given.
    attempt = current_attempt()
    for position, question in enumerate(attempt.items):
        options = question["snapshot"]["options"]
        wrong = options[(question["snapshot"]["answer"] + 1) % len(options)]
        group = page.get_by_role("group", name=re.compile(rf"^Question {position + 1} sur 4"))
        group.get_by_label(wrong, exact=True).check()
        page.get_by_text(f"Réponse à la question {position + 1} enregistrée.").wait_for()
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == 4
    page.get_by_role("button", name="Valider mes réponses").click()
    page.wait_for_url(re.compile(r"/result/$"))
    check_accessibility(page)
    assert page.get_by_text("Quiz non réussi").is_visible()
    assert page.get_by_text("0 bonne réponse sur 4").is_visible()
    first = page.locator("article.feedback").first
    # Not passed yet: no right answer, no explanation, only the passage to re-read.
    assert first.locator(".is-key").count() == 0
    assert first.get_by_text("Bonne réponse", exact=True).count() == 0
    assert first.get_by_text(attempt.items[0]["snapshot"]["explanation"]).count() == 0
    assert first.get_by_text("La bonne réponse sera affichée une fois ce quiz réussi").is_visible()

    # The source passage, highlighted in the lesson.
    first.get_by_role("link", name="Relire le passage").click()
    page.wait_for_url(re.compile(r"/lessons/\d+/\?passage="))
    mark = page.locator("mark#passage")
    assert mark.inner_text() == attempt.items[0]["snapshot"]["source_sentence"]
    assert mark.is_visible()
    assert page.evaluate("document.activeElement.id") == "passage"
    check_accessibility(page)
    page.get_by_role("link", name="Retour au résultat de votre quiz").click()
    page.wait_for_url(re.compile(r"/result/$"))

    # Second attempt, with the keyboard alone: Tab into each group, arrows to the key.
    page.get_by_role("button", name="Refaire le quiz").click()
    page.wait_for_url(re.compile(r"/quiz/\d+/$"))
    second = current_attempt()
    assert second.number == 2
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "q0":
            break
    else:
        pytest.fail("the first question cannot be reached with Tab")
    for position in range(len(second.items)):
        if position:
            page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.name") == f"q{position}"
        target = key_display(second, position)
        if target == 0:
            page.keyboard.press("Space")
        for _ in range(target):
            page.keyboard.press("ArrowDown")
        assert page.evaluate("document.activeElement.value") == str(target)
        page.get_by_text(f"Réponse à la question {position + 1} enregistrée.").wait_for()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.innerText") == "Valider mes réponses"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/result/$"))
    check_accessibility(page)
    assert page.get_by_text("Quiz réussi").is_visible()
    assert page.get_by_text("4 bonnes réponses sur 4").is_visible()

    # The history of attempts.
    page.get_by_role("link", name="Vos tentatives").click()
    page.wait_for_url(re.compile(r"/quiz/history/$"))
    check_accessibility(page)
    rows = page.locator("table.history tbody tr")
    assert rows.count() == 2
    assert "0/4" in rows.nth(0).inner_text()
    assert "4/4" in rows.nth(1).inner_text()


def test_unanswered_questions_are_announced_and_focused(axe_page, learner, password, quiz_lesson):
    page = axe_page
    log_in(page, learner.email, password)
    page.goto(quiz_lesson.get_absolute_url())
    page.get_by_role("button", name="Lu — passer le quiz").click()
    page.wait_for_url(re.compile(r"/quiz/\d+/$"))
    page.get_by_role("button", name="Valider mes réponses").click()
    alert = page.get_by_role("alert")
    assert "Répondez à ces 4 questions avant de valider" in alert.inner_text()
    assert page.evaluate("document.activeElement.getAttribute('role')") == "alert"
    check_accessibility(page)
    assert current_attempt().submitted_at is None


def test_the_quiz_runs_under_its_policy_and_fits_a_phone(
    browser, live_server, learner, password, quiz_lesson
):
    """No CSP violation from the quiz's script, a ticking countdown, no sideways scroll."""
    quiz_lesson.quiz_time_limit = 15
    quiz_lesson.save()
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    try:
        log_in(page, learner.email, password)
        page.goto(quiz_lesson.get_absolute_url())
        page.get_by_role("button", name="Lu — passer le quiz").click()
        page.wait_for_url(re.compile(r"/quiz/\d+/$"))
        timer = page.locator("[data-time-left]")
        page.wait_for_function(
            "document.querySelector('[data-time-left]').textContent.includes(':')"
        )
        assert re.fullmatch(r"1[45]:\d\d", timer.inner_text())
        assert page.get_by_text("Chaque réponse est enregistrée").is_visible()
        attempt = current_attempt()
        answer_quiz(page, attempt)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the quiz page scrolls sideways by {overflow}px"
        page.get_by_role("button", name="Valider mes réponses").click()
        page.wait_for_url(re.compile(r"/result/$"))
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the result page scrolls sideways by {overflow}px"
        assert page.get_by_text("Quiz réussi").is_visible()
    finally:
        context.close()
    assert violations == []


def test_a_five_question_result_fits_a_phone(
    browser, live_server, learner, password, seed_documents, settings, screenshots
):
    """Items generated from the seed documents (long stems that quote the text), every answer
    wrong and the right ones released (the last allowed attempt): the result page of the five
    longest questions stays under 2,800 px on a 390 px phone, the explanations folded."""
    from courses.ingest import read_document
    from courses.ingest.services import documents_import
    from courses.itembank.services import course_items_generate
    from courses.models import Lesson, QuestionItem
    from courses.quizzes.selectors import quiz_families

    documents = [
        read_document(
            path.read_bytes(), source=path.name, max_bytes=settings.COURSES_IMPORT_MAX_BYTES
        )
        for path in seed_documents
    ]
    report = documents_import(course_slug=None, documents=documents)
    course = report.course
    course_items_generate(course=course, lesson_ids=report.changed_lesson_ids)
    course.quiz_questions = 5
    course.max_attempts = 1
    course.review_release = "after_last_attempt"
    course.save()
    QuestionItem.objects.filter(lesson__module__course=course).update(
        status=QuestionItem.Status.APPROVED
    )
    lesson = next(
        lesson
        for lesson in Lesson.objects.filter(module__course=course).order_by(
            "module__position", "position"
        )
        if quiz_families(lesson=lesson) >= 5
    )
    # The worst case, not a random draw: only the five families with the longest questions stay
    # approved, so the attempt shows those (the draw takes one item of each family).
    longest: dict[object, QuestionItem] = {}
    for item in sorted(QuestionItem.objects.filter(lesson=lesson), key=lambda i: -len(i.stem)):
        longest.setdefault(item.family or f"alone-{item.pk}", item)
    kept = sorted(longest.values(), key=lambda i: -len(i.stem))[:5]
    QuestionItem.objects.filter(lesson=lesson).exclude(pk__in=[i.pk for i in kept]).update(
        status=QuestionItem.Status.DRAFT
    )
    enrollment_create(user=learner, course=course)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        log_in(page, learner.email, password)
        page.goto(lesson.get_absolute_url())
        page.get_by_role("button", name="Lu — passer le quiz").click()
        page.wait_for_url(re.compile(r"/quiz/\d+/$"))
        attempt = current_attempt()
        assert attempt.total == 5
        answer_quiz(page, attempt, right=False)
        page.get_by_role("button", name="Valider mes réponses").click()
        page.wait_for_url(re.compile(r"/result/$"))
        assert page.get_by_text("0 bonne réponse sur 5").is_visible()
        assert page.get_by_text("Bonne réponse\u00a0:").count() == 5  # released
        assert page.locator("details").count() >= 5  # the explanations, each folded
        assert page.locator("details[open]").count() == 0
        height = page.evaluate("document.documentElement.scrollHeight")
        screenshots(page, "result-failed")
        # The five longest questions measured 2,586 to 2,646 px (the options shown vary with
        # their order); a random five, 2,272 to 2,503, which made the old bound of 2,500 fail
        # now and then. Unfolded explanations would add hundreds of pixels a question.
        assert height < 2800, height
    finally:
        context.close()


def test_a_multiple_response_question_is_ticked_saved_and_graded(
    browser, live_server, learner, password, course, make_item, screenshots
):
    """Checkboxes and how many to tick; each tick saved as it is given (the page reloaded
    shows them); all the keys ticked, the question counts."""
    lesson = first_lesson(course)
    options = ["Fièvre", "Hypotension", "Alopécie", "Hypoxie", "Bradycardie"]
    make_item(lesson, options=options, answer=0, multiple_answers=[0, 1, 3])
    for _ in range(4):
        make_item(lesson)
    enrollment_create(user=learner, course=course)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        log_in(page, learner.email, password)
        page.goto(lesson.get_absolute_url())
        page.get_by_role("button", name="Lu — passer le quiz").click()
        page.wait_for_url(re.compile(r"/quiz/\d+/$"))
        attempt = current_attempt()
        position = next(p for p, q in enumerate(attempt.items) if q["snapshot"].get("answers"))
        group = page.locator(f"#question-{position}")
        assert group.get_by_text("Cochez les 3\u00a0bonnes réponses.").is_visible()
        for text in ("Fièvre", "Hypotension", "Hypoxie"):
            group.get_by_label(text, exact=True).check()
            page.get_by_text(f"Réponse à la question {position + 1} enregistrée.").wait_for()
        screenshots(page, "quiz-multiple")
        page.reload()
        group = page.locator(f"#question-{position}")
        assert [group.get_by_label(text, exact=True).is_checked() for text in options] == [
            True,
            True,
            False,
            True,
            False,
        ]
        for other in range(attempt.total):
            if other != position:
                key = key_display(attempt, other)
                page.locator(f"#question-{other} label").nth(key).click()
                page.get_by_text(f"Réponse à la question {other + 1} enregistrée.").wait_for()
        page.get_by_role("button", name="Valider mes réponses").click()
        page.wait_for_url(re.compile(r"/result/$"))
        assert page.get_by_text("5 bonnes réponses sur 5").is_visible()
        check_page = page.locator(f"#feedback-{position}").locator("xpath=..")
        assert check_page.get_by_text("Fièvre").is_visible()
    finally:
        context.close()
