"""imsmanifest.xml against the official schemas, and what the schemas cannot check."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from courses.scorm import identifiers as ids
from courses.scorm.manifest import ModuleEntry, Sco, Structure, manifest

from .schemas import validate

STRUCTURE = Structure(
    course_slug="cytokines-immunotherapie",
    title="Cytokines et immunothérapie : rôle infirmier",
    modules=(
        ModuleEntry(
            module_pk=3,
            title="Qu’est-ce que le syndrome de libération de cytokines ?",
            scos=(Sco(lesson_pk=12, title="Le SRC", mastery="80"), Sco(13, "Sans quiz", None)),
        ),
        ModuleEntry(
            module_pk=4,
            title="Thérapie",
            scos=(Sco(14, "L’IL-2 & <co>", "100"), Sco(15, "Cinq sur six", "83.33")),
        ),
    ),
    shared_files=("shared/sco.js", "shared/sco.css"),
)
NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


@pytest.mark.parametrize("standard", ["1.2", "2004"])
def test_the_manifest_is_valid_against_the_official_schemas(standard):
    assert validate(manifest(STRUCTURE, standard=standard), standard=standard) == []


@pytest.mark.parametrize("standard", ["1.2", "2004"])
def test_the_validation_can_fail(standard):
    """The check is real: an element out of its schema's order is reported."""
    document = etree.fromstring(manifest(STRUCTURE, standard=standard))
    organization = document.find(".//{*}organization")
    title = organization.find("{*}title")
    organization.remove(title)
    organization.append(title)  # a title after the items: not allowed
    assert validate(etree.tostring(document), standard=standard) != []


def test_scorm_12_mastery_score_is_the_passing_score():
    document = etree.fromstring(manifest(STRUCTURE, standard="1.2"))
    scores = {
        item.get("identifier"): item.findtext("{*}masteryscore")
        for item in document.iter("{*}item")
        if item.get("identifierref")
    }
    assert scores == {
        "ITEM-L-12": "80",
        "ITEM-L-13": None,
        "ITEM-L-14": "100",
        "ITEM-L-15": "83.33",
    }
    schema_version = document.findtext("{*}metadata/{*}schemaversion")
    assert schema_version == "1.2"


def test_scorm_2004_objectives_are_satisfied_by_measure_and_set_by_content():
    document = etree.fromstring(manifest(STRUCTURE, standard="2004"))
    assert document.findtext("{*}metadata/{*}schemaversion") == "2004 4th Edition"
    item = next(i for i in document.iter("{*}item") if i.get("identifier") == "ITEM-L-12")
    primary = item.find(".//{*}primaryObjective")
    assert primary.get("satisfiedByMeasure") == "true"
    assert primary.findtext("{*}minNormalizedMeasure") == "0.8"
    controls = item.find(".//{*}deliveryControls")
    assert controls.get("completionSetByContent") == "true"
    assert controls.get("objectiveSetByContent") == "true"
    full = next(i for i in document.iter("{*}item") if i.get("identifier") == "ITEM-L-14")
    assert full.find(".//{*}minNormalizedMeasure").text == "1"
    five_of_six = next(i for i in document.iter("{*}item") if i.get("identifier") == "ITEM-L-15")
    assert five_of_six.find(".//{*}minNormalizedMeasure").text == "0.8333"
    # Without a quiz, the SCO reports completion; the LMS satisfies the objective.
    reading = next(i for i in document.iter("{*}item") if i.get("identifier") == "ITEM-L-13")
    assert reading.find(".//{*}primaryObjective").get("satisfiedByMeasure") is None
    assert reading.find(".//{*}deliveryControls").get("objectiveSetByContent") == "false"


@pytest.mark.parametrize("standard", ["1.2", "2004"])
def test_every_reference_resolves_and_ids_are_xml_ids(standard):
    """What the schemas cannot check: identifierrefs point at resources, the default
    organisation exists, identifiers are unique NCNames, hrefs are ASCII without spaces."""
    document = etree.fromstring(manifest(STRUCTURE, standard=standard))
    resources = {r.get("identifier") for r in document.iter("{*}resource")}
    for node in document.iter("{*}item", "{*}dependency"):
        if node.get("identifierref"):
            assert node.get("identifierref") in resources
    organizations = document.find("{*}organizations")
    assert organizations.get("default") in {
        o.get("identifier") for o in organizations.iter("{*}organization")
    }
    identifiers = [node.get("identifier") for node in document.iter() if node.get("identifier")]
    assert len(identifiers) == len(set(identifiers))
    assert all(NCNAME.match(identifier) for identifier in identifiers)
    for node in document.iter("{*}file", "{*}resource"):
        if node.get("href"):
            assert re.fullmatch(r"[A-Za-z0-9_./-]+", node.get("href"))


def test_titles_are_escaped_not_markup():
    text = manifest(STRUCTURE, standard="1.2").decode()
    assert "L’IL-2 &amp; &lt;co&gt;" in text


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("ONCOFORMA", "cytokines-immunothérapie"), "ONCOFORMA-cytokines-immunotherapie"),
        (("L", 12), "L-12"),
        (("12 leçons",), "_12-lecons"),
        (("",), "x"),
    ],
)
def test_identifiers_are_ascii_xml_ids(parts, expected):
    assert ids.xml_id(*parts) == expected
    assert NCNAME.match(ids.xml_id(*parts))


def test_interaction_ids_fit_both_standards():
    identifier = ids.interaction_id("A1B2-c3d4 e5f6" + "0" * 80)
    assert identifier.startswith("q-")
    assert len(identifier) <= 255
    assert " " not in identifier


def test_the_zip_name_is_ascii_without_spaces():
    assert ids.file_name("cytokines-immunothérapie", "2004") == (
        "oncoforma-cytokines-immunotherapie-scorm2004.zip"
    )


def test_the_committed_schemas_are_the_official_files_byte_for_byte():
    import hashlib

    from .schemas import OFFICIAL, XSD

    committed = {
        f"{path.parent.name}/{path.name}": hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(XSD.glob("*/*"))
    }
    assert committed == OFFICIAL
