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
    writer: Any, tagged: bool, archival: Archival = Archival.NONE, conforming: bool = True
) -> None:
    """Set ``writer``'s catalog and XMP (from its information dictionary, which must be
    written first) for what the file is: tagged (``tagged``: every page has its structure),
    and then PDF/UA-1 unless ``conforming`` is false (something else is left untagged);
    PDF/A-2b if ``archival`` says so."""
    from pypdf.generic import BooleanObject, DictionaryObject, NameObject, TextStringObject

    root = writer._root_object
    root[NameObject("/Lang")] = TextStringObject(LANGUAGE)
    root[NameObject("/ViewerPreferences")] = DictionaryObject(
        {NameObject("/DisplayDocTitle"): BooleanObject(True)}
    )
    if tagged:
        root[NameObject("/MarkInfo")] = DictionaryObject(
            {NameObject("/Marked"): BooleanObject(True)}
        )
    elif "/MarkInfo" in root:
        del root[NameObject("/MarkInfo")]
    if archival is Archival.PDF_A_2B:
        _archival(writer)
    writer.pdf_header = "%PDF-1.7"
    root[NameObject("/Metadata")] = writer._add_object(
        _metadata_stream(xmp(_info(writer), tagged and conforming, archival))
    )


def _archival(writer: Any) -> None:
    """PDF/A-2b's own requirements on our files: an sRGB output intent (our colours are
    DeviceRGB), every annotation printed, every widget with an appearance."""
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    profile = DecodedStreamObject()
    profile.set_data((resources.files("weasyprint.pdf") / "sRGB2014.icc").read_bytes())
    profile[NameObject("/N")] = NumberObject(3)
    intent = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/OutputIntent"),
            NameObject("/S"): NameObject("/GTS_PDFA1"),
            NameObject("/OutputConditionIdentifier"): TextStringObject("sRGB IEC61966-2.1"),
            NameObject("/Info"): TextStringObject("sRGB IEC61966-2.1"),
            NameObject("/DestOutputProfile"): writer._add_object(profile.flate_encode()),
        }
    )
    writer._root_object[NameObject("/OutputIntents")] = ArrayObject([intent])
    for page in writer.pages:
        for reference in page.get("/Annots") or []:
            annotation = reference.get_object()
            annotation[NameObject("/F")] = NumberObject(4)
            if annotation.get("/Subtype") == "/Widget" and "/AP" not in annotation:
                empty = DecodedStreamObject()
                rect = [float(v) for v in annotation["/Rect"]]
                size = (round(abs(rect[2] - rect[0]), 2), round(abs(rect[3] - rect[1]), 2))
                empty[NameObject("/Type")] = NameObject("/XObject")
                empty[NameObject("/Subtype")] = NameObject("/Form")
                empty[NameObject("/BBox")] = ArrayObject(FloatObject(v) for v in (0, 0, *size))
                annotation[NameObject("/AP")] = DictionaryObject(
                    {NameObject("/N"): writer._add_object(empty)}
                )


def _metadata_stream(packet: bytes) -> Any:
    from pypdf.generic import DecodedStreamObject, NameObject

    # Left uncompressed, as PDF/A readers and file indexers expect to find it.
    stream = DecodedStreamObject()
    stream.set_data(packet)
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    return stream


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


def _info(writer: Any) -> dict[str, str]:
    info = writer._info.get_object() if writer._info is not None else {}
    return {str(key): str(value) for key, value in info.items()}


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
