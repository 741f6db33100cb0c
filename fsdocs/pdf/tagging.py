"""Tagged PDF from WeasyPrint (70): what its PDF/UA-1 output lacks, completed as it is written.

WeasyPrint's ``pdf_variant="pdf/ua-1"`` writes the structure tree (one element per box and
page: H1…H4, P, L/LI, Table/TR/TH/TD with /Headers, Figure with /Alt), /MarkInfo, /Lang,
/ViewerPreferences /DisplayDocTitle and the XMP ``pdfuaid:part``. The content of @page
margin boxes (our running header), however, it marks as *tagged* content (an MCID) that it
then leaves out of the tree, "as Artifact is only allowed in PDF 2.0" (weasyprint/pdf/
tags.py): content neither tagged nor an artifact, which PDF/UA forbids. ``finisher`` turns it
into a pagination artifact (/Artifact BDC, PDF 1.7, 14.8.2.2) before the file is written,
so every layout the cache keeps is already right.
"""

from __future__ import annotations

from typing import Any

# What the layouts are: part of every layout's cache key, so that a change of variant or of
# this module's treatment never serves an old layout.
VARIANT = "pdf/ua-1"
TAGGING = f"{VARIANT}+artefacts-2"
LANGUAGE = "fr-FR"


def finisher(document: Any, pdf: Any) -> None:
    """WeasyPrint's ``finisher``: margin-box content as artifacts, out of the parent tree;
    the language of France's French (our pages say ``lang="fr"``)."""
    import pydyf  # type: ignore[import-untyped]

    if str(pdf.catalog.get("Lang", "")).strip("()") in ("fr", ""):
        pdf.catalog["Lang"] = pydyf.String(LANGUAGE)
    root = _object(pdf, pdf.catalog.get("StructTreeRoot"))
    if root is None:
        return
    reachable = _reachable(pdf, root)
    parent_tree = _object(pdf, root["ParentTree"])
    nums = parent_tree["Nums"]
    for position in range(0, len(nums), 2):
        kids = nums[position + 1]
        if not isinstance(kids, pydyf.Array):
            continue  # an annotation's entry: a single element
        orphans = {mcid for mcid, element in enumerate(kids) if _number(element) not in reachable}
        if not orphans:
            continue
        for mcid in orphans:
            kids[mcid] = "null"
        page = _object(pdf, pdf.page_references[nums[position]])
        _as_artifacts(_object(pdf, page["Contents"]), orphans)


def _as_artifacts(stream: Any, mcids: set[int]) -> None:
    """Each marked-content sequence of ``stream`` numbered in ``mcids`` made an artifact."""
    import pydyf

    content = stream.stream
    for index, item in enumerate(content):
        if (
            isinstance(item, pydyf.Dictionary)
            and item.get("MCID") in mcids
            and index + 1 < len(content)
            and content[index + 1] == b"BDC"
        ):
            content[index - 1] = "/Artifact"
            content[index] = pydyf.Dictionary({"Type": "/Pagination"})


def _reachable(pdf: Any, root: Any) -> set[int]:
    """Object numbers of the structure elements reachable from the tree's root."""
    seen: set[int] = set()
    pending = list(root["K"])
    while pending:
        number = _number(pending.pop())
        if number is None or number in seen:
            continue
        seen.add(number)
        element = pdf.objects[number]
        kids = element.get("K") if isinstance(element, dict) else None
        if kids is not None:
            pending.extend(kid for kid in kids if _number(kid) is not None)
    return seen


def _number(reference: Any) -> int | None:
    """The object number of a pydyf reference (``b"12 0 R"``), else None."""
    if isinstance(reference, bytes | str):
        text = reference.decode() if isinstance(reference, bytes) else reference
        parts = text.split()
        if len(parts) == 3 and parts[2] == "R" and parts[0].isdigit():
            return int(parts[0])
    return None


def _object(pdf: Any, reference: Any) -> Any:
    number = _number(reference)
    return None if number is None else pdf.objects[number]
