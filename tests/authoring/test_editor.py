"""The lesson editor: a changed text is a new version with a re-import's rules, two editors
cannot overwrite each other, pictures are the course's own (uploaded re-encoded, described),
and what is saved and previewed goes through the display's sanitiser."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from courses.models import BackgroundJob, CourseImage, Lesson, LessonProgress, LessonVersion
from courses.progress.services import lesson_mark_complete
from tests.ingest import documents

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(course):
    return Lesson.objects.filter(module__course=course).order_by("module__position", "position")[0]


@pytest.fixture
def staff_client(client, course, instructor):
    course.instructors.add(instructor)
    client.force_login(instructor)
    return client


def edit_url(lesson) -> str:
    return reverse(
        "courses:lesson_edit", kwargs={"slug": lesson.module.course.slug, "pk": lesson.pk}
    )


def data(lesson, **changes) -> dict:
    values = {"title": lesson.title, "text": lesson.text, "base_version": lesson.version}
    values.update(changes)
    return values


NEW_TEXT = (
    "Le syndrome de relargage cytokinique survient après une immunothérapie.\n\n"
    "L’infirmière surveille la température toutes les quatre heures.\n"
)


def test_the_editor_holds_the_lesson_and_its_preview(staff_client, lesson):
    page = staff_client.get(edit_url(lesson)).content.decode()
    assert f'value="{lesson.title}"' in page
    assert f'name="base_version" value="{lesson.version}"' in page
    assert 'id="editor-preview"' in page


def test_a_changed_text_is_a_new_version_with_a_re_imports_rules(
    staff_client, instructor, lesson, enrolled
):
    """Version + 1, recorded in the history as an edit by her; a reading of the old version no
    longer counts; the questions are drawn again in the background."""
    enrollment = enrolled
    lesson_mark_complete(enrollment=enrollment, lesson=lesson)
    before = lesson.version
    response = staff_client.post(edit_url(lesson), {**data(lesson, text=NEW_TEXT), "save": "1"})
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.version == before + 1
    assert lesson.text == NEW_TEXT
    assert lesson.edited_at is not None
    version = LessonVersion.objects.get(lesson=lesson, version=lesson.version)
    assert (version.origin, version.saved_by, version.text) == ("edit", instructor, NEW_TEXT)
    reading = LessonProgress.objects.get(enrollment=enrollment, lesson=lesson)
    assert reading.lesson_version == before  # read, but not this version
    job = BackgroundJob.objects.get()
    assert (job.kind, job.lesson_id, job.state) == ("regenerate", lesson.pk, "queued")


def test_the_same_text_saved_again_is_no_new_version(staff_client, lesson):
    response = staff_client.post(edit_url(lesson), {**data(lesson), "save": "1"}, follow=True)
    assert "Rien n’a changé dans le texte." in response.content.decode()
    assert Lesson.objects.get(pk=lesson.pk).version == lesson.version
    assert not BackgroundJob.objects.exists()


def test_a_save_over_a_version_changed_since_is_refused_with_the_other_change(
    staff_client, lesson, other_instructor
):
    """She opened version n; a colleague saved n + 1 meanwhile: her save is refused (409),
    nothing overwritten, the colleague's text shown beside hers."""
    lesson.module.course.instructors.add(other_instructor)
    opened = lesson.version
    from courses.authoring.services import lesson_edit

    lesson_edit(
        lesson=lesson,
        title=lesson.title,
        text="Le texte de sa collègue, enregistré entre-temps.\n",
        base_version=opened,
        by=other_instructor,
    )
    response = staff_client.post(
        edit_url(lesson), {**data(lesson, text=NEW_TEXT, base_version=opened), "save": "1"}
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "Quelqu’un a enregistré cette leçon depuis que vous l’avez ouverte" in page
    assert "Le texte de sa collègue, enregistré entre-temps." in page
    assert "Paul Durand" in page
    assert Lesson.objects.get(pk=lesson.pk).text.startswith("Le texte de sa collègue")


def test_markup_is_sanitised_in_the_saved_text_and_the_preview(staff_client, lesson):
    hostile = NEW_TEXT + '\n<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n'
    preview = staff_client.post(
        reverse(
            "courses:lesson_preview", kwargs={"slug": lesson.module.course.slug, "pk": lesson.pk}
        ),
        {"text": hostile},
    ).content.decode()
    assert "<script" not in preview
    assert "onerror" not in preview
    assert "relargage cytokinique" in preview
    staff_client.post(edit_url(lesson), {**data(lesson, text=hostile), "save": "1"})
    saved = Lesson.objects.get(pk=lesson.pk).text
    assert "<script" not in saved
    assert "onerror" not in saved


@pytest.mark.parametrize(
    ("picture", "refusal"),
    [
        ("![Schéma](https://cdn.example.org/a.png)", "ne peut être qu’une image de la formation"),
        ("![](image:" + "a" * 64 + ")", "description"),
        ("![Schéma](image:" + "b" * 64 + ")", "n’est pas une image de la formation"),
    ],
)
def test_a_picture_that_is_not_the_courses_or_not_described_is_refused(
    staff_client, lesson, picture, refusal
):
    response = staff_client.post(
        edit_url(lesson), {**data(lesson, text=NEW_TEXT + "\n" + picture + "\n"), "save": "1"}
    )
    assert response.status_code == 400
    assert refusal in response.content.decode()
    assert Lesson.objects.get(pk=lesson.pk).text == lesson.text


def test_an_uploaded_picture_is_re_encoded_and_put_in_the_unsaved_text(staff_client, lesson):
    photo = SimpleUploadedFile("photo.jpg", documents.jpeg_with_exif(), content_type="image/jpeg")
    response = staff_client.post(
        edit_url(lesson),
        {
            **data(lesson, text=NEW_TEXT),
            "picture": photo,
            "picture_alt": "Thermomètre tympanique",
            "upload": "1",
        },
    )
    page = response.content.decode()
    image = CourseImage.objects.get()
    with image.file.open("rb") as handle:
        assert not Image.open(io.BytesIO(handle.read())).getexif()
    assert f"![Thermomètre tympanique](image:{image.key})" in page  # in the textarea
    assert f'src="/images/{image.key}/"' in page  # in the preview
    assert Lesson.objects.get(pk=lesson.pk).text == lesson.text  # nothing saved yet
    saved = staff_client.post(
        edit_url(lesson),
        {**data(lesson, text=NEW_TEXT + f"\n![Thermomètre tympanique](image:{image.key})\n"),
         "save": "1"},
    )  # fmt: skip
    assert saved.status_code == 302


def test_a_picture_without_description_or_not_an_image_is_refused(staff_client, lesson):
    png = SimpleUploadedFile("a.png", documents.png(), content_type="image/png")
    response = staff_client.post(
        edit_url(lesson), {**data(lesson), "picture": png, "picture_alt": "", "upload": "1"}
    )
    assert response.status_code == 400
    assert "Décrivez l’image" in response.content.decode()
    assert not CourseImage.objects.exists()


def test_one_of_the_courses_pictures_is_inserted(staff_client, lesson):
    from courses.authoring.services import course_picture_add

    image = course_picture_add(course=lesson.module.course, data=documents.png(), alt="Courbe")
    page = staff_client.post(
        edit_url(lesson), {**data(lesson), "insert": image.key}
    ).content.decode()
    assert f"![Courbe](image:{image.key})" in page


@pytest.mark.parametrize("who", ["learner", "other_instructor"])
def test_only_course_staff_edit(client, lesson, learner, other_instructor, who):
    client.force_login(learner if who == "learner" else other_instructor)
    assert client.get(edit_url(lesson)).status_code == 403
    response = client.post(edit_url(lesson), {**data(lesson, text=NEW_TEXT), "save": "1"})
    assert response.status_code == 403
    assert Lesson.objects.get(pk=lesson.pk).text == lesson.text
