"""The national PDFs a project attaches as annexes 1 to 3 (``fichier:`` in convention.yaml).

Each path is judged before anything is read: relative to the project, inside it, outside
``output/`` and ``versions/`` (a dossier cannot include itself), for a national annex only —
annexes 4 to 8 are made by fsdocs from the project's data, and a PDF cannot silently stand in
for them. The file is then read once, through the guard, and kept with the project: the
bundle and the version store use those very bytes.
"""

from __future__ import annotations

import posixpath

from fsdocs.errors import Problem, Severity, UnreadableFileError
from fsdocs.files.read import OUTSIDE, Files, Kind
from fsdocs.project.load import Source
from fsdocs.project.model import ConventionFile
from fsdocs.project.yaml_nodes import Loc, format_loc

NATIONAL_ANNEXES = {"charte", "bouquet", "accord-cadre"}
# Folders fsdocs writes: nothing in them is an input.
_PRODUCED = ("output", "versions")
_OUTSIDE = (
    "mène hors du projet (chemin absolu, « .. » ou lien symbolique) : copiez le PDF dans le "
    "dossier du projet et indiquez son chemin relatif"
)


def attachment_name(fichier: str) -> str | None:
    """``fichier`` as a normalised path relative to the project, or None when it leads out of
    it (absolute, ``..``, a backslash or a control character)."""
    if not fichier or "\\" in fichier or any(ord(c) < 32 for c in fichier):
        return None
    name = posixpath.normpath(fichier)
    if name.startswith("/") or name == "." or name.split("/")[0] == "..":
        return None
    return name


def national_annexes(
    files: Files, convention: ConventionFile, source: Source
) -> tuple[list[Problem], dict[str, bytes]]:
    """Problems with the annexes' PDFs, and the PDFs read, by normalised name.

    A national annex without its PDF or a reference is announced (its divider will print
    « [à compléter] »); a path
    that leads nowhere, outside the project, into what fsdocs writes, to something else than
    a PDF, or on an annex that fsdocs makes, is an error."""
    problems: list[Problem] = []
    documents: dict[str, bytes] = {}
    for index, ref in enumerate(convention.annexes):
        numero = index + 1
        where = ("annexes", index)
        if ref.fichier is None:
            if ref.id in NATIONAL_ANNEXES and ref.reference is None:
                problems.append(_problem(source, where, missing_national(numero), Severity.WARNING))
            elif ref.reference is not None and ref.id not in NATIONAL_ANNEXES:
                problems.append(
                    _problem(
                        source,
                        (*where, "reference"),
                        f"« reference: » refusé : l’annexe {numero} (« {ref.id} ») est produite "
                        "par fsdocs ; seules les annexes nationales (charte, bouquet, "
                        "accord-cadre) se joignent par référence",
                    )
                )
            continue
        loc: Loc = (*where, "fichier")
        why, content = _judge(files, ref.id, ref.fichier)
        if why is not None:
            problems.append(
                _problem(source, loc, f"fichier « {ref.fichier} » de l’annexe {numero} {why}")
            )
        elif content is not None:
            name = attachment_name(ref.fichier)
            assert name is not None  # _judge refused it otherwise
            documents[name] = content
    return problems, documents


def missing_national(numero: int) -> str:
    """What ``fsdocs controler`` says of a national annex given neither as PDF nor by
    reference: its divider in the dossier prints « [à compléter] »."""
    return (
        f"annexe {numero} (document national) non fournie : son intercalaire imprime "
        "« [à compléter] » ; indiquez son PDF avec « fichier: … », ou, pour la joindre par "
        "référence, où la consulter avec « reference: … »"
    )


def _judge(files: Files, ident: str, fichier: str) -> tuple[str | None, bytes | None]:
    """Why the annex's PDF is refused (None if it is not), and its bytes when read."""
    if ident not in NATIONAL_ANNEXES:
        return (
            "refusé : « fichier: » ne sert qu’aux annexes nationales (charte, bouquet, "
            f"accord-cadre) ; l’annexe « {ident} » est produite par fsdocs à partir des données "
            "du projet : retirez la ligne « fichier: »",
            None,
        )
    name = attachment_name(fichier)
    if name is None:
        return _OUTSIDE, None
    if name.split("/")[0] in _PRODUCED:
        return (
            f"est dans {name.split('/')[0]}/, où fsdocs écrit : un document produit ne peut "
            "pas être une annexe (le dossier s’inclurait lui-même) ; placez le PDF national "
            "ailleurs dans le projet, par exemple dans annexes/",
            None,
        )
    try:
        content = files.read(name, Kind.PDF)
    except UnreadableFileError as exc:
        return (_OUTSIDE if exc.raison == OUTSIDE else f": {exc.raison}"), None
    if not content[:1024].lstrip().startswith(b"%PDF-"):
        return "n’est pas un PDF", None
    return None, content


def _problem(
    source: Source, loc: Loc, message: str, severity: Severity = Severity.ERROR
) -> Problem:
    return Problem(source.name, source.line_of(loc), format_loc(loc), message, severity)
