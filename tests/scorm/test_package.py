"""The package as an LMS administrator receives it: one zip, imsmanifest.xml at its root with
the official schemas beside it, a self-contained page per lesson, stable identifiers."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from lxml import etree, html

from courses.models import Lesson, Module, QuestionItem
from courses.models.catalog import text_hash
from courses.scorm import content
from courses.scorm import identifiers as ids
from courses.scorm.package import package_build

from .schemas import OFFICIAL, validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def scorm_course(make_course, make_item, instructor):
    """Two modules of two lessons; the first lesson has three questions, the others none."""
    course = make_course(modules=2, lessons=2, title="Cytokines : rôle infirmier", pass_mark=75)
    course.instructors.add(instructor)
    first = Lesson.objects.filter(module__course=course).order_by("module__position", "position")[0]
    for _ in range(3):
        make_item(first)
    return course


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize("standard", ["1.2", "2004"])
def test_the_package_is_complete_and_valid(scorm_course, standard):
    files = unzip(package_build(course=scorm_course, standard=standard))
    manifest = files["imsmanifest.xml"]
    assert validate(manifest, standard=standard) == []
    # The official schemas at the root, byte for byte.
    for name, digest in OFFICIAL.items():
        folder, file_name = name.split("/")
        if folder == standard:
            assert hashlib.sha256(files[file_name]).hexdigest() == digest
    # What the schemas cannot check.
    document = etree.fromstring(manifest)
    resources = {r.get("identifier"): r for r in document.iter("{*}resource")}
    for node in document.iter("{*}item", "{*}dependency"):
        if node.get("identifierref"):
            assert node.get("identifierref") in resources
    organizations = document.find("{*}organizations")
    default = organizations.get("default")
    assert organizations.find(f"{{*}}organization[@identifier='{default}']") is not None
    for node in document.iter("{*}file", "{*}resource"):
        if node.get("href"):
            assert node.get("href") in files, node.get("href")
    # File names: ASCII, no spaces.
    assert all(re.fullmatch(r"[A-Za-z0-9_./-]+", name) for name in files)
    # One SCO per lesson.
    lessons = Lesson.objects.filter(module__course=scorm_course)
    # adlcp:scormtype (1.2) or adlcp:scormType (2004).
    scos = [
        r
        for r in resources.values()
        if any(k.endswith(("}scormtype", "}scormType")) and v == "sco" for k, v in r.items())
    ]
    assert len([name for name in files if name.startswith("lessons/")]) == lessons.count()
    assert len(scos) == lessons.count()


def test_pages_are_self_contained(scorm_course):
    """No network: every src and href of a page is a relative path inside the package."""
    files = unzip(package_build(course=scorm_course, standard="1.2"))
    for name, data in files.items():
        if not name.endswith(".html"):
            continue
        page = html.fromstring(data)
        for element in page.iter():
            for attribute in ("src", "href"):
                value = element.get(attribute)
                if value is None or value.startswith("#"):
                    continue
                assert "//" not in value, f"{name}: {value}"
                target = (name.rsplit("/", 1)[0] + "/" + value).replace("lessons/../", "")
                assert target in files, f"{name}: {value}"


def test_two_exports_are_the_same_bytes(scorm_course):
    """Same course, same package: identifiers, quiz and even the zip's bytes are stable."""
    assert package_build(course=scorm_course, standard="2004") == package_build(
        course=scorm_course, standard="2004"
    )


def test_identifiers_survive_a_new_lesson(scorm_course):
    """A lesson added to the course: every earlier item and interaction keeps its id, so the
    learners' records in the LMS survive the re-upload."""

    def identifiers() -> set[str]:
        files = unzip(package_build(course=scorm_course, standard="1.2"))
        found = set(re.findall(rb'identifier="([^"]+)"', files["imsmanifest.xml"]))
        for name, data in files.items():
            if name.startswith("lessons/"):
                found |= set(re.findall(rb'data-interaction="([^"]+)"', data))
        return {value.decode() for value in found}

    before = identifiers()
    module = Module.objects.filter(course=scorm_course).order_by("position").first()
    Lesson.objects.create(
        module=module, title="Nouvelle leçon", position=0, text="Texte.", text_hash=text_hash("x")
    )
    scorm_course.save()  # the outline's cache key follows the course
    after = identifiers()
    assert before < after


def test_the_quiz_is_in_the_page_but_its_keys_are_not(scorm_course):
    files = unzip(package_build(course=scorm_course, standard="1.2"))
    lesson = Lesson.objects.filter(module__course=scorm_course).order_by(
        "module__position", "position"
    )[0]
    page = files[ids.sco_href(lesson.pk)].decode()
    document = html.fromstring(page)
    questions = document.xpath("//fieldset[contains(@class, 'sco-question')]")
    assert len(questions) == 3
    quiz = document.get_element_by_id("quiz")
    revealed = content.reveal(quiz.get("data-key"), quiz.get("data-salt"))
    letters = revealed.split(".")
    assert len(letters) == 3
    assert revealed not in page
    assert "data-answer" not in page
    # The key decodes to the right option: its text is the item's answer.
    for fieldset, letter in zip(questions, letters, strict=True):
        interaction = fieldset.get("data-interaction")
        item = next(
            i
            for i in QuestionItem.objects.filter(lesson=lesson)
            if ids.interaction_id(i.fingerprint) == interaction
        )
        label = fieldset.xpath(f".//input[@value='{letter}']/following-sibling::label")[
            0
        ].text_content()
        assert label == item.options[item.answer]


