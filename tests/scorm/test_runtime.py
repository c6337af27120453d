"""The exported SCOs, hosted by a real LMS runtime that nobody here wrote, in headless Chromium.

Each test exports a package with ``package_build``, unzips it into a directory of its own and
writes a test-only ``launcher.html`` beside it: the LMS's side, where scorm-again (vendored in
``tests/scorm/vendor``) provides ``window.API`` (Scorm12API) or ``window.API_1484_11``
(Scorm2004API) with ``mastery_override: false``, records every call the SCO makes, and shows the
SCO's page in an iframe (or a pop-up window). A plain ``http.server`` serves the directory: no
Django in the loop, as in an LMS.

The tests know the keys from the database (each item's right option, found on the page by its
text), never by decoding ``data-key``.
"""

from __future__ import annotations

import base64
import functools
import http.server
import io
import json
import re
import shutil
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html
from playwright.sync_api import expect

from courses.models import Course, Lesson, QuestionItem
from courses.models.catalog import text_hash
from courses.scorm import identifiers as ids
from courses.scorm.package import package_build
from tests.browser.fixtures import check_accessibility

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

VENDOR = Path(__file__).resolve().parent / "vendor"
RUNTIME_JS = Path(__file__).resolve().parents[2] / "courses" / "scorm" / "runtime" / "sco.js"
STANDARDS = ["1.2", "2004"]
# SCORM 1.2 caps cmi.suspend_data at 4096 characters (CMIString4096, RTE 3.4.2.1.14);
# scorm-again accepts more, so the tests hold the SCO to the standard themselves.
SUSPEND_DATA_MAX = 4096
# What suspend_data may cost: a fixed prefix (format version, quiz fingerprint) and two
# characters a question. Growing the format past this fails test_suspend_data_*.
SUSPEND_PREFIX_MAX = 16
SUSPEND_PER_QUESTION = 2
TIMESPAN_12 = re.compile(r"^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$")  # SCORM 1.2 CMITimespan
TIMESPAN_2004 = re.compile(r"^PT(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)$")  # ISO 8601 duration

LONG_STEM = (
    "Chez un patient traité par cellules CAR-T qui présente une fièvre à 39 °C, une hypotension "
    "répondant au remplissage et une désaturation modérée, quelle complication l’IDE "
    "suspecte-t-elle en premier lieu, avant même les résultats du bilan biologique et "
    "l’avis du médecin, sachant que le syndrome de libération de cytokines est une … grave ?"
)
# The keys of the quiz lesson's items: the index of the right option, varied so that the
# letters differ from one question to the next.
ANSWERS = [0, 2, 1, 3, 2, 0]

LAUNCHER = """<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>LMS de test</title>
<script src="scorm-again.min.js"></script>
<style>body { margin: 0; } iframe { display: block; width: 100%; height: 640px; border: 0; }</style>
</head>
<body>
<script>
"use strict";
// The LMS's side, for the tests only. Each launch: a fresh API object (what an LMS does for each
// SCO launch), loaded with what the LMS kept from the earlier launch, every call recorded.
window.launches = [];
const CALLS = {
  "1.2": ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit",
          "LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic"],
  "2004": ["Initialize", "Terminate", "GetValue", "SetValue", "Commit",
           "GetLastError", "GetErrorString", "GetDiagnostic"],
};
const FINISH = {"1.2": "LMSFinish", "2004": "Terminate"};

function flattened(api) {
  const out = {};
  (function walk(prefix, value) {
    if (value !== null && typeof value === "object") {
      for (const key of Object.keys(value)) walk(prefix ? prefix + "." + key : key, value[key]);
    } else {
      out[prefix] = value === null || value === undefined ? "" : String(value);
    }
  })("", api.renderCMIToJSONObject());
  return out;
}

// What an LMS carries from one launch to the next, and cmi.entry from the previous exit.
function carried(standard, previous) {
  const before = flattened(previous.api);
  const get = (key) => before[key] || "";
  if (standard === "2004") {
    return {
      // scorm-again's own rule (SCORM 2004 RTE 4.2.11): "suspend" -> "resume".
      "cmi.entry": previous.api.determineEntryValue(get("cmi.exit"), !!get("cmi.suspend_data")),
      "cmi.suspend_data": get("cmi.suspend_data"),
      "cmi.location": get("cmi.location"),
      "cmi.completion_status": get("cmi.completion_status"),
      "cmi.success_status": get("cmi.success_status"),
    };
  }
  // SCORM 1.2 RTE 3.4.2.2: cmi.core.entry is "resume" when the SCO last exited with "suspend".
  return {
    "cmi.core.entry": get("cmi.core.exit") === "suspend" ? "resume" : "",
    "cmi.suspend_data": get("cmi.suspend_data"),
    "cmi.core.lesson_location": get("cmi.core.lesson_location"),
    "cmi.core.lesson_status": get("cmi.core.lesson_status"),
  };
}

window.launch = function (options) {
  const standard = options.standard;
  const Api = standard === "2004" ? window.Scorm2004API : window.Scorm12API;
  const api = new Api({mastery_override: false, autocommit: false, logLevel: 5});
  const initial = {};
  // What the LMS reads from the manifest: adlcp:masteryscore, imsss:minNormalizedMeasure.
  if (standard === "2004") {
    if (options.mastery) initial["cmi.scaled_passing_score"] = options.mastery;
  } else if (options.mastery) {
    initial["cmi.student_data.mastery_score"] = options.mastery;
  }
  if (options.resumeFrom !== undefined) {
    Object.assign(initial, carried(standard, window.launches[options.resumeFrom]));
  }
  Object.assign(initial, options.extra || {});
  for (const key of Object.keys(initial)) if (initial[key] === "") delete initial[key];
  api.loadFromFlattenedJSON(initial, "");
  const record = {standard, api, calls: [], commits: [], initial};
  for (const name of CALLS[standard]) {
    const original = api[name];
    api[name] = function (...args) {
      const result = original.apply(api, args);
      record.calls.push({name, args: args.map(String), result: String(result),
                         error: String(api.lastErrorCode)});
      if (name === "LMSCommit" || name === "Commit" || name === FINISH[standard]) {
        record.commits.push({call: name, cmi: flattened(api)});
      }
      return result;
    };
  }
  window.launches.push(record);
  window.API = standard === "1.2" ? api : undefined;
  window.API_1484_11 = standard === "2004" ? api : undefined;

  document.querySelectorAll("iframe").forEach((frame) => frame.remove());
  if (options.popup) {
    window.open(options.href, "sco");
  } else if (options.nested) {
    // Two frames down: the SCO's parent has no API, its grandparent has.
    const outer = document.createElement("iframe");
    outer.id = "outer";
    outer.title = "Cadre intermédiaire";
    outer.srcdoc = '<iframe id="sco" title="Module" style="width:100%;height:600px;border:0" src="'
      + new URL(options.href, location.href).href + '"></iframe>';
    document.body.appendChild(outer);
  } else {
    const frame = document.createElement("iframe");
    frame.id = "sco";
    frame.title = "Module";
    frame.src = options.href;
    document.body.appendChild(frame);
  }
  return window.launches.length - 1;
};

// Leaving the SCO's page without finishing: its frame goes elsewhere (pagehide fires in it).
window.leave = function () {
  document.getElementById("sco").src = "about:blank";
};

window.report = function (index) {
  const record = window.launches[index];
  return {calls: record.calls, commits: record.commits, cmi: flattened(record.api),
          initial: record.initial};
};
</script>
</body>
</html>
"""


