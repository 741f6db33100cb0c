"""The completeness gate: every fact the signature dossier would print as « [à compléter] »,
located in its file, with its kind and the number of times it prints.

The gate does not guess what the documents print: it renders their wording — the project's
own templates, the convention, each annex, the dossier's cover and dividers — while
:func:`fsdocs.wording.gaps.marking` numbers each placeholder, and reads back which facts came
out, and how often. What the documents can print, ``fsdocs controler`` names; ``fsdocs
dossier`` refuses while anything is printed so.

Such a fact is often already a warning: a key left « ~ » (read_project), a national annex
without its PDF, or a rule of the convention (no opening hours, no referent). The gate merges
with it rather than say it twice: a rule keeps its own words and article, and gains the kind.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from jinja2 import Environment

from fsdocs.errors import Problem, Severity, problem_order
from fsdocs.project.attachments import missing_national
from fsdocs.project.paths import REFERENTS
from fsdocs.project.project import Project
from fsdocs.project.reading import TO_FILL_MESSAGE
from fsdocs.project.yaml_nodes import Loc, format_loc
from fsdocs.wording.context import get_context
from fsdocs.wording.dossier import COVER, DIVIDER, cover_values, divider_values
from fsdocs.wording.gaps import Where, counted, kind_of, marking
from fsdocs.wording.jinja import environment, render_template
from fsdocs.wording.registry import all_parts

_INDEX = re.compile(r"\[(\d+)\]")
NOT_PRINTED = "à compléter (« ~ ») ; ne s’imprime dans aucun document"


def printed(project: Project, env: Environment | None = None) -> dict[Where, int]:
    """Each fact the dossier prints as « [à compléter] », with how many times it prints."""
    env = env or environment(project.root)
    with marking() as marks:
        ctx = get_context(project)
        parts = all_parts(project, ctx)
        # The dossier holds the convention and each annex once: the parts of a structure
        # (Annexe 4) are pages of their annex's part.
        texts = [render_template(env, p.template, dict(p.values)) for p in parts if not p.structure]
        cover = {"etat": "", "reference": "", "comparaison": False, "pieces": []}
        texts.append(render_template(env, COVER, {**cover_values(ctx), **cover}))
        for annex in ctx.annexes:
            own = any(p.annexe == annex.numero for p in parts)
            joined = int(project.convention.annexes[annex.numero - 1].fichier is not None)
            values = divider_values(project, annex, f"annexe-{annex.numero}", own, joined)
            texts.append(render_template(env, DIVIDER, values))
        return counted("".join(texts), marks)


def gaps(project: Project, env: Environment | None = None) -> list[Problem]:
    """The facts the dossier prints as « [à compléter] », as located warnings."""
    found = []
    for (fichier, loc), mentions in printed(project, env).items():
        kind = kind_of(fichier, loc)
        found.append(
            Problem(
                fichier,
                project.line_of(fichier, loc),
                format_loc(loc),
                _message(project, fichier, loc, kind),
                Severity.WARNING,
                groupe=kind,
                mentions=mentions,
            )
        )
    return found


def checked(project: Project, env: Environment | None = None) -> Project:
    """``project`` whose warnings name every fact to fill in, printed or not, by kind."""
    found = {(gap.file, gap.path): gap for gap in gaps(project, env)}
    merged: list[Problem] = []
    for warning in project.warnings:
        gap = found.pop((warning.file, warning.path), None)
        if gap is not None and warning.regle is not None:
            merged.append(dataclasses.replace(warning, groupe=gap.groupe, mentions=gap.mentions))
        elif gap is not None:
            merged.append(gap)
        elif warning.groupe is None and warning.message == TO_FILL_MESSAGE:
            kind = kind_of(warning.file, _loc(warning.path))
            merged.append(dataclasses.replace(warning, message=NOT_PRINTED, groupe=kind))
        else:
            merged.append(warning)
    merged += found.values()
    return dataclasses.replace(project, warnings=tuple(sorted(merged, key=problem_order)))


def missing(project: Project) -> list[Problem]:
    """What keeps ``project`` from its signature dossier: the facts printed « [à compléter] »
    (``project`` as :func:`checked` gives it)."""
    return [p for p in project.warnings if p.mentions]


def _message(project: Project, fichier: str, loc: Loc, kind: str) -> str:
    if kind == "documents":
        return missing_national(int(loc[1]) + 1)
    if loc == ("agents",):
        return (
            "aucun agent France services nommé : la page de la structure imprime « Agents "
            "France services [à compléter] » ; ajoutez sous « agents: » chaque agent "
            "(« prenom: », « nom: », « fonction: ») ou, faute de noms, leur « nombre: » et "
            "leur « fonction: »"
        )
    if kind == "referents" and len(loc) == 2:
        return (
            "aucun référent désigné : l’annexe des référents imprime « [à compléter] » à sa "
            f"place ; ajoutez-en au moins un dans {REFERENTS}, joignable par téléphone et par "
            "courriel directs"
        )
    if kind == "referents" and len(loc) == 3:  # a referent without direct phone or e-mail
        return (
            "téléphone ou courriel direct absent : s’imprime « [à compléter] » ; ajoutez "
            "« telephone: » et « courriel: », ou dites sous « coordonnees: » comment le joindre"
        )
    if _written(project.sources[fichier].data if fichier in project.sources else None, loc):
        return TO_FILL_MESSAGE
    key = next((str(part) for part in reversed(loc) if isinstance(part, str)), "")
    return f"« {key}: » absent : s’imprime « [à compléter] » ; ajoutez « {key}: … »"


def _written(data: Any, loc: Loc) -> bool:
    """Whether ``loc`` is written in the file's data (as « ~ », since it prints empty)."""
    for part in loc:
        if isinstance(data, dict):
            if part not in data:
                return False
        elif not (isinstance(data, list) and isinstance(part, int) and part < len(data)):
            return False
        data = data[part]
    return True


def _loc(path: str) -> Loc:
    """``partenaires[2].representant.nom`` → ``("partenaires", 2, "representant", "nom")``."""
    loc: list[str | int] = []
    for name in path.split(".") if path else ():
        key = name.split("[", 1)[0]
        if key:
            loc.append(key)
        loc += [int(index) for index in _INDEX.findall(name)]
    return tuple(loc)