def test_a_lesson_without_questions_has_no_quiz_and_no_mastery(scorm_course):
    files = unzip(package_build(course=scorm_course, standard="1.2"))
    lesson = Lesson.objects.filter(module__course=scorm_course).order_by(
        "module__position", "position"
    )[1]
    page = html.fromstring(files[ids.sco_href(lesson.pk)])
    assert page.get_element_by_id("lesson-end") is not None
    assert not page.xpath("//*[@id='quiz']")
    item = etree.fromstring(files["imsmanifest.xml"]).find(
        f".//{{*}}item[@identifier='{ids.item_id(lesson.pk)}']"
    )
    assert item.find("{*}masteryscore") is None


def test_a_sco_never_holds_two_questions_of_one_family(make_course, make_item):
    """The site's rule holds in the package, over many builds: two items of one family ask the
    same fact or would give each other away; and no more than the course's questions per
    attempt, with the count to pass that the site states."""
    from courses.scorm.content import ItemData, sco_questions

    course = make_course(modules=1, lessons=1)
    course.quiz_questions = 5
    course.pass_mark = 70
    course.save()
    lesson = Lesson.objects.get(module__course=course)
    for family in ["x", "x", "x", "y", "y", "", "", "", "", "", ""]:
        make_item(lesson, family=family)
    page = html.fromstring(
        unzip(package_build(course=course, standard="2004"))[ids.sco_href(lesson.pk)]
    )
    interactions = [
        f.get("data-interaction")
        for f in page.xpath("//fieldset[contains(@class, 'sco-question')]")
    ]
    assert len(interactions) == 5
    # 70 % of five is 3.5: three right answers pass, as on the site (halves down).
    assert page.xpath("//body")[0].get("data-required") == "3"
    assert "3 bonnes réponses sur 5" in " ".join(page.xpath("//*[@id='quiz']//text()"))
    items = {ids.interaction_id(i.fingerprint): i for i in QuestionItem.objects.all()}
    named = [items[i].family for i in interactions if items[i].family]
    assert len(named) == len(set(named))
    # The draw behind every package, over many seeds.
    data = [
        ItemData(pk=i.pk, fingerprint=i.fingerprint, stem=i.stem, options=tuple(i.options),
                 answer=i.answer, family=i.family)
        for i in QuestionItem.objects.order_by("pk")
    ]  # fmt: skip
    for seed in range(60):
        drawn = sco_questions(data, seed=str(seed), limit=5)
        families = [items[q.id].family for q in drawn]
        named = [family for family in families if family]
        assert len(drawn) == 5
        assert len(named) == len(set(named))


def test_drafts_and_rejected_items_are_never_exported(make_course, make_item):
    course = make_course(modules=1, lessons=1)
    lesson = Lesson.objects.get(module__course=course)
    make_item(lesson, status=QuestionItem.Status.DRAFT)
    make_item(lesson, status=QuestionItem.Status.REJECTED)
    page = unzip(package_build(course=course, standard="1.2"))[ids.sco_href(lesson.pk)]
    assert b"sco-question" not in page


def test_the_command_writes_the_zip(scorm_course, tmp_path):
    output = tmp_path / "export.zip"
    out = io.StringIO()
    call_command("export_scorm", scorm_course.slug, standard="2004", output=str(output), stdout=out)
    assert zipfile.ZipFile(output).read("imsmanifest.xml").startswith(b"<?xml")
    assert "SCORM 2004" in out.getvalue()
    assert not list(tmp_path.glob("*.part"))


def test_the_command_refuses_clearly(scorm_course, make_course, tmp_path):
    with pytest.raises(CommandError, match="nulle-part"):
        call_command("export_scorm", "nulle-part", standard="1.2", output=str(tmp_path / "a.zip"))
    empty = make_course(modules=0)
    with pytest.raises(CommandError, match=empty.title):
        call_command("export_scorm", empty.slug, standard="1.2", output=str(tmp_path / "b.zip"))
    with pytest.raises(CommandError):
        call_command("export_scorm", scorm_course.slug, standard="1.2", output="/nulle/part/c.zip")
    assert not list(tmp_path.iterdir())


def test_course_staff_download_both_standards(client, scorm_course, instructor):
    client.force_login(instructor)
    manage = client.get(reverse("courses:course_manage", kwargs={"slug": scorm_course.slug}))
    for standard in ("1.2", "2004"):
        url = reverse(
            "courses:scorm_export", kwargs={"slug": scorm_course.slug, "standard": standard}
        )
        assert url in manage.content.decode()
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/zip"
        assert response["Content-Disposition"] == (
            f'attachment; filename="{ids.file_name(scorm_course.slug, standard)}"'
        )
        assert unzip(response.content)["imsmanifest.xml"]


