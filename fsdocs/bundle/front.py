"""The dossier's front matter — cover, index, table of changes and redline pages — laid out
last, with the page numbers that the length of everything after it gives.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from fsdocs.bundle.plan import Entry, Plan
from fsdocs.bundle.revision import Revision
from fsdocs.changes import modifications
from fsdocs.errors import FsdocsError
from fsdocs.pdf.weasy import RenderedPdf
from fsdocs.production.build import NO_FOOTER, Renderer
from fsdocs.production.cache import key
from fsdocs.wording.context import ConventionContext
from fsdocs.wording.dossier import COVER, cover_values
from fsdocs.wording.jinja import dossier_stylesheet, render_dossier, render_template, render_wording
from fsdocs.wording.labels import labels


def dossier_job(renderer: Renderer, body: str, meta: dict[str, str]) -> Any:
    css = dossier_stylesheet(renderer.env) + NO_FOOTER
    html = render_dossier(renderer.env, body, meta, css="")
    return renderer.job_for_html(key("dossier", renderer.assets, css, html), html, css, 8)


def front_matter(
    renderer: Renderer,
    ctx: ConventionContext,
    rev: Revision | None,
    plan: Plan,
    meta: dict[str, str],
    draft: bool,
) -> tuple[RenderedPdf, list[str], list[Entry]]:
    """Cover, index and changes, laid out with the page numbers of what follows them: the
    front's own length decides those numbers, so it is laid out again if a guess was wrong."""
    env = renderer.env
    changes, change_entries = _changes(env, rev)
    values = {**cover_values(ctx, draft), **_revision_values(rev), "pieces": plan.pieces}
    cover = render_wording(env, COVER, values)
    length = 2 + (2 if changes else 0)
    keys: list[str] = []
    for _ in range(4):
        _number(plan, length)
        index = render_wording(
            env, "bundle/sommaire.html.j2", {"entrees": change_entries + plan.entries}
        )
        job = dossier_job(renderer, cover + index + "".join(changes), meta)
        front: RenderedPdf = renderer.run_jobs([job], 1, False)[job.key]
        keys = [job.key]
        if len(front.sizes) == length:
            return front, keys, change_entries
        length = len(front.sizes)
    raise FsdocsError("le sommaire du dossier ne trouve pas sa longueur")  # pragma: no cover


def _number(plan: Plan, front: int) -> None:
    """Give each entry its page, the front matter being ``front`` pages long."""
    page = front + 1
    anchors: dict[str, int] = {}
    for section in plan.sections:
        section.start = page
        anchors.update(section.anchors())
        page += section.length
    for entry in plan.entries:
        if entry.cible not in anchors:
            raise FsdocsError(f"sommaire : cible « {entry.cible} » introuvable dans le dossier")
        entry.page = anchors[entry.cible]


def _revision_values(rev: Revision | None) -> dict[str, Any]:
    """What the cover says of versions: the one presented and the one compared with."""
    if rev is None:
        return {"etat": "", "reference": "", "comparaison": False}
    presente = modifications.label(rev.presente)
    if rev.presente.numero is None:
        presente += f", modifié depuis la version {rev.derniere}"
    comparison = rev.comparison
    if comparison is None:
        reference = "Première version enregistrée : aucune version antérieure à comparer"
    elif comparison.vide:
        reference = f"Comparée à la {modifications.label(comparison.avant)} : aucune modification"
    else:
        before = modifications.label(comparison.avant)
        reference = f"Comparée à la {before} : voir le tableau des modifications"
    return {"etat": presente, "reference": reference, "comparaison": comparison is not None}


def _changes(env: Any, rev: Revision | None) -> tuple[list[str], list[Entry]]:
    """The table of changes and the redline pages, with their index entries."""
    if rev is None or rev.comparison is None or rev.comparison.vide:
        return [], []
    comparison = rev.comparison
    wording = labels().dossier
    entries = [Entry(wording.tableau, modifications.TABLE_ANCHOR, 1)]
    sections = []
    for part, section in modifications.sections(comparison):
        title = wording.modifications_de + modifications.short_title(part)
        sections.append({"titre": title, "html": Markup(section)})
        entries.append(Entry(title, modifications.anchor(part), 2))
    values = {
        "titre": wording.tableau,
        "entete": f"Modifications {modifications.span(comparison)}",
        "tableau": Markup(modifications.table(env, comparison)),
        "sections": sections,
    }
    return [render_template(env, "bundle/pages-modifications.html.j2", values)], entries
