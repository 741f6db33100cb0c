"""A document's metadata, built in one place: the <meta> of its HTML page, the information
dictionary of its PDF (the build's, the bundle's, the modifications'), the properties of its
DOCX."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from fsdocs import __version__
from fsdocs.files.clock import fixed_now
from fsdocs.project.project import Project
from fsdocs.wording.context import ConventionContext

SUBJECT = (
    "Convention tripartite entre l’État, les gestionnaires des France services "
    "et les partenaires France services"
)


@dataclass(frozen=True)
class Metadata:
    title: str
    author: str
    subject: str
    keywords: str
    created: datetime | None = None  # None: undated (the modifications)
    modified: datetime | None = None
    generator: str = f"fsdocs {__version__}"

    def fields(self) -> dict[str, str]:
        """As the templates and the DOCX writer take them (dates in ISO 8601, or empty)."""
        return {
            "title": self.title,
            "author": self.author,
            "subject": self.subject,
            "keywords": self.keywords,
            "generator": self.generator,
            "created": self.created.isoformat() if self.created else "",
            "modified": self.modified.isoformat() if self.modified else "",
        }


def creation_date(project: Project) -> datetime:
    """The date the documents carry: the signature's (not the clock's), at noon UTC."""
    day: date = project.convention.signature.date or project.convention.labellisation
    return datetime.combine(day, time(12), tzinfo=UTC)


def document_metadata(
    project: Project, ctx: ConventionContext, title: str, created: datetime
) -> Metadata:
    """A document of the convention: the prefecture's, dated by its signature (modified
    when ``SOURCE_DATE_EPOCH`` says, for reproducible builds)."""
    return Metadata(
        title=title,
        author=f"Préfecture {ctx.departement_de}",
        subject=SUBJECT,
        keywords=f"France services, convention départementale, {ctx.departement_nom}, "
        f"{project.convention.labellisation.year}",
        created=created,
        modified=fixed_now() or created,
    )


def pdf_info(meta: dict[str, str]) -> dict[str, str]:
    """A PDF's information dictionary, as WeasyPrint writes it from the page's metadata."""
    from importlib import metadata as packages

    weasyprint = packages.version("weasyprint")  # not an import of WeasyPrint: 0.5 s

    def when(value: str) -> str:
        moment = datetime.fromisoformat(value).astimezone(UTC)
        return moment.strftime("D:%Y%m%d%H%M%S+00'00")

    return {
        "/Producer": f"WeasyPrint {weasyprint}",
        "/Title": meta["title"],
        "/Author": meta["author"],
        "/Subject": meta["subject"],
        "/Keywords": meta["keywords"],
        "/Creator": meta["generator"],
        "/CreationDate": when(meta["created"]),
        "/ModDate": when(meta["modified"]),
    }
