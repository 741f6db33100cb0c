"""The changes laid out for a reader: the « Tableau des modifications » (one row per changed
document, with its count and the page of its redline, then the changed facts) and one redline
section per changed document. The bundle puts them after its index; ``fsdocs comparer`` writes
them alone as HTML and PDF, with a DOCX of tracked changes beside them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from markupsafe import escape

from fsdocs.changes.compare import Comparison, PartDiff, signature
from fsdocs.changes.redline import plural
from fsdocs.changes.tracked import redline_docx
from fsdocs.changes.views import to_html
from fsdocs.files.write import output_dir, producing, write_documents
from fsdocs.french import long_date
from fsdocs.versions.record import Snapshot
from fsdocs.wording.jinja import environment, render_dossier, render_wording, template_dirs

TABLE_ANCHOR = "modifications"


@dataclass(frozen=True)
class Row:
    """A row of the table of changes."""

    titre: str
    statut: str
    compte: str
    cible: str  # the id of its redline section


def label(state: Snapshot) -> str:
    """« version 2 du 28 novembre 2026 », « état actuel (non enregistré) »."""
    if state.numero is None:
        return "état actuel (non enregistré)"
    day = date.fromisoformat(state.date[:10]) if state.date else None
    return f"version {state.numero}" + (f" du {long_date(day)}" if day else "")


def span(comparison: Comparison) -> str:
    """« de la version 1 du 6 février 2020 à l’état actuel (non enregistré) »."""

    def article(state: Snapshot) -> str:
        return "l’" if state.numero is None else "la "

    avant, apres = comparison.avant, comparison.apres
    return f"de {article(avant)}{label(avant)} à {article(apres)}{label(apres)}"


def short_title(part: PartDiff) -> str:
    """« Convention », « Annexe 4 – Blois », « Annexe 6 – Liste des référents »."""
    if part.annexe is None:
        return "Convention"
    pieces = part.titre.split(" – ")
    if part.structure is not None:
        return f"Annexe {part.annexe} – {pieces[-1]}"
    return " – ".join(pieces[:2])


def anchor(part: PartDiff) -> str:
    return f"modification-{part.name}"


def rows(comparison: Comparison) -> list[Row]:
    return [
        Row(short_title(p), p.statut, plural(p.modifications), anchor(p))
        for p in comparison.parties
    ]


def table(env: Any, comparison: Comparison) -> str:
    """The « Tableau des modifications » as an HTML section."""
    return render_wording(
        env,
        "bundle/modifications.html.j2",
        {
            "cible": TABLE_ANCHOR,
            "periode": span(comparison),
            "lignes": rows(comparison),
            "donnees": [str(c) for c in comparison.donnees],
        },
    )


def sections(comparison: Comparison) -> list[tuple[PartDiff, str]]:
    """Each changed document's redline, as an HTML section."""
    return [
        (
            part,
            to_html(
                part.lines,
                f"Modifications – {short_title(part)}",
                f"{plural(part.modifications)} ({part.statut}, {span(comparison)})",
                anchor(part),
            ),
        )
        for part in comparison.parties
    ]


def file_stem(comparison: Comparison) -> str:
    """« modifications-v1-v2 », « modifications-v2-actuel »."""

    def short(state: Snapshot) -> str:
        return "actuel" if state.numero is None else f"v{state.numero}"

    return f"modifications-{short(comparison.avant)}-{short(comparison.apres)}"


def write_files(root: Path, comparison: Comparison) -> list[Path]:
    """``output/modifications-….html``, ``.pdf`` and ``.docx`` (nothing when nothing changed)."""
    from fsdocs.pdf.weasy import render_project_pdf
    from fsdocs.production.preview import self_contained

    if comparison.vide:
        return []
    env = environment(root)
    titre = f"Modifications {span(comparison)}"
    entete = escape(titre)
    body = table(env, comparison) + "".join(html for _, html in sections(comparison))
    page = render_dossier(env, f'<header class="entete">{entete}</header>' + body, _meta(titre))
    rendered, _ = render_project_pdf(page, root)
    # The changes are signed by the later state: the version that brought them.
    author, when = signature(comparison.apres)
    docx = redline_docx(
        [(f"{short_title(p)} ({p.statut})", p.lines) for p in comparison.parties],
        titre,
        when,
        author,
    )
    stem = file_stem(comparison)
    out = output_dir(root)
    with producing(out):
        return write_documents(
            out,
            {
                f"{stem}.html": self_contained(page, template_dirs(root)).encode(),
                f"{stem}.pdf": rendered.data,
                f"{stem}.docx": docx,
            },
        )


def _meta(titre: str) -> dict[str, str]:
    from fsdocs.pdf.metadata import Metadata

    return Metadata(
        title=titre,
        author="fsdocs",
        subject="Modifications de la convention départementale France services",
        keywords="France services, modifications",
    ).fields()
