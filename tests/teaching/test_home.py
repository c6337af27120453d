"""Course staff's home ("Mes formations animées"): where they land, exactly their courses and
cohorts, what needs them counted right, in a fixed number of queries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import (
    Certificate,
    Cohort,
    CourseCompletion,
    Lesson,
    QuestionItem,
    SatisfactionResponse,
)
from courses.progress.services import enrollment_create

pytestmark = pytest.mark.django_db

HOME = reverse("courses:teaching")


def card(page: str, title: str) -> str:
    found = re.search(
        rf'<li class="card teaching-card">\s*<h3 class="card__title"><a [^>]*>{re.escape(title)}'
        r"</a></h3>.*?</li>\s*(?=<li class=\"card|</ul>\s*</section>)",
        page,
        re.S,
    )
    assert found, page
    return found.group(0)


def test_staff_land_on_their_home_and_learners_on_theirs(client, instructor, learner, password):
    response = client.post(
        reverse("account_login"), {"login": instructor.email, "password": password}
    )
    assert response.url == HOME
    client.logout()
    response = client.post(reverse("account_login"), {"login": learner.email, "password": password})
    assert response.url == reverse("courses:dashboard")
    # A learner who finds the address is sent to her own home.
    assert client.get(HOME).url == reverse("courses:dashboard")


def test_the_home_lists_exactly_her_courses_and_cohorts_with_what_needs_her(
    client,
    instructor,
    other_instructor,
    make_course,
    make_item,
    make_cohort,
    make_member,
    media_root,
):
    mine = make_course(title="Surveillance du SRC")
    mine.instructors.add(instructor)
    theirs = make_course(title="Soins de support")
    theirs.instructors.add(other_instructor)
    lessons = list(
        Lesson.objects.filter(module__course=mine).order_by("module__position", "position")
    )
    # Three drafts to review (one of an archived lesson does not count), an approved one.
    for status in ("draft", "draft", "approved"):
        make_item(lessons[0], status=status)
    make_item(lessons[1], status="draft")
    archived = lessons[2]
    make_item(archived, status="draft")
    Lesson.objects.filter(pk=archived.pk).update(archived_at=timezone.now())
    make_item(Lesson.objects.filter(module__course=theirs).first(), status="draft")
    # A cohort past its deadline: three members, one of whom completed; a cohort of someone
    # else's on the same course; and a learner outside any cohort.
    late = make_cohort(mine, name="IDE 2025")
    Cohort.objects.filter(pk=late.pk).update(
        deadline=timezone.localdate() - timedelta(days=2),
        starts_on=timezone.localdate() - timedelta(days=60),
    )
    members = [make_member(late) for _ in range(3)]
    # Completed (by the rule's own path, tests/progress): recorded directly here.
    completion = CourseCompletion.objects.create(
        enrollment=members[0].enrollment, completed_at=timezone.now(), rule=mine.completion_rule
    )
    SatisfactionResponse.objects.create(
        course=mine, enrollment=members[0].enrollment, questions=["Q"], ratings=[5]
    )
    elsewhere = make_cohort(mine, owner=other_instructor, name="Cohorte d’un autre")
    make_member(elsewhere)
    enrollment_create(user=make_member(late).enrollment.user, course=theirs)
    client.force_login(instructor)

    page = client.get(HOME).content.decode()

    assert "Mes formations animées" in page
    assert "Surveillance du SRC" in page
    assert "Soins de support" not in page
    mine_card = card(page, "Surveillance du SRC")
    assert "3 questions à relire" in mine_card
    assert "5 apprenant·es" in mine_card  # four in her cohort, one in the other's
    assert "1 l’a achevée" in mine_card
    assert "3 apprenant·es en retard" in mine_card  # the other cohort is not late
    assert "1 attestation en cours d’émission" in mine_card
    assert "1 réponse au questionnaire de satisfaction" in mine_card
    assert reverse("courses:review_index", kwargs={"slug": mine.slug}) in mine_card
    assert reverse("courses:course_settings", kwargs={"slug": mine.slug}) in mine_card
    # Her cohort only, with its counts.
    assert "IDE 2025" in page
    assert "Cohorte d’un autre" not in page
    row = re.search(r"<tr>\s*<th scope=\"row\">.*?IDE 2025.*?</tr>", page, re.S).group(0)
    cells = re.findall(r"<td[^>]*>\s*(?:<span[^>]*>)?(\w[^<]*?)\s*(?:</span>)?\s*</td>", row)
    assert cells[1:] == ["4", "1"]
    late_cell = row.rsplit("<td", 1)[1]
    assert '<span class="badge badge--warning">3</span>' in late_cell
    assert reverse("courses:cohort_remind", kwargs={"pk": late.pk}) in late_cell

    # Once the certificate is issued, nothing waits on it.
    from courses.certificates.services import certificate_issue

    certificate_issue(completion_id=completion.pk)
    assert Certificate.objects.filter(rendered_at__isnull=False).count() == 1
    page = client.get(HOME).content.decode()
    assert "attestation en cours d’émission" not in card(page, "Surveillance du SRC")


def test_a_staff_member_who_also_learns_is_shown_the_way(client, instructor, make_course):
    course = make_course()
    enrollment_create(user=instructor, course=course)
    client.force_login(instructor)
    page = client.get(HOME).content.decode()
    assert "Vous suivez aussi 1\u00a0formation comme apprenant·e" in page or (
        "Vous suivez aussi 1 formation comme apprenant·e" in page
    )
    assert reverse("courses:dashboard") in page


@pytest.mark.parametrize("courses", [1, 20])
def test_the_home_costs_the_same_queries_for_1_or_20_courses(
    client, instructor, make_course, make_item, make_cohort, make_member, courses,
    django_assert_max_num_queries,
):  # fmt: skip
    for number in range(courses):
        course = make_course(title=f"Formation {number}")
        course.instructors.add(instructor)
        make_item(Lesson.objects.filter(module__course=course).first(), status="draft")
        make_member(make_cohort(course, name=f"Cohorte {number}"))
    client.force_login(instructor)
    client.get(HOME)
    # Session, user, the courses with their counts, the cohorts with theirs, her enrolments.
    with django_assert_max_num_queries(5):
        response = client.get(HOME)
    assert response.status_code == 200
    assert response.content.decode().count("teaching-card") == courses
    assert QuestionItem.objects.count() == courses