# --- The LMS: a directory, a static HTTP server, a browser page ----------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class Lms:
    root: Path
    url: str

    def install(self, course: Course, standard: str) -> str:
        """Export ``course``, unzip it with the launcher beside it; the package's URL."""
        folder = "scorm" + standard.replace(".", "")
        target = self.root / folder
        with zipfile.ZipFile(io.BytesIO(package_build(course=course, standard=standard))) as zf:
            zf.extractall(target)
        shutil.copyfile(VENDOR / "scorm-again.min.js", target / "scorm-again.min.js")
        (target / "launcher.html").write_text(LAUNCHER, encoding="utf-8")
        base = f"{self.url}/{folder}"
        MASTERY[base] = _masteries(target / "imsmanifest.xml")
        return base


# What an LMS reads from each installed package's manifest: SCO href -> the value it loads
# into cmi.student_data.mastery_score (1.2) or cmi.scaled_passing_score (2004).
MASTERY: dict[str, dict[str, str]] = {}


def _masteries(manifest: Path) -> dict[str, str]:
    document = etree.parse(str(manifest))
    hrefs = {
        resource.get("identifier"): resource.get("href")
        for resource in document.iter("{*}resource")
    }
    found = {}
    for item in document.iter("{*}item"):
        value = item.findtext("{*}masteryscore") or item.findtext(".//{*}minNormalizedMeasure")
        if value and item.get("identifierref"):
            found[hrefs[item.get("identifierref")]] = value
    return found


