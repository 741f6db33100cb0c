"""What the signature dossier prints beyond the parts: its cover's facts and the divider in
front of each annex. Computed here, with the wording, so that ``fsdocs controler`` knows the
placeholders they print as well as the parts' (see :mod:`fsdocs.wording.completeness`).
"""

from __future__ import annotations

from typing import Any

from fsdocs.project.paths import CONVENTION
from fsdocs.project.project import Project
from fsdocs.wording.context import Annex, ConventionContext
from fsdocs.wording.gaps import to_fill

COVER = "bundle/couverture.html.j2"
DIVIDER = "bundle/intercalaire.html.j2"
# A national annex on the cover's table, when the dossier does not carry its PDF.
BY_REFERENCE = "jointe par référence"
NOT_SUPPLIED = "non fournie"  # « l’annexe … non fournie »


def cover_values(ctx: ConventionContext, draft: bool = False) -> dict[str, Any]:
    """The cover's facts (its table of pieces and versions is the bundle's own); a ``draft``
    says on its cover that it is not to be signed."""
    return {
        "projet": draft,
        "titre": ctx.titre,
        "departement_de": ctx.departement_de,
        "labellisation": ctx.labellisation,
        "lieu": ctx.lieu,
        "date_signature": ctx.date_signature,
    }


def divider_values(
    project: Project,
    annex: Annex,
    target: str,
    own: bool,
    external_pages: int,
    draft: bool = False,
) -> dict[str, Any]:
    """The divider in front of ``annex``: a part of fsdocs (``own``), a national PDF of
    ``external_pages`` pages, a national document joined by reference, or one still missing.

    A national document the dossier does not reproduce gets a neutral page: its title and
    where it is published (« reference: »), nothing addressed to whoever prepares the
    dossier. One with neither PDF nor reference prints the placeholder of its entry in
    convention.yaml, which the completeness gate counts — no dossier to sign carries it —,
    and, in a ``draft`` only, what to write there (``fsdocs controler`` says it too)."""
    reference = project.convention.annexes[annex.numero - 1].reference
    absent = not own and not external_pages
    missing = absent and not reference
    return {
        "annexe": annex,
        "cible": target,
        "externe": external_pages,
        "reference": _sentence(reference) if absent and reference else "",
        "absente": missing,
        "consignes": missing and draft,
        "a_completer": to_fill(CONVENTION, ("annexes", annex.numero - 1)) if missing else "",
    }


def missing_piece(project: Project, annex: Annex) -> str:
    """The cover's « version » of a national annex the dossier does not carry."""
    reference = project.convention.annexes[annex.numero - 1].reference
    return BY_REFERENCE if reference else NOT_SUPPLIED


def _sentence(text: str) -> str:
    """``text`` printed as a sentence of its own: capitalised, its full stop the template's."""
    text = text.strip().rstrip(".")
    return text[:1].upper() + text[1:]
