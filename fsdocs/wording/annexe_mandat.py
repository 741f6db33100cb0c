"""Annexe 7: the model mandate signed on site by the user and the agent (art. 4.6) — what it
prints beyond its fixed wording, from ``annexes/mandat.yaml`` and fsdocs' labels."""

from __future__ import annotations

from dataclasses import dataclass

from fsdocs.project.partenaires import mandat_au
from fsdocs.project.project import Project
from fsdocs.wording.annexes import _capitalized, _common, _entete, _title
from fsdocs.wording.context import Annex, ConventionContext
from fsdocs.wording.labels import labels
from fsdocs.wording.parts import Part


@dataclass(frozen=True)
class Mandat:
    """What the model mandate prints beyond its fixed wording (art. 4.6)."""

    responsable: str  # "Le gestionnaire de la France services désignée ci-dessus"
    contact: str  # completes "Ces droits s'exercent …"
    conservation: str  # a retention period required by law, or ""
    categories: tuple[tuple[str, ...], ...]  # the tick boxes, a row at a time
    colonnes: int  # boxes a row
    aidants_connect: str  # the frame of online mandates by Aidants Connect, "" before 2021


def mandat_values(project: Project, columns: int = 4) -> Mandat:
    settings = project.mandat
    wording = labels().mandat
    return Mandat(
        responsable=_capitalized(settings.responsable_traitement or wording.responsable),
        contact=settings.contact_donnees or wording.contact,
        conservation=settings.conservation or "",
        categories=tuple(
            wording.categories[i : i + columns] for i in range(0, len(wording.categories), columns)
        ),
        colonnes=columns,
        aidants_connect=mandat_au(project.jour).aidants_connect or "",
    )


def mandat(project: Project, ctx: ConventionContext, annex: Annex) -> list[Part]:
    """Annexe 7: the blank mandate, printed and signed on site by the user and the agent."""
    return [
        Part(
            f"annexe-{annex.numero}",
            "wording/annexe-mandat.html.j2",
            _title(ctx, annex),
            _entete(ctx, annex),
            {**_common(ctx, annex), "mandat": mandat_values(project)},
            annexe=annex.numero,
        )
    ]