def test_only_course_staff_download(client, scorm_course, learner, other_instructor):
    url = reverse("courses:scorm_export", kwargs={"slug": scorm_course.slug, "standard": "1.2"})
    assert client.get(url).status_code == 302
    client.force_login(learner)
    assert client.get(url).status_code == 403
    client.force_login(other_instructor)
    assert client.get(url).status_code == 403


def test_an_unknown_standard_is_a_404(client, scorm_course, instructor):
    client.force_login(instructor)
    url = reverse("courses:scorm_export", kwargs={"slug": scorm_course.slug, "standard": "3"})
    assert client.get(url).status_code == 404


def test_a_course_with_nothing_to_export_says_so_on_its_page(
    client, make_course, instructor, settings
):
    """No lesson yet: back to the course's page with the reason, in French, not a bare error."""
    from courses.models import Lesson

    course = make_course(modules=1, lessons=1, title="Formation vide")
    Lesson.objects.filter(module__course=course).delete()
    course.instructors.add(instructor)
    client.force_login(instructor)
    url = reverse("courses:scorm_export", kwargs={"slug": course.slug, "standard": "2004"})
    response = client.get(url, follow=True)
    assert response.redirect_chain == [
        (reverse("courses:course_manage", kwargs={"slug": course.slug}), 302)
    ]
    assert "Formation vide" in response.content.decode()
    assert "n’a aucune leçon à exporter" in response.content.decode()


def test_a_multiple_response_question_carries_all_its_keys(make_course, make_item):
    """Checkboxes, how many to tick, and the key's letters of every right option."""
    course = make_course(modules=1, lessons=1)
    lesson = Lesson.objects.get(module__course=course)
    options = ["fièvre", "hypotension", "hypoxie", "alopécie", "bradycardie"]
    item = make_item(lesson, options=options, answer=0, multiple_answers=[0, 2])
    page = html.fromstring(
        unzip(package_build(course=course, standard="2004"))[ids.sco_href(lesson.pk)]
    )
    (fieldset,) = page.xpath("//fieldset[contains(@class, 'sco-question')]")
    assert fieldset.get("data-interaction") == ids.interaction_id(item.fingerprint)
    assert len(fieldset.xpath(".//input[@type='checkbox']")) == 5
    assert "Cochez les 2" in fieldset.text_content()
    quiz = page.get_element_by_id("quiz")
    (key,) = content.reveal(quiz.get("data-key"), quiz.get("data-salt")).split(".")
    labels = {
        fieldset.xpath(f".//input[@value='{letter}']/following-sibling::label")[0].text_content()
        for letter in key
    }
    assert labels == {"fièvre", "hypoxie"}


@pytest.mark.parametrize("standard", ["1.2", "2004"])
def test_an_imported_picture_travels_in_the_package(standard):
    """A Word document's picture: in the package once, listed in the manifest, the lesson's
    page pointing at it by a relative path; the manifest still valid."""
    from courses.ingest import read_document
    from courses.ingest.services import documents_import
    from courses.models import CourseImage
    from tests.ingest import documents

    data = documents.docx_with_pictures((documents.png(), "Courbe de température"))
    document = read_document(data, source="courbe.docx", max_bytes=10**7, max_package_bytes=10**8)
    course = documents_import(course_slug="scorm-images", documents=[document]).course
    image = CourseImage.objects.get(course=course)
    files = unzip(package_build(course=course, standard=standard))
    assert validate(files["imsmanifest.xml"], standard=standard) == []
    path = f"shared/images/{image.key}.png"
    assert files[path].startswith(b"\x89PNG")
    assert f'href="{path}"'.encode() in files["imsmanifest.xml"]
    pages = [data for name, data in files.items() if name.startswith("lessons/")]
    shown = [page for page in pages if f'src="../{path}"'.encode() in page]
    assert len(shown) == 1
    assert b'alt="Courbe de temp' in shown[0]
    assert not any(b"/images/" in page.replace(b"shared/images/", b"") for page in pages)


def test_a_package_rebuilt_after_an_edit_keeps_its_identifier_and_a_higher_version(
    scorm_course, instructor
):
    """The LMS administrator replaces the package in place: same manifest identifier, a
    version that compares higher."""
    from courses.authoring.services import lesson_edit

    def manifest_of() -> etree._Element:
        scorm_course.refresh_from_db()
        files = unzip(package_build(course=scorm_course, standard="2004"))
        return etree.fromstring(files["imsmanifest.xml"])

    before = manifest_of()
    lesson = Lesson.objects.filter(module__course=scorm_course).order_by("position")[1]
    lesson_edit(
        lesson=lesson,
        title=lesson.title,
        text="Un texte réécrit dans le navigateur, plus juste pour les infirmières.\n",
        base_version=lesson.version,
        by=instructor,
    )
    after = manifest_of()
    assert after.get("identifier") == before.get("identifier")
    assert re.fullmatch(r"\d{8}\.\d{9}", after.get("version"))
    assert after.get("version") > before.get("version")
    page = unzip(package_build(course=scorm_course, standard="1.2"))[ids.sco_href(lesson.pk)]
    assert "réécrit dans le navigateur".encode() in page
