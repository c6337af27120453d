"""Course staff present the course: description, audience, objectives; the catalogue card and
the course page show them with the hours."""

from __future__ import annotations

import pytest
from django.urls import reverse

from courses.models import Course

pytestmark = pytest.mark.django_db

DATA = {
    "description": "Repérer et surveiller le syndrome de libération de cytokines.",
    "audience": "Infirmier·es d’oncologie et d’hématologie.",
    "objectives": "Reconnaître les signes précoces\n\n  Surveiller les constantes  ",
}


def url(course) -> str:
    return reverse("courses:course_presentation", kwargs={"slug": course.slug})


def test_staff_write_the_presentation_and_learners_see_it(client, course, instructor, learner):
    course.instructors.add(instructor)
    client.force_login(instructor)
    assert client.get(url(course)).status_code == 200
    response = client.post(url(course), DATA, follow=True)
    assert "La présentation de la formation est enregistrée." in response.content.decode()
    course.refresh_from_db()
    assert course.objectives == "Reconnaître les signes précoces\nSurveiller les constantes"
    assert course.audience == DATA["audience"]

    client.force_login(learner)
    catalogue = client.get(reverse("courses:catalog")).content.decode()
    assert DATA["description"] in catalogue
    assert "Infirmier·es d’oncologie et d’hématologie." in catalogue
    assert "2\u00a0heures" in catalogue or "2 heures" in catalogue
    page = client.get(course.get_absolute_url()).content.decode()
    assert "<li>Reconnaître les signes précoces</li>" in page
    assert "<li>Surveiller les constantes</li>" in page
    assert "Public visé" in page
    assert DATA["description"] in page


def test_only_the_courses_staff_present_it(client, course, learner, other_instructor):
    for user in (learner, other_instructor):
        client.force_login(user)
        assert client.get(url(course)).status_code == 403
        assert client.post(url(course), DATA).status_code == 403
    assert Course.objects.get(pk=course.pk).audience == ""


def test_a_text_too_long_is_refused_in_french_and_nothing_is_saved(client, course, instructor):
    course.instructors.add(instructor)
    client.force_login(instructor)
    response = client.post(url(course), {**DATA, "audience": "x" * 1001})
    assert response.status_code == 200
    assert "La présentation n’a pas été enregistrée" in response.content.decode()
    assert Course.objects.get(pk=course.pk).description == ""


def test_a_renamed_module_keeps_its_name_through_re_imports(client, instructor, settings):
    """Renamed on the presentation page, a module keeps its title when its document is
    imported again, even retitled; emptied, it takes the imported title again."""
    from courses.ingest import read_document
    from courses.ingest.services import documents_import
    from courses.models import Module
    from tests.conftest import SEED_000

    def imported(data: bytes):
        document = read_document(
            data, source=SEED_000.name, max_bytes=settings.COURSES_IMPORT_MAX_BYTES
        )
        return documents_import(course_slug="presentation", documents=[document]).course

    raw = SEED_000.read_bytes()
    course = imported(raw)
    course.instructors.add(instructor)
    module = Module.objects.get(course=course)
    original = module.title
    assert module.imported_title == original
    client.force_login(instructor)
    data = {**DATA, f"module_{module.pk}": "Le SRC : repérer et surveiller"}
    assert client.post(url(course), data).status_code == 302
    module.refresh_from_db()
    assert (module.title, module.renamed) == ("Le SRC : repérer et surveiller", True)
    page = client.get(course.get_absolute_url()).content.decode()
    assert "Le SRC : repérer et surveiller" in page

    imported(raw)
    module.refresh_from_db()
    assert module.title == "Le SRC : repérer et surveiller"
    text = raw.decode("utf-8")
    first_line = text.splitlines()[0]
    imported(text.replace(first_line, first_line + " (mise à jour)").encode("utf-8"))
    module.refresh_from_db()
    assert module.title == "Le SRC : repérer et surveiller"
    assert module.imported_title.endswith("(mise à jour)")

    client.post(url(course), {**DATA, f"module_{module.pk}": ""})
    module.refresh_from_db()
    assert (module.title, module.renamed) == (module.imported_title, False)


def _image(fmt: str = "PNG", size=(2400, 1800), **info) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (7, 66, 69)).save(buffer, format=fmt, **info)
    return buffer.getvalue()


def test_a_cover_is_checked_re_encoded_and_shown(client, course, instructor, media_root):
    """A PNG of 2,400 × 1,800 becomes a JPEG within 1,600 × 900, without its metadata; the
    catalogue card and the course page show it; replacing it deletes the old file; removing it
    leaves none."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    course.instructors.add(instructor)
    client.force_login(instructor)
    upload = SimpleUploadedFile("photo.png", _image(), content_type="image/png")
    assert client.post(url(course), {**DATA, "cover": upload}).status_code == 302
    course.refresh_from_db()
    first = course.cover.name
    assert first.startswith("covers/")
    assert first.endswith(".jpg")
    with course.cover.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
        assert stored.format == "JPEG"
        assert stored.size == (1200, 900)
        assert not stored.info.get("exif")
    catalogue = client.get(reverse("courses:catalog")).content.decode()
    assert course.cover_url in catalogue
    assert course.cover_url in client.get(course.get_absolute_url()).content.decode()
    # Served to anyone who may see the course, as the JPEG stored.
    client.logout()
    served = client.get(course.cover_url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content)[:2] == b"\xff\xd8"
    client.force_login(instructor)

    again = SimpleUploadedFile("autre.jpg", _image("JPEG", (800, 450)), content_type="image/jpeg")
    client.post(url(course), {**DATA, "cover": again})
    course.refresh_from_db()
    assert course.cover.name != first
    assert not course.cover.storage.exists(first)

    client.post(url(course), {**DATA, "remove_cover": "on"})
    course.refresh_from_db()
    assert not course.cover


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "faux.png",
            b"<svg xmlns='http://www.w3.org/2000/svg'/>",
            "Choisissez une image JPEG, PNG ou WebP.",
        ),
        ("anim.gif", None, "Choisissez une image JPEG, PNG ou WebP."),
        ("lourde.png", b"\x89PNG" + b"0" * (3 * 1024 * 1024 + 1), "L’image dépasse 3\u00a0Mo."),
    ],
    ids=["not an image", "a GIF", "too heavy"],
)
def test_a_cover_that_is_no_usable_image_is_refused_and_nothing_changes(
    client, course, instructor, media_root, name, data, message
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    if data is None:
        data = _image("GIF", (40, 40))
    course.instructors.add(instructor)
    client.force_login(instructor)
    upload = SimpleUploadedFile(name, data, content_type="image/png")
    response = client.post(url(course), {**DATA, "cover": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page or message.replace("\u00a0", " ") in page
    course.refresh_from_db()
    assert not course.cover
    assert course.description == ""  # the presentation was not saved either


def test_an_unpublished_courses_cover_is_for_its_staff_only(
    client, make_course, instructor, learner, media_root
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from courses.catalog.services import course_cover_set

    course = make_course(is_published=False)
    course.instructors.add(instructor)
    course_cover_set(
        course=course, upload=SimpleUploadedFile("c.png", _image(), content_type="image/png")
    )
    assert client.get(course.cover_url).status_code == 404
    client.force_login(learner)
    assert client.get(course.cover_url).status_code == 404
    client.force_login(instructor)
    response = client.get(course.cover_url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=0"
