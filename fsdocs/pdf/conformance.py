"""What a joined PDF declares: PDF/UA-1 (tagged, language, title shown), and PDF/A-2b when
asked — the catalog's entries and the XMP metadata, written from the document's metadata so
that they say what its information dictionary says (PDF/A requires both to agree).

A file is declared PDF/UA only when every page is tagged: a dossier holding an untagged
national PDF keeps the tags of fsdocs' pages but claims nothing. None of this is validated
here (no veraPDF): the tests read back what is declared and the structure that backs it.
"""

from __future__ import annotations

import re
from enum import Enum
from importlib import resources
from typing import Any
from xml.sax.saxutils import escape

from fsdocs.pdf.tagging import LANGUAGE


class Archival(Enum):
    """Whether the PDFs are also PDF/A-2b (``--pdfa``)."""

    NONE = ""
    PDF_A_2B = "pdf/a-2b"


def declare(
    pdf: Any, tagged: bool, archival: Archival = Archival.NONE, conforming: bool = True
) -> None:
    """Set the pikepdf document ``pdf``'s catalog and XMP (from its information dictionary,
    which must be written first) for what the file is: tagged (``tagged``: every page has its
    structure), and then PDF/UA-1 unless ``conforming`` is false (something else is left
    untagged); PDF/A-2b if ``archival`` says so. The file is to be saved as PDF 1.7."""
    import pikepdf

    root = pdf.Root
    root.Lang = pikepdf.String(LANGUAGE)
    root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    if tagged:
        root.MarkInfo = pikepdf.Dictionary(Marked=True)
    elif "/MarkInfo" in root:
        del root["/MarkInfo"]
    if archival is Archival.PDF_A_2B:
        _archival(pdf)
    # Left uncompressed (qpdf does not compress the catalog's metadata), as PDF/A readers
    # and file indexers expect to find it.
    metadata = pdf.make_stream(xmp(_info(pdf), tagged and conforming, archival))
    metadata.Type = pikepdf.Name.Metadata
    metadata.Subtype = pikepdf.Name.XML
    root.Metadata = metadata


def _archival(pdf: Any) -> None:
    """PDF/A-2b's own requirements on our files: an sRGB output intent (our colours are
    DeviceRGB), every annotation printed, every widget with an appearance."""
    import pikepdf

    profile = pdf.make_stream((resources.files("weasyprint.pdf") / "sRGB2014.icc").read_bytes())
    profile.N = 3
    intent = pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent,
        S=pikepdf.Name.GTS_PDFA1,
        OutputConditionIdentifier=pikepdf.String("sRGB IEC61966-2.1"),
        Info=pikepdf.String("sRGB IEC61966-2.1"),
        DestOutputProfile=profile,
    )
    pdf.Root.OutputIntents = pikepdf.Array([intent])
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots") or []:
            annotation.F = 4
            if annotation.get("/Subtype") == "/Widget" and "/AP" not in annotation:
                rect = [float(v) for v in annotation.Rect]
                size = (round(abs(rect[2] - rect[0]), 2), round(abs(rect[3] - rect[1]), 2))
                empty = pdf.make_stream(b"")
                empty.Type = pikepdf.Name.XObject
                empty.Subtype = pikepdf.Name.Form
                empty.BBox = pikepdf.Array([0, 0, *size])
                annotation.AP = pikepdf.Dictionary(N=empty)


# PDF/A admits only the schemas it predefines, or those described in the packet: pdfuaid is
# not one of them (ISO 19005-2, 6.6.2.3; the description the PDF/UA-1 standard gives).
_PDFUA_EXTENSION = """<rdf:Description rdf:about=""
 xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
 xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed\
</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>"""


def _info(pdf: Any) -> dict[str, str]:
    return {str(key): str(value) for key, value in pdf.docinfo.items()}


def xmp(info: dict[str, str], tagged: bool, archival: Archival = Archival.NONE) -> bytes:
    """The XMP packet saying what the information dictionary ``info`` says (title, author,
    subject, keywords, tools, dates), with the PDF/UA and PDF/A identifications."""
    ids = []
    if tagged:
        ids.append('<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/'
                   'id/"><pdfuaid:part>1</pdfuaid:part></rdf:Description>')  # fmt: skip
    if archival is Archival.PDF_A_2B:
        ids.append(
            '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">'
            "<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>"
            "</rdf:Description>"
        )
        if tagged:
            ids.append(_PDFUA_EXTENSION)
    dates = "".join(
        f"<xmp:{name}>{_xmp_date(info[key])}</xmp:{name}>"
        for name, key in (("CreateDate", "/CreationDate"), ("ModifyDate", "/ModDate"))
        if info.get(key)
    )
    if info.get("/ModDate"):
        dates += f"<xmp:MetadataDate>{_xmp_date(info['/ModDate'])}</xmp:MetadataDate>"
    dublin_core = [
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(info["/Title"])}</rdf:li>'
        "</rdf:Alt></dc:title>"
        if info.get("/Title")
        else "",
        f"<dc:creator><rdf:Seq><rdf:li>{escape(info['/Author'])}</rdf:li></rdf:Seq></dc:creator>"
        if info.get("/Author")
        else "",
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(info["/Subject"])}'
        "</rdf:li></rdf:Alt></dc:description>"
        if info.get("/Subject")
        else "",
    ]
    tools = [
        f"<pdf:Producer>{escape(info['/Producer'])}</pdf:Producer>" if "/Producer" in info else "",
        f"<pdf:Keywords>{escape(info['/Keywords'])}</pdf:Keywords>" if "/Keywords" in info else "",
    ]
    creator = info.get("/Creator")
    body = f"""<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:format>application/pdf</dc:format>{"".join(dublin_core)}
<dc:language><rdf:Bag><rdf:li>{LANGUAGE}</rdf:li></rdf:Bag></dc:language>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">{"".join(tools)}
</rdf:Description>
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">\
{f"<xmp:CreatorTool>{escape(creator)}</xmp:CreatorTool>" if creator else ""}{dates}
</rdf:Description>
{"".join(ids)}"""
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        f"{body}\n</rdf:RDF>\n</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
    return packet.encode()


def _xmp_date(value: str) -> str:
    """A PDF date (``D:20200206120000+00'00``) as XMP has it (``2020-02-06T12:00:00+00:00``)."""
    match = re.fullmatch(
        r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:([+-])(\d\d)'(\d\d)'?|Z)?", value
    )
    if match is None:
        raise ValueError(f"date PDF illisible : {value}")
    y, mo, d, h, mi, s, sign, zh, zm = match.groups()
    zone = f"{sign}{zh}:{zm}" if sign else "Z"
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}{zone}"
