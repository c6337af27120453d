"""The official SCORM schemas, wrapped in a small driver schema so that lxml can validate a
manifest against all of them at once. The shipped files are used where they are, untouched.

Two workarounds, both in the driver only:
- SCORM 1.2's ``ims_xml.xsd`` declares the XML namespace as its default namespace, which
  libxml2 refuses; the driver imports the XML namespace first from the W3C ``xml.xsd`` that
  the SCORM 2004 set ships (the first import of a namespace wins).
- SCORM 1.2's IMS metadata schema (``imsmd_rootv1p2p1.xsd``) has content models libxml2 finds
  non-deterministic; our manifests carry no IMS metadata element, so the driver leaves it out
  (the file is still in every 1.2 package, byte for byte).
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

from lxml import etree

from courses.scorm.manifest import SCHEMAS12, SCHEMAS2004

XSD = Path(__file__).resolve().parents[2] / "courses" / "scorm" / "xsd"
# SHA-256 of the official files as ADL published them (../shared/scorm-xsd/ when they were
# committed): the copies in courses/scorm/xsd/ and in every package must match, byte for byte.
OFFICIAL = {
    "1.2/adlcp_rootv1p2.xsd": "166397a1f52585caac857228cf2b10085a5d07c0612a3d55cb3ed108ce8b028a",
    "1.2/ims_xml.xsd": "9fdd37742066d2c1324427eebb716f14aabe73d0168dd7632fc494bd7e1b388c",
    "1.2/imscp_rootv1p1p2.xsd": "e45606348d7f517874d70ec102796526a63a85e54a4a1db5e6a5944449674d31",
    "1.2/imsmd_rootv1p2p1.xsd": "83879be70d6bdff1d8788d4efcb12d51380de1b242f1a2a16e271a040dce8a5d",
    "2004/XMLSchema.dtd": "a5e98f4f28d11c58f132ee771350f41930a10a5d22acc280e0ce8501e5603bbe",
    "2004/adlcp_v1p3.xsd": "87cefec31b160a1ecc9ffd1475bee6cb0e2d71b2bcd76ba1a08df0ac90cf8f7d",
    "2004/adlnav_v1p3.xsd": "1fc2678e9acaee07ba8b0da93caa5f52da5167f2999c4adbd0a4ad74c15c8bfb",
    "2004/adlseq_v1p3.xsd": "162b5ca35a3fc43107efe0f78f5216c76f6cad8e13921c8332b7b82db7c4ae08",
    "2004/datatypes.dtd": "d46c4f4c9384a0dc2f922c71af0405ebe1d64fae77cfd860b64f9600ca395427",
    "2004/imscp_v1p1.xsd": "a5333c5b9a392d4f21d20b188eb77dec2f04021642a6232f3c07ef8032fe233e",
    "2004/imsss_v1p0.xsd": "53565d8b23842d5b667beffa4ed100e3e06cdd778b60b85efc38e7a9a1f52a90",
    "2004/imsss_v1p0auxresource.xsd": "c0dd16d707f37c4d26484d7c233eea6d9ccbb8bad643040359f4b4f2944c057a",  # noqa: E501
    "2004/imsss_v1p0control.xsd": "c8564177ca7b1c241d6ca893652f6946eb91fee450dce8607ba2189ba88e7969",  # noqa: E501
    "2004/imsss_v1p0delivery.xsd": "58d4f343e3302e2986a641b066a3f0b30bd895b62d358a184cb5c3455427392c",  # noqa: E501
    "2004/imsss_v1p0limit.xsd": "debda0a7fe2a1ce6e063383c4efc9fbd5f2341355c85d66062742657be2418a9",
    "2004/imsss_v1p0objective.xsd": "776e091df47e934432c78703e552482e83165f75c9bf89c6320ee035ecd7ae69",  # noqa: E501
    "2004/imsss_v1p0random.xsd": "3442393c455d8a984853c1c7cdf1bf6ccf4d0c58452c0e39b6c0aab65339f597",
    "2004/imsss_v1p0rollup.xsd": "85100e4c7ba8eff77102d73d2ce265ddd803d13191a1d2b81bf3bf8bb1eac554",
    "2004/imsss_v1p0seqrule.xsd": "b8fbd362e2408d318ae97cc70a7d3a8a536db29150b7ef7b355f394d06027023",  # noqa: E501
    "2004/imsss_v1p0util.xsd": "b7234f3f62ede3f8dc6cd35053805ad021b4642b54f34b7960945981be95a438",
    "2004/xml.xsd": "95907dad3dea7debdd26bddeab77e3946b95370329994beefa74253be105c3e2",
}
XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"
IMSMD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"


@functools.cache
def schema(standard: str) -> etree.XMLSchema:
    folder = XSD / standard
    namespaces = dict(SCHEMAS12 if standard == "1.2" else SCHEMAS2004)
    namespaces.pop(IMSMD, None)
    imports = [(XML_NAMESPACE, XSD / "2004" / "xml.xsd")] + [
        (uri, folder / name) for uri, name in namespaces.items()
    ]
    driver = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'targetNamespace="urn:x-oncoforma:driver">'
        + "".join(
            f'<xs:import namespace="{uri}" schemaLocation="{path.as_uri()}"/>'
            for uri, path in imports
        )
        + "</xs:schema>"
    )
    path = Path(tempfile.mkdtemp(prefix="scorm-driver-")) / "driver.xsd"
    path.write_text(driver, encoding="utf-8")
    return etree.XMLSchema(etree.parse(str(path)))


def validate(manifest: bytes, *, standard: str) -> list[str]:
    """The schema errors of a manifest ([] when valid)."""
    checker = schema(standard)
    if checker.validate(etree.fromstring(manifest)):
        return []
    return [f"line {error.line}: {error.message}" for error in checker.error_log]
