"""Every part of a project: the convention, then the parts of each annex it lists, made by
the builder registered for the annex's kind — an explicit table, read here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable

from fsdocs.project.project import Project
from fsdocs.wording import (
    annexe_mandat,
    annexe_referents,
    annexe_tableau,
    annexes,
    annexes_partenaires,
)
from fsdocs.wording.context import Annex, ConventionContext
from fsdocs.wording.jinja import context_values
from fsdocs.wording.parts import CONVENTION, Part

AnnexBuilder = Callable[[Project, ConventionContext, Annex], list[Part]]

# Annex kind (``annexes[].id`` in convention.yaml) → the function giving its parts. Annexes 1
# to 3 are national documents supplied as PDF files: they have no part of their own here.
ANNEX_BUILDERS: dict[str, AnnexBuilder] = {
    "modalites": annexes.modalites,
    "offre": annexes_partenaires.annexe_offre,
    "referents": annexe_referents.annexe_referents,
    "mandat": annexe_mandat.mandat,
    "partenaires": annexe_tableau.annexe_partenaires,
}


def all_parts(project: Project, ctx: ConventionContext) -> list[Part]:
    parts = [
        Part(
            CONVENTION,
            "wording/convention.html.j2",
            f"{ctx.titre} {ctx.departement_de}",
            ctx.entete,
            context_values(ctx),
        )
    ]
    for annex in ctx.annexes:
        builder = ANNEX_BUILDERS.get(annex.id)
        if builder is not None:
            parts += builder(project, ctx, annex)
    return parts