@pytest.fixture
def lms(tmp_path):
    handler = functools.partial(_QuietHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Lms(root=tmp_path, url=f"http://127.0.0.1:{server.server_port}")
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"


# --- The course -------------------------------------------------------------------------------


@dataclass
class QuizCourse:
    course: Course
    quiz_lesson: Lesson
    plain_lesson: Lesson
    items: list[QuestionItem]

    def keys(self) -> dict[str, str]:
        """Interaction id -> the text of the right option."""
        return {
            ids.interaction_id(item.fingerprint): item.options[item.answer] for item in self.items
        }

    def wrong(self) -> dict[str, str]:
        """Interaction id -> the text of a wrong option."""
        return {
            ids.interaction_id(item.fingerprint): item.options[
                (item.answer + 1) % len(item.options)
            ]
            for item in self.items
        }

    def descriptions(self) -> dict[str, str]:
        """Interaction id -> the stem as SCORM 2004 keeps it (at most 250 characters)."""
        return {
            ids.interaction_id(item.fingerprint): (
                item.stem if len(item.stem) <= 250 else item.stem[:249] + "…"
            )
            for item in self.items
        }


def lessons_of(course: Course) -> list[Lesson]:
    return list(
        Lesson.objects.filter(module__course=course).order_by("module__position", "position")
    )


def lengthen(lesson: Lesson, paragraphs: int = 40) -> None:
    """A lesson long enough that its end is below the fold."""
    text = lesson.text + "".join(
        f"\n\nParagraphe de surveillance {n}\u00a0: l’IDE note la température, la fréquence "
        "cardiaque, la pression artérielle et la saturation, et signale toute aggravation."
        for n in range(1, paragraphs + 1)
    )
    Lesson.objects.filter(pk=lesson.pk).update(text=text, text_hash=text_hash(text))


@pytest.fixture
def quiz_course(make_course, make_item, instructor) -> QuizCourse:
    """Two lessons: one with a quiz of six approved items (pass mark 80: five right answers
    pass, four fail), one without any item (and a draft and a rejected item, never exported)."""
    course = make_course(modules=1, lessons=2, title="Cytokines : rôle de l’IDE")
    course.instructors.add(instructor)
    quiz_lesson, plain_lesson = lessons_of(course)
    items = [make_item(quiz_lesson, answer=answer) for answer in ANSWERS]
    # One stem longer than SCORM 2004's 250 characters for an interaction's description.
    QuestionItem.objects.filter(pk=items[-1].pk).update(stem=LONG_STEM)
    items[-1].refresh_from_db()
    make_item(plain_lesson, status=QuestionItem.Status.DRAFT)
    make_item(plain_lesson, status=QuestionItem.Status.REJECTED)
    lengthen(plain_lesson)
    plain_lesson.refresh_from_db()
    return QuizCourse(course, quiz_lesson, plain_lesson, items)


# --- Driving the SCO --------------------------------------------------------------------------


def launch(page, base: str, lesson: Lesson, standard: str, **options) -> int:
    if not page.url.startswith(base):
        page.goto(f"{base}/launcher.html")
    href = ids.sco_href(lesson.pk)
    mastery = MASTERY.get(base, {}).get(href)
    options = {"standard": standard, "href": href, "mastery": mastery, **options}
    return page.evaluate("(options) => window.launch(options)", options)


def report(page, index: int) -> dict:
    return page.evaluate("(index) => window.report(index)", index)


def calls(page, index: int, name: str) -> list[dict]:
    return [call for call in report(page, index)["calls"] if call["name"] == name]


def wait_finished(page, index: int, standard: str) -> None:
    name = "Terminate" if standard == "2004" else "LMSFinish"
    page.wait_for_function(
        "([index, name]) => window.launches[index].calls.some((c) => c.name === name)",
        arg=[index, name],
    )


def wait_initialized(page, index: int, standard: str) -> None:
    name = "Initialize" if standard == "2004" else "LMSInitialize"
    page.wait_for_function(
        "([index, name]) => window.launches[index].calls.some((c) => c.name === name)",
        arg=[index, name],
    )


def answer(sco, choices: dict[str, str]) -> None:
    """Check, in each question (by interaction id), the option with the given text."""
    for interaction, text in choices.items():
        question = sco.locator(f'fieldset[data-interaction="{interaction}"]')
        question.get_by_label(text, exact=True).check()


def letters_on_page(sco, choices: dict[str, str]) -> dict[str, str]:
    """Interaction id -> the letter (radio value) of the option with the given text."""
    found = {}
    for interaction, text in choices.items():
        question = sco.locator(f'fieldset[data-interaction="{interaction}"]')
        found[interaction] = question.get_by_label(text, exact=True).get_attribute("value")
    return found


def sco_messages(sco) -> dict[str, str]:
    return json.loads(sco.locator("#sco-messages").text_content())


def fill(template: str, **values: object) -> str:
    for name, value in values.items():
        template = template.replace("{" + name + "}", str(value))
    return template


def interaction_rows(cmi: dict[str, str]) -> list[dict[str, str]]:
    """cmi.interactions.N.* as a list of flat dicts, in N order."""
    rows: dict[int, dict[str, str]] = {}
    for key, value in cmi.items():
        match = re.match(r"^cmi\.interactions\.(?:childArray\.)?(\d+)\.(.+)$", key)
        if match:
            rows.setdefault(int(match[1]), {})[match[2]] = value
    return [rows[n] for n in sorted(rows)]


def set_values(report_: dict, standard: str) -> dict[str, str]:
    """What the SCO set, last value for each element, and that the LMS accepted each one."""
    name = "SetValue" if standard == "2004" else "LMSSetValue"
    values = {}
    for call in report_["calls"]:
        if call["name"] == name:
            assert (call["result"], call["error"]) == ("true", "0"), call
            values[call["args"][0]] = call["args"][1]
    return values


def assert_one_session(report_: dict, standard: str) -> None:
    """One Initialize, then one finish, the last call made; a commit just before it."""
    begin, commit, end = (
        ("Initialize", "Commit", "Terminate")
        if standard == "2004"
        else ("LMSInitialize", "LMSCommit", "LMSFinish")
    )
    names = [call["name"] for call in report_["calls"]]
    assert names.count(begin) == 1
    assert names[0] == begin
    assert names.count(end) == 1, names
    assert names[-1] == end
    assert names[-2] == commit
    for call in report_["calls"]:
        if call["name"] in {begin, commit, end}:
            assert (call["result"], call["args"]) == ("true", [""]), call


# --- Passing, failing --------------------------------------------------------------------------


@pytest.mark.parametrize("standard", STANDARDS)
def test_a_passed_quiz_reports_score_status_and_interactions(page, lms, quiz_course, standard):
    """Every answer right: passed, 100, one correct interaction a question, one finish."""
    base = lms.install(quiz_course.course, standard)
    index = launch(page, base, quiz_course.quiz_lesson, standard)
    sco = page.frame_locator("#sco")
    wait_initialized(page, index, standard)
    keys = quiz_course.keys()
    key_letters = letters_on_page(sco, keys)
    answer(sco, keys)
    sco.locator("#quiz-form button[type=submit]").click()

    wait_finished(page, index, standard)
    result = sco.locator("#result")
    messages = sco_messages(sco)
    assert result.is_visible()
    assert sco.locator("#result-title").inner_text() == messages["passed_title"]
    assert sco.locator("#result-text").inner_text() == fill(
        messages["score"], score=100, right=6, total=6, required=5
    )
    assert sco.locator(".sco-result__retry").count() == 0
    assert (
        page.evaluate("() => document.querySelector('#sco').contentDocument.activeElement.id")
        == "result"
    )
    for question in sco.locator("fieldset.sco-question").all():
        assert question.get_attribute("disabled") is not None
        assert all(option.is_disabled() for option in question.locator("input").all())
        assert question.locator(".sco-question__feedback").inner_text() == messages["correct"]
    assert sco.locator("#sco-status").inner_text() == messages["completed"]

    data = report(page, index)
    assert_one_session(data, standard)
    values = set_values(data, standard)
    cmi = data["cmi"]
    # What the commit just before the finish carried is already the result.
    committed = data["commits"][-2]
    assert committed["call"] == ("Commit" if standard == "2004" else "LMSCommit")
    status = "cmi.success_status" if standard == "2004" else "cmi.core.lesson_status"
    assert committed["cmi"][status] == "passed"
    interactions = interaction_rows(cmi)
    descriptions = quiz_course.descriptions()
    assert len(LONG_STEM) > 250
    assert LONG_STEM not in descriptions.values()
    order = [q.get_attribute("data-interaction") for q in sco.locator("fieldset").all()]
    assert [row["id"] for row in interactions] == order
    assert {row["id"] for row in interactions} == set(keys)
    if standard == "1.2":
        assert values["cmi.core.lesson_status"] == "passed"
        assert cmi["cmi.core.lesson_status"] == "passed"
        assert (cmi["cmi.core.score.raw"], cmi["cmi.core.score.min"]) == ("100", "0")
        assert cmi["cmi.core.score.max"] == "100"
        assert values["cmi.core.exit"] == ""
        assert TIMESPAN_12.match(values["cmi.core.session_time"])
        # Write-only for the SCO (SCORM 1.2), so each was appended at _count: 0, 1, 2...
        for n, interaction in enumerate(order):
            assert values[f"cmi.interactions.{n}.id"] == interaction
        for row in interactions:
            assert row["type"] == "choice"
            assert row["student_response"] == key_letters[row["id"]]
            assert row["correct_responses.0.pattern"] == key_letters[row["id"]]
            assert row["result"] == "correct"
            assert row["weighting"] == "1"
    else:
        assert cmi["cmi.completion_status"] == "completed"
        assert cmi["cmi.success_status"] == "passed"
        assert values["cmi.success_status"] == "passed"
        assert cmi["cmi.score.scaled"] == "1"
        assert (cmi["cmi.score.raw"], cmi["cmi.score.min"], cmi["cmi.score.max"]) == (
            "100",
            "0",
            "100",
        )
        assert values["cmi.exit"] == "normal"
        assert TIMESPAN_2004.match(values["cmi.session_time"])
        for row in interactions:
            assert row["type"] == "choice"
            assert row["learner_response"] == key_letters[row["id"]]
            assert row["correct_responses.0.pattern"] == key_letters[row["id"]]
            assert row["result"] == "correct"
            assert row["weighting"] == "1"
            assert row["description"] == descriptions[row["id"]]

    # Leaving the page afterwards finishes nothing twice.
    calls_before = len(data["calls"])
    page.evaluate("() => window.leave()")
    page.wait_for_timeout(300)
    assert len(report(page, index)["calls"]) == calls_before


@pytest.mark.parametrize("standard", STANDARDS)
def test_a_failed_quiz_reports_failed_with_the_right_answers_withheld(
    page, lms, quiz_course, standard
):
    """Four right answers of six (66 %, under 80): failed, wrong interactions, retry advice;
    the wrong answers' keys withheld until a pass (the course's review setting)."""
    base = lms.install(quiz_course.course, standard)
    index = launch(page, base, quiz_course.quiz_lesson, standard)
    sco = page.frame_locator("#sco")
    wait_initialized(page, index, standard)
    keys, wrong = quiz_course.keys(), quiz_course.wrong()
    wrong_ids = list(keys)[:2]
    choices = {i: (wrong[i] if i in wrong_ids else keys[i]) for i in keys}
    key_letters = letters_on_page(sco, keys)
    chosen_letters = letters_on_page(sco, choices)
    answer(sco, choices)
    sco.locator("#quiz-form button[type=submit]").click()

    wait_finished(page, index, standard)
    messages = sco_messages(sco)
    assert sco.locator("#result-title").inner_text() == messages["failed_title"]
    assert sco.locator("#result-text").inner_text() == fill(
        messages["score"], score=66, right=4, total=6, required=5
    )
    assert sco.locator(".sco-result__retry").inner_text() == messages["retry"]
    for interaction in keys:
        question = sco.locator(f'fieldset[data-interaction="{interaction}"]')
        feedback = question.locator(".sco-question__feedback").inner_text()
        if interaction in wrong_ids:
            assert feedback == messages["withheld"]
            assert question.locator(".sco-choice--key").count() == 0
        else:
            assert feedback == messages["correct"]

    data = report(page, index)
    assert_one_session(data, standard)
    values = set_values(data, standard)
    cmi = data["cmi"]
    results = {"1.2": ("correct", "wrong"), "2004": ("correct", "incorrect")}[standard]
    if standard == "1.2":
        assert cmi["cmi.core.lesson_status"] == "failed"
        assert cmi["cmi.core.score.raw"] == "66.66"
        assert values["cmi.core.exit"] == ""
        written = {
            values[f"cmi.interactions.{n}.id"]: (
                values[f"cmi.interactions.{n}.student_response"],
                values[f"cmi.interactions.{n}.correct_responses.0.pattern"],
                values[f"cmi.interactions.{n}.result"],
            )
            for n in range(len(keys))
        }
    else:
        assert (cmi["cmi.completion_status"], cmi["cmi.success_status"]) == ("completed", "failed")
        assert (cmi["cmi.score.raw"], cmi["cmi.score.scaled"]) == ("66.66", "0.6666")
        assert values["cmi.exit"] == "normal"
        written = {
            row["id"]: (row["learner_response"], row["correct_responses.0.pattern"], row["result"])
            for row in interaction_rows(cmi)
        }
    assert written == {
        i: (chosen_letters[i], key_letters[i], results[1] if i in wrong_ids else results[0])
        for i in keys
    }


# --- Leaving halfway, resuming -----------------------------------------------------------------


@pytest.mark.parametrize("standard", STANDARDS)
def test_leaving_halfway_suspends_and_the_next_launch_resumes(page, lms, quiz_course, standard):
    """Three answers, then the page goes away: exit suspend, the answers in suspend_data, one
    finish. Relaunched with what the LMS kept (entry resume), the answers are back."""
    base = lms.install(quiz_course.course, standard)
    first = launch(page, base, quiz_course.quiz_lesson, standard)
    sco = page.frame_locator("#sco")
    wait_initialized(page, first, standard)
    keys = quiz_course.keys()
    given = dict(list(keys.items())[:3])
    answer(sco, given)
    order = [q.get_attribute("data-interaction") for q in sco.locator("fieldset").all()]
    letters = letters_on_page(sco, given)
    page.evaluate("() => window.leave()")
    wait_finished(page, first, standard)

    data = report(page, first)
    assert_one_session(data, standard)
    values = set_values(data, standard)
    suspend = values["cmi.suspend_data"]
    assert suspend.split("~")[-1] == ".".join(letters.get(i, "-") for i in order)
    assert data["cmi"]["cmi.suspend_data"] == suspend
    if standard == "1.2":
        assert values["cmi.core.lesson_status"] == "incomplete"
        assert values["cmi.core.exit"] == "suspend"
        assert TIMESPAN_12.match(values["cmi.core.session_time"])
        assert "cmi.core.score.raw" not in values
    else:
        assert values["cmi.completion_status"] == "incomplete"
        assert values["cmi.exit"] == "suspend"
        assert TIMESPAN_2004.match(values["cmi.session_time"])
        assert "cmi.success_status" not in values
    assert not any(key.startswith("cmi.interactions.") for key in values)

    # The second launch: the LMS says "resume" and hands back the suspend data.
    second = launch(page, base, quiz_course.quiz_lesson, standard, resumeFrom=first)
    wait_initialized(page, second, standard)
    entry = report(page, second)["initial"]["cmi.entry" if standard == "2004" else "cmi.core.entry"]
    assert entry == "resume"
    entry_read = [
        call
        for call in report(page, second)["calls"]
        if call["args"][:1] == ["cmi.entry" if standard == "2004" else "cmi.core.entry"]
    ]
    assert [call["result"] for call in entry_read] == ["resume"]
    sco = page.frame_locator("#sco")
    messages = sco_messages(sco)
    assert sco.locator("#sco-status").inner_text() == messages["resumed"]
    for interaction in order:
        question = sco.locator(f'fieldset[data-interaction="{interaction}"]')
        checked = question.locator("input:checked")
        if interaction in given:
            assert checked.get_attribute("value") == letters[interaction]
        else:
            assert checked.count() == 0
    # The rest, then submit: passed, and this launch finished once too.
    answer(sco, {i: keys[i] for i in keys if i not in given})
    sco.locator("#quiz-form button[type=submit]").click()
    wait_finished(page, second, standard)
    data = report(page, second)
    assert_one_session(data, standard)
    status = "cmi.core.lesson_status" if standard == "1.2" else "cmi.success_status"
    assert data["cmi"][status] == "passed"
    assert len(calls(page, first, "LMSFinish" if standard == "1.2" else "Terminate")) == 1


@pytest.mark.parametrize("standard", STANDARDS)
def test_pagehide_alone_suspends_and_finishes_once(page, lms, quiz_course, standard):
    """pagehide by itself (the one event a phone's browser reliably fires) finishes the
    session, suspended; a second pagehide, beforeunload and unload then call nothing."""
    base = lms.install(quiz_course.course, standard)
    index = launch(page, base, quiz_course.quiz_lesson, standard)
    wait_initialized(page, index, standard)
    sco = page.frame_locator("#sco")
    answer(sco, dict(list(quiz_course.keys().items())[:1]))
    sco.locator("body").evaluate(
        """() => {
            window.dispatchEvent(new PageTransitionEvent("pagehide", {persisted: false}));
        }"""
    )
    data = report(page, index)
    assert_one_session(data, standard)
    exit_ = "cmi.exit" if standard == "2004" else "cmi.core.exit"
    assert set_values(data, standard)[exit_] == "suspend"
    sco.locator("body").evaluate(
        """() => {
            window.dispatchEvent(new PageTransitionEvent("pagehide", {persisted: false}));
            window.dispatchEvent(new Event("beforeunload"));
            window.dispatchEvent(new Event("unload"));
        }"""
    )
    page.evaluate("() => window.leave()")
    page.wait_for_timeout(300)
    assert len(report(page, index)["calls"]) == len(data["calls"])


@pytest.mark.parametrize("standard", STANDARDS)
def test_back_from_the_page_cache_the_page_says_its_session_ended(page, lms, quiz_course, standard):
    """A page restored from the back-forward cache after pagehide finished its session cannot
    report any more: it says so and its quiz can no longer be submitted; the LMS hears nothing."""
    base = lms.install(quiz_course.course, standard)
    index = launch(page, base, quiz_course.quiz_lesson, standard)
    wait_initialized(page, index, standard)
    sco = page.frame_locator("#sco")
    sco.locator("body").evaluate(
        """() => {
            window.dispatchEvent(new PageTransitionEvent("pagehide", {persisted: true}));
        }"""
    )
    calls = len(report(page, index)["calls"])
    sco.locator("body").evaluate(
        """() => {
            window.dispatchEvent(new PageTransitionEvent("pageshow", {persisted: true}));
        }"""
    )
    expect(sco.locator("#sco-status")).to_have_text(
        "La session avec votre plateforme de formation est terminée\u00a0: relancez la leçon "
        "depuis la plateforme pour continuer."
    )
    expect(sco.locator("#quiz button[type=submit]")).to_be_disabled()
    expect(sco.locator("#quiz input[type=radio]").first).to_be_disabled()
    page.wait_for_timeout(300)
    assert len(report(page, index)["calls"]) == calls


@pytest.mark.parametrize("standard", STANDARDS)
def test_a_launch_after_a_normal_exit_starts_afresh(page, lms, quiz_course, standard):
    """After a finished quiz (exit normal or ""), the LMS does not say resume: no answer comes
    back, whatever suspend_data still holds."""
    base = lms.install(quiz_course.course, standard)
    first = launch(page, base, quiz_course.quiz_lesson, standard)
    sco = page.frame_locator("#sco")
    wait_initialized(page, first, standard)
    answer(sco, quiz_course.wrong())
    sco.locator("#quiz-form button[type=submit]").click()
    wait_finished(page, first, standard)

    second = launch(page, base, quiz_course.quiz_lesson, standard, resumeFrom=first)
    wait_initialized(page, second, standard)
    sco = page.frame_locator("#sco")
    assert sco.locator("input:checked").count() == 0
    assert sco.locator("#sco-status").inner_text() != sco_messages(sco)["resumed"]


def test_closing_a_pop_up_window_suspends_through_the_opener(page, lms, quiz_course):
    """An LMS that opens the SCO in a window of its own: the API is found through the opener,
    and closing the window finishes the session once, suspended."""
    standard = "1.2"
    base = lms.install(quiz_course.course, standard)
    page.goto(f"{base}/launcher.html")
    with page.expect_popup() as popup_info:
        index = launch(page, base, quiz_course.quiz_lesson, standard, popup=True)
    popup = popup_info.value
    wait_initialized(page, index, standard)
    first = next(iter(quiz_course.keys().items()))
    answer(popup, dict([first]))
    popup.close(run_before_unload=True)
    wait_finished(page, index, standard)
    data = report(page, index)
    assert_one_session(data, standard)
    values = set_values(data, standard)
    assert values["cmi.core.exit"] == "suspend"
    assert values["cmi.suspend_data"].count("-") == len(quiz_course.items) - 1


@pytest.mark.parametrize("standard", STANDARDS)
def test_the_api_is_found_two_frames_up(page, lms, quiz_course, standard):
    """ADL's search climbs the parents: an LMS frame between the SCO and the API is no obstacle."""
    base = lms.install(quiz_course.course, standard)
    index = launch(page, base, quiz_course.quiz_lesson, standard, nested=True)
    wait_initialized(page, index, standard)
    sco = page.frame_locator("#outer").frame_locator("#sco")
    answer(sco, quiz_course.keys())
    sco.locator("#quiz-form button[type=submit]").click()
    wait_finished(page, index, standard)
    assert_one_session(report(page, index), standard)


@pytest.mark.parametrize("standard", STANDARDS)
def test_a_review_launch_records_no_result(page, lms, quiz_course, standard):
    """In review mode the learner sees the grading, and the LMS keeps what it had: no status,
    score, interaction or exit is written; the session still ends once."""
    mode = {"1.2": {"cmi.core.lesson_mode": "review"}, "2004": {"cmi.mode": "review"}}[standard]
    base = lms.install(quiz_course.course, standard)
    index = launch(page, base, quiz_course.quiz_lesson, standard, extra=mode)
    wait_initialized(page, index, standard)
    sco = page.frame_locator("#sco")
    answer(sco, quiz_course.wrong())
    sco.locator("#quiz-form button[type=submit]").click()
    wait_finished(page, index, standard)
    assert sco.locator("#result-title").inner_text() == sco_messages(sco)["failed_title"]
    data = report(page, index)
    assert_one_session(data, standard)
    assert set_values(data, standard) == {}


# --- A lesson without a quiz ---------------------------------------------------------------------


@pytest.mark.parametrize("standard", STANDARDS)
@pytest.mark.parametrize("observer", [True, False], ids=["IntersectionObserver", "scroll"])
def test_a_lesson_without_quiz_completes_when_its_end_is_reached(
    page, lms, quiz_course, standard, observer
):
    """Incomplete while its end is below the fold; completed, committed and finished once as
    soon as the learner scrolls to it (by IntersectionObserver, else by scroll events)."""
    if not observer:
        page.add_init_script("delete window.IntersectionObserver;")
    base = lms.install(quiz_course.course, standard)
    index = launch(page, base, quiz_course.plain_lesson, standard)
    sco = page.frame_locator("#sco")
    wait_initialized(page, index, standard)
    assert sco.locator("body").evaluate("() => 'IntersectionObserver' in window") is observer
    assert sco.locator("#quiz").count() == 0  # the draft and the rejected items stay out
    page.wait_for_timeout(500)
    data = report(page, index)
    finish = "Terminate" if standard == "2004" else "LMSFinish"
    assert finish not in [call["name"] for call in data["calls"]]
    status = "cmi.completion_status" if standard == "2004" else "cmi.core.lesson_status"
    assert set_values(data, standard)[status] == "incomplete"

    sco.locator("#lesson-end").scroll_into_view_if_needed()
    wait_finished(page, index, standard)
    data = report(page, index)
    assert_one_session(data, standard)
    values = set_values(data, standard)
    assert values[status] == "completed"
    assert data["cmi"][status] == "completed"
    if standard == "2004":
        assert values["cmi.exit"] == "normal"
        assert "cmi.success_status" not in values
    else:
        assert values["cmi.core.exit"] == ""
    assert sco.locator("#sco-status").inner_text() == sco_messages(sco)["completed"]


@pytest.mark.parametrize("standard", STANDARDS)
def test_a_short_lesson_without_quiz_completes_at_once(page, lms, make_course, standard):
    """Its end is on screen from the start: completed without a scroll."""
    course = make_course(modules=1, lessons=1)
    (lesson,) = lessons_of(course)
    base = lms.install(course, standard)
    index = launch(page, base, lesson, standard)
    wait_finished(page, index, standard)
    data = report(page, index)
    assert_one_session(data, standard)
    status = "cmi.completion_status" if standard == "2004" else "cmi.core.lesson_status"
    assert data["cmi"][status] == "completed"


# --- suspend_data within SCORM 1.2's limit ------------------------------------------------------


def test_suspend_data_of_the_largest_quiz_stays_within_scorm_12s_limit(
    page, lms, make_course, make_item
):
    """A quiz of 250 questions (25 times the default size), every one answered: suspend_data
    costs at most 16 characters plus 2 a question, under SCORM 1.2's 4,096, and the SCO never
    writes more than 4,096 whatever the size (room for 2,040 questions)."""
    size = 250
    course = make_course(modules=1, lessons=1)
    # Past the settings form's bound (50), as a course edited in the database could be.
    Course.objects.filter(pk=course.pk).update(quiz_questions=size)
    course.refresh_from_db()
    (lesson,) = lessons_of(course)
    for n in range(size):
        make_item(lesson, answer=n % 4)
    base = lms.install(course, "1.2")
    index = launch(page, base, lesson, "1.2")
    wait_initialized(page, index, "1.2")
    sco = page.frame_locator("#sco")
    assert sco.locator("fieldset.sco-question").count() == size
    # Every question answered with its last option (a click fires the change event).
    sco.locator("#quiz-form").evaluate(
        """(form) => form.querySelectorAll("fieldset").forEach((question) => {
            const options = question.querySelectorAll("input[type=radio]");
            options[options.length - 1].click();
        })"""
    )
    written = [
        c["args"][1]
        for c in calls(page, index, "LMSSetValue")
        if c["args"][0] == "cmi.suspend_data"
    ]
    assert len(written) == size
    # Every value the same length (one character a question, answered or not); the last
    # holds every answer.
    assert len({len(value) for value in written}) == 1
    longest = written[-1]
    assert len(longest) <= SUSPEND_PREFIX_MAX + SUSPEND_PER_QUESTION * size
    assert len(longest) <= SUSPEND_DATA_MAX
    assert (SUSPEND_DATA_MAX - SUSPEND_PREFIX_MAX) // SUSPEND_PER_QUESTION >= 2000
    assert "-" not in longest.split("~")[-1]
    page.evaluate("() => window.leave()")
    wait_finished(page, index, "1.2")
    assert report(page, index)["cmi"]["cmi.suspend_data"] == longest


# --- The page itself: accessible, phone-sized, keyboard, no LMS, no key in clear ----------------


@pytest.mark.parametrize("width", [390, 1280])
def test_a_sco_page_is_accessible_and_fits_the_screen(browser, lms, quiz_course, width):
    """axe-core finds no serious or critical violation before and after grading, and nothing
    scrolls sideways, on a phone and on a laptop."""
    base = lms.install(quiz_course.course, "1.2")
    context = browser.new_context(viewport={"width": width, "height": 800})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        for lesson in (quiz_course.quiz_lesson, quiz_course.plain_lesson):
            page.goto(f"{base}/{ids.sco_href(lesson.pk)}")
            check_accessibility(page)
            assert page.evaluate(
                "() => document.documentElement.scrollWidth <= window.innerWidth"
            ), f"sideways scroll at {width} px"
        page.goto(f"{base}/{ids.sco_href(quiz_course.quiz_lesson.pk)}")
        page.locator("#quiz-form button[type=submit]").click()  # nothing answered: the error
        assert page.locator("#quiz-error").is_visible()
        check_accessibility(page)
        choices = quiz_course.keys()
        choices[next(iter(choices))] = quiz_course.wrong()[next(iter(choices))]
        answer(page, choices)
        page.locator("#quiz-form button[type=submit]").click()
        assert page.locator("#result").is_visible()
        check_accessibility(page)
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()


def test_without_an_lms_the_quiz_can_be_taken_with_the_keyboard_alone(page, lms, quiz_course):
    """Opened outside any LMS: the page says nothing will be recorded; Tab and the arrow keys
    answer, Enter submits, the error and then the result take the focus."""
    base = lms.install(quiz_course.course, "2004")
    page.goto(f"{base}/{ids.sco_href(quiz_course.quiz_lesson.pk)}")
    messages = sco_messages(page)
    assert page.locator("#sco-status").inner_text() == messages["no_lms"]
    keys = quiz_course.keys()
    letters = letters_on_page(page, keys)
    order = [q.get_attribute("data-interaction") for q in page.locator("fieldset").all()]

    def focused() -> dict:
        return page.evaluate(
            "() => ({id: document.activeElement.id, name: document.activeElement.name || ''})"
        )

    # The first question only, then Enter: the error names what is left and the focus goes
    # to the first unanswered question.
    while focused()["name"] != "q-0":
        page.keyboard.press("Tab")
    page.keyboard.press("Space")
    while focused()["id"] != f"q-0-{letters[order[0]]}":
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.locator("#quiz-error").inner_text() == fill(
        messages["answer_all"], missing=len(order) - 1
    )
    assert focused()["name"] == "q-1"
    for position, interaction in enumerate(order[1:], start=1):
        assert focused()["name"] == f"q-{position}"
        page.keyboard.press("Space")
        while focused()["id"] != f"q-{position}-{letters[interaction]}":
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.type") == "submit"
    page.keyboard.press("Enter")
    assert focused()["id"] == "result"
    assert page.locator("#result-title").inner_text() == messages["passed_title"]
    assert page.locator("#quiz-error").is_hidden()
    assert page.locator("#sco-status").inner_text() == messages["no_lms"]


@pytest.mark.parametrize("standard", STANDARDS)
def test_no_key_is_readable_in_the_page(quiz_course, standard):
    """The right letters are nowhere in clear: not as attributes or classes, not as the
    string of letters, not as plain base64 of it."""
    archive = zipfile.ZipFile(
        io.BytesIO(package_build(course=quiz_course.course, standard=standard))
    )
    page = archive.read(ids.sco_href(quiz_course.quiz_lesson.pk)).decode("utf-8")
    runtime = archive.read("shared/sco.js").decode("utf-8")
    assert runtime == RUNTIME_JS.read_text(encoding="utf-8")
    document = lxml_html.fromstring(page)
    keys = quiz_course.keys()
    letters = ""
    for question in document.xpath("//fieldset[@data-interaction]"):
        right = keys[question.get("data-interaction")]
        for label in question.xpath(".//label"):
            if label.text_content().strip() == right:
                letters += document.get_element_by_id(label.get("for")).get("value")
    # Six letters (the SCO's seeded shuffle decides which; they may happen to be the same).
    assert len(letters) == len(keys) == 6

    assert not re.search(r"data-(answer|correct|right|key-)", page)
    assert not re.search(r"""class="[^"]*\b(correct|right|key)\b""", page)
    assert not document.xpath("//input[@checked]")
    assert letters not in page
    assert letters not in runtime
    quiz = document.get_element_by_id("quiz")
    data_key = quiz.get("data-key")
    assert data_key
    assert quiz.get("data-salt")
    assert base64.b64decode(data_key) != letters.encode()
    assert base64.b64encode(letters.encode()).decode() not in page
    assert f'data-standard="{standard}"' in page


@pytest.mark.parametrize(("release", "shown"), [("after_pass", True), ("never", False)])
def test_a_passed_quizs_wrong_answer_shows_its_key_as_the_review_setting_says(
    page, lms, quiz_course, release, shown
):
    """Five right answers of six (83 %): passed; the wrong one shows its key after a pass,
    never under "never"."""
    from courses.models import Course

    Course.objects.filter(pk=quiz_course.course.pk).update(review_release=release)
    quiz_course.course.refresh_from_db()
    base = lms.install(quiz_course.course, "2004")
    index = launch(page, base, quiz_course.quiz_lesson, "2004")
    sco = page.frame_locator("#sco")
    wait_initialized(page, index, "2004")
    keys, wrong = quiz_course.keys(), quiz_course.wrong()
    wrong_id = next(iter(keys))
    answer(sco, {i: (wrong[i] if i == wrong_id else keys[i]) for i in keys})
    sco.locator("#quiz-form button[type=submit]").click()
    wait_finished(page, index, "2004")
    messages = sco_messages(sco)
    assert sco.locator("#result-title").inner_text() == messages["passed_title"]
    question = sco.locator(f'fieldset[data-interaction="{wrong_id}"]')
    feedback = question.locator(".sco-question__feedback").inner_text()
    if shown:
        assert feedback == fill(messages["incorrect"], answer=keys[wrong_id])
    else:
        assert feedback == messages["withheld"]
        assert question.locator(".sco-choice--key").count() == 0


# --- multiple response ------------------------------------------------------------------------

MULTIPLE_OPTIONS = ["fièvre", "hypotension", "hypoxie", "alopécie", "bradycardie"]


@pytest.fixture
def multiple_course(make_course, make_item) -> QuizCourse:
    """One lesson: two multiple-response questions (three keys among five) and three with
    one key; pass mark 80 (four of five)."""
    course = make_course(modules=1, lessons=1, title="Signes du SRC")
    (lesson,) = lessons_of(course)
    items = [
        make_item(lesson, options=MULTIPLE_OPTIONS, answer=0, multiple_answers=[0, 1, 2])
        for _ in range(2)
    ] + [make_item(lesson, answer=n) for n in range(3)]
    return QuizCourse(course, lesson, lesson, items)


def tick(sco, interaction: str, texts: list[str]) -> None:
    question = sco.locator(f'fieldset[data-interaction="{interaction}"]')
    for text in texts:
        question.get_by_label(text, exact=True).check()


@pytest.mark.parametrize("standard", STANDARDS)
@pytest.mark.parametrize("partial", [False, True], ids=["all or nothing", "partial credit"])
def test_multiple_response_is_reported_as_choices_with_several_correct_responses(
    page, lms, multiple_course, standard, partial
):
    """Two keys of three ticked on both multiple-response questions, the rest right: all or
    nothing, 3 of 5 (60 %, failed); with partial credit, 3 + 2 × 2/3 = 4.33 points (86 %,
    passed). scorm-again accepts every value: the patterns "a,c,e" (1.2) and "a[,]c[,]e"
    (2004), the learner's response in the same form."""
    course = multiple_course.course
    course.partial_credit = partial
    course.save()
    base = lms.install(course, standard)
    index = launch(page, base, multiple_course.quiz_lesson, standard)
    sco = page.frame_locator("#sco")
    wait_initialized(page, index, standard)
    multiple = [item for item in multiple_course.items if item.is_multiple]
    assert sco.locator('input[type="checkbox"]').count() == 2 * 5
    assert sco.get_by_text("Cochez les 3\u00a0bonnes réponses.").count() == 2
    for item in multiple:
        tick(sco, ids.interaction_id(item.fingerprint), MULTIPLE_OPTIONS[:2])
    answer(sco, {
        ids.interaction_id(item.fingerprint): item.options[item.answer]
        for item in multiple_course.items
        if not item.is_multiple
    })  # fmt: skip
    sco.locator("#quiz-form button[type=submit]").click()
    wait_finished(page, index, standard)

    data = report(page, index)
    values = set_values(data, standard)  # every value accepted by scorm-again
    cmi = data["cmi"]
    rows = {row["id"]: row for row in interaction_rows(cmi)}
    separator = "[,]" if standard == "2004" else ","
    for item in multiple:
        row = rows[ids.interaction_id(item.fingerprint)]
        question = sco.locator(f'fieldset[data-interaction="{row["id"]}"]')
        letters = {
            text: question.get_by_label(text, exact=True).get_attribute("value")
            for text in MULTIPLE_OPTIONS
        }
        keys = sorted(letters[text] for text in MULTIPLE_OPTIONS[:3])
        ticked = sorted(letters[text] for text in MULTIPLE_OPTIONS[:2])
        assert row["type"] == "choice"
        assert row["correct_responses.0.pattern"] == separator.join(keys)
        response = "learner_response" if standard == "2004" else "student_response"
        assert row[response] == separator.join(ticked)
        assert row["result"] in {"incorrect", "wrong"}
    status = "cmi.success_status" if standard == "2004" else "cmi.core.lesson_status"
    raw = "cmi.score.raw" if standard == "2004" else "cmi.core.score.raw"
    if partial:
        assert (values[status], values[raw]) == ("passed", "86.66")
    else:
        assert (values[status], values[raw]) == ("failed", "60")
