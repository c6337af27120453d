"""imsmanifest.xml for SCORM 1.2 and SCORM 2004 4th Edition: pure, a structure in, bytes out.

One organisation: the course; one item per module, holding one item per lesson; one SCO
resource per lesson, each depending on a shared asset resource (the runtime's JS and CSS).

- SCORM 1.2 (IMS CP 1.1.2 + ADL CP 1.2): a lesson with a quiz carries ``adlcp:masteryscore``,
  the score at which its quiz passes (``scoring.mastery_percent``: the correct answers the
  pass mark requires of the lesson's questions), which the LMS compares with
  ``cmi.core.score.raw``.
- SCORM 2004 4th Edition (IMS CP 1.1.4 + ADL CP 1.3 + IMS SS 1.0): a lesson with a quiz has a
  primary objective ``satisfiedByMeasure`` with ``minNormalizedMeasure`` = that score / 100
  (compared with ``cmi.score.scaled``); every SCO reports its own completion and success
  (``deliveryControls completionSetByContent="true" objectiveSetByContent="true"``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from lxml import etree as ET

from . import identifiers as ids

XSI = "http://www.w3.org/2001/XMLSchema-instance"

SCORM12 = {
    "": "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
    "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
}
SCHEMAS12 = {
    "http://www.imsproject.org/xsd/imscp_rootv1p1p2": "imscp_rootv1p1p2.xsd",
    "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1": "imsmd_rootv1p2p1.xsd",
    "http://www.adlnet.org/xsd/adlcp_rootv1p2": "adlcp_rootv1p2.xsd",
}
SCORM2004 = {
    "": "http://www.imsglobal.org/xsd/imscp_v1p1",
    "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
    "adlseq": "http://www.adlnet.org/xsd/adlseq_v1p3",
    "adlnav": "http://www.adlnet.org/xsd/adlnav_v1p3",
    "imsss": "http://www.imsglobal.org/xsd/imsss",
}
SCHEMAS2004 = {
    "http://www.imsglobal.org/xsd/imscp_v1p1": "imscp_v1p1.xsd",
    "http://www.adlnet.org/xsd/adlcp_v1p3": "adlcp_v1p3.xsd",
    "http://www.adlnet.org/xsd/adlseq_v1p3": "adlseq_v1p3.xsd",
    "http://www.adlnet.org/xsd/adlnav_v1p3": "adlnav_v1p3.xsd",
    "http://www.imsglobal.org/xsd/imsss": "imsss_v1p0.xsd",
}
STANDARDS = ("1.2", "2004")


@dataclass(frozen=True)
class Sco:
    lesson_pk: int
    title: str
    # The passing score (percent, a decimal string: "80", "66.66") when the lesson has a
    # quiz; None without.
    mastery: str | None


@dataclass(frozen=True)
class ModuleEntry:
    module_pk: int
    title: str
    scos: tuple[Sco, ...]


@dataclass(frozen=True)
class Structure:
    course_slug: str
    title: str
    modules: tuple[ModuleEntry, ...]
    shared_files: tuple[str, ...]  # the runtime's files, one asset resource
    # The package's version (the manifest's version attribute): higher for a package rebuilt
    # after the course changed, under the same identifier, so that an LMS replaces it in place.
    version: str = "1"

    @property
    def scos(self) -> list[Sco]:
        return [sco for module in self.modules for sco in module.scos]


class _Builder:
    def __init__(self, namespaces: dict[str, str]) -> None:
        self.ns = namespaces
        # lxml's nsmap: None for the default namespace; declared once, on the root.
        self.nsmap = {(prefix or None): uri for prefix, uri in namespaces.items()} | {"xsi": XSI}

    def q(self, name: str) -> str:
        prefix, _, local = name.rpartition(":")
        return f"{{{self.ns[prefix]}}}{local}"

    def el(
        self, parent: ET._Element | None, name: str, text: str | None = None, **attrs: str
    ) -> ET._Element:
        attributes = {self.q(k.replace("__", ":")) if "__" in k else k: v for k, v in attrs.items()}
        if parent is None:
            node = ET.Element(self.q(name), attributes, nsmap=self.nsmap)
        else:
            node = ET.SubElement(parent, self.q(name), attributes)
        if text is not None:
            node.text = text
        return node


def _serialise(root: ET._Element) -> bytes:
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="UTF-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n"


def _schema_location(schemas: dict[str, str]) -> str:
    return " ".join(f"{uri} {path}" for uri, path in schemas.items())


def _resources(b: _Builder, parent: ET._Element, structure: Structure, *, type_attr: str) -> None:
    resources = b.el(parent, "resources")
    for sco in structure.scos:
        resource = b.el(
            resources,
            "resource",
            identifier=ids.resource_id(sco.lesson_pk),
            type="webcontent",
            href=ids.sco_href(sco.lesson_pk),
            **{f"adlcp__{type_attr}": "sco"},
        )
        b.el(resource, "file", href=ids.sco_href(sco.lesson_pk))
        b.el(resource, "dependency", identifierref=ids.SHARED_RESOURCE_ID)
    shared = b.el(
        resources,
        "resource",
        identifier=ids.SHARED_RESOURCE_ID,
        type="webcontent",
        **{f"adlcp__{type_attr}": "asset"},
    )
    for path in structure.shared_files:
        b.el(shared, "file", href=path)


def _organization(
    b: _Builder,
    structure: Structure,
    *,
    schemas: dict[str, str],
    version: str,
    sco_extras: Callable[[_Builder, ET._Element, Sco], None],
) -> tuple[ET._Element, ET._Element]:
    """The manifest's root and its one organisation: the course, a module's item holding its
    lessons' items; ``sco_extras`` adds what each standard says about a lesson's item."""
    root = b.el(
        None,
        "manifest",
        identifier=ids.manifest_id(structure.course_slug),
        version=structure.version,
    )
    root.set(f"{{{XSI}}}schemaLocation", _schema_location(schemas))
    metadata = b.el(root, "metadata")
    b.el(metadata, "schema", "ADL SCORM")
    b.el(metadata, "schemaversion", version)
    organization_id = ids.organization_id(structure.course_slug)
    organizations = b.el(root, "organizations", default=organization_id)
    organization = b.el(organizations, "organization", identifier=organization_id)
    b.el(organization, "title", structure.title)
    for module in structure.modules:
        module_item = b.el(organization, "item", identifier=ids.module_item_id(module.module_pk))
        b.el(module_item, "title", module.title)
        for sco in module.scos:
            item = b.el(
                module_item,
                "item",
                identifier=ids.item_id(sco.lesson_pk),
                identifierref=ids.resource_id(sco.lesson_pk),
            )
            b.el(item, "title", sco.title)
            sco_extras(b, item, sco)
    return root, organization


def _mastery_12(b: _Builder, item: ET._Element, sco: Sco) -> None:
    if sco.mastery is not None:
        b.el(item, "adlcp:masteryscore", str(sco.mastery))


def manifest_12(structure: Structure) -> bytes:
    b = _Builder(SCORM12)
    root, _organization_node = _organization(
        b, structure, schemas=SCHEMAS12, version="1.2", sco_extras=_mastery_12
    )
    _resources(b, root, structure, type_attr="scormtype")
    return _serialise(root)


def _measure(mastery: str) -> str:
    # xs:decimal in [-1, 1]: "80" -> "0.8", "100" -> "1", "66.66" -> "0.6666".
    return f"{Decimal(mastery) / 100:.4f}".rstrip("0").rstrip(".")


def _sequencing_2004(b: _Builder, item: ET._Element, sco: Sco) -> None:
    sequencing = b.el(item, "imsss:sequencing")
    objectives = b.el(sequencing, "imsss:objectives")
    primary = b.el(
        objectives, "imsss:primaryObjective", objectiveID=ids.objective_id(sco.lesson_pk)
    )
    if sco.mastery is not None:
        primary.set("satisfiedByMeasure", "true")
        b.el(primary, "imsss:minNormalizedMeasure", _measure(sco.mastery))
    # A SCO with a quiz reports its success; one without only its completion, and the LMS
    # then satisfies its objective when the attempt ends (objectiveSetByContent false, SCORM
    # 2004 4th Ed. SN book, delivery controls).
    b.el(
        sequencing,
        "imsss:deliveryControls",
        completionSetByContent="true",
        objectiveSetByContent="true" if sco.mastery is not None else "false",
    )


def manifest_2004(structure: Structure) -> bytes:
    b = _Builder(SCORM2004)
    root, organization = _organization(
        b, structure, schemas=SCHEMAS2004, version="2004 4th Edition", sco_extras=_sequencing_2004
    )
    # The learner moves freely between lessons, and in order with "next".
    course_sequencing = b.el(organization, "imsss:sequencing")
    b.el(course_sequencing, "imsss:controlMode", choice="true", flow="true")
    _resources(b, root, structure, type_attr="scormType")
    return _serialise(root)


def manifest(structure: Structure, *, standard: str) -> bytes:
    if standard == "1.2":
        return manifest_12(structure)
    if standard == "2004":
        return manifest_2004(structure)
    raise ValueError(f"unknown SCORM standard {standard!r}; expected one of {STANDARDS}")
