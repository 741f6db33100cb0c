"""``fsdocs comparer``: what changed between two states of a project — two recorded versions, or a
version and the current files — in the facts and in the words, for all the documents or for
one annex or one structure.

A :class:`Comparison` holds the data changes (:mod:`fsdocs.changes.facts`) and the redline of
each part whose wording changed (:mod:`fsdocs.changes.redline`);
:mod:`fsdocs.changes.modifications` lays it out as the
« Tableau des modifications » and the redline pages, in the bundle and in ``fsdocs comparer``'s
files.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field
from pathlib import Path

from fsdocs.changes.facts import Change, data_changes, file_changes, names
from fsdocs.changes.redline import Line, paragraph_diff
from fsdocs.changes.tables import Block, block_count, blocks
from fsdocs.errors import FsdocsError, VersionError
from fsdocs.files.clock import now
from fsdocs.project.paths import (
    CONVENTION,
    MANDAT,
    OFFRES,
    PARTENAIRES_LOCAUX,
    REFERENTS,
    STRUCTURES,
)
from fsdocs.versions.record import (
    Snapshot,
    current_snapshot,
    history,
    manifests,
    stored_snapshot,
    version_number,
)
from fsdocs.versions.store import STORE
from fsdocs.wording.parts import select
from fsdocs.wording.texts import PartText

ADDED = "ajoutée"
REMOVED = "retirée"
CHANGED = "modifiée"
# The data files an annex of each kind prints; the convention prints the rest.
_ANNEX_FILES = {
    "modalites": (f"{STRUCTURES}/",),
    "offre": (f"{OFFRES}/",),
    "referents": (REFERENTS,),
    "mandat": (MANDAT,),
    "partenaires": (PARTENAIRES_LOCAUX,),
}


@dataclass(frozen=True)
class PartDiff:
    """The redline of one part whose wording changed."""

    name: str
    titre: str
    annexe: int | None
    structure: str | None
    statut: str  # modifiée, ajoutée, retirée
    lines: list[Line]
    blocs: list[Block] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "blocs", blocks(self.lines))

    @property
    def modifications(self) -> int:
        return block_count(self.blocs)


@dataclass(frozen=True)
class Comparison:
    avant: Snapshot
    apres: Snapshot
    donnees: list[Change]
    parties: list[PartDiff]  # only the parts that changed, in reading order

    @property
    def vide(self) -> bool:
        return not self.donnees and not self.parties

    @property
    def modifications(self) -> int:
        return sum(p.modifications for p in self.parties)


@dataclass(frozen=True)
class Scope:
    """Which documents a diff looks at: all of them, the convention, an annex or a structure."""

    annexe: int | None = None
    structure: str | None = None
    convention: bool = False


def snapshot(root: Path, spec: str | None) -> Snapshot:
    """The state a user named: a version number, « actuel », or (None) the last version."""
    from fsdocs.production.snapshot import texts
    from fsdocs.rules.checked import load_project

    if spec is None:
        numbers = [v.numero for v in history(root)]
        if not numbers:
            raise VersionError(
                f"aucune version enregistrée dans {STORE}/ : « fsdocs version -m MESSAGE » "
                "enregistre la première"
            )
        return stored_snapshot(root, numbers[-1])
    number = version_number(root, spec)
    if number is not None:
        return stored_snapshot(root, number)
    project = load_project(root)
    return current_snapshot(project, texts(project))


def signature(state: Snapshot) -> tuple[str, str]:
    """Who made a state, and when (ISO 8601): a version's author and date as its manifest
    records them (``fsdocs version --auteur``, by default the recording user's login); for
    the current files, not recorded yet, the user running fsdocs, now."""
    if state.numero is not None and state.racine is not None:
        for manifest in manifests(state.racine):
            if manifest.numero == state.numero:
                return manifest.auteur, manifest.date
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "inconnu"
    return user, now().isoformat()


def compare_states(root: Path, de: str | None, a: str | None, scope: Scope) -> Comparison:
    """``fsdocs comparer``: from state ``de`` (default: the last version) to ``a`` (default: the
    current files)."""
    avant = snapshot(root, de)
    apres = snapshot(root, a if a is not None else "actuel")
    return compare(avant, apres, scope)


def compare(avant: Snapshot, apres: Snapshot, scope: Scope | None = None) -> Comparison:
    scope = scope or Scope()
    old_parts = _selected(avant, scope, required=False)
    new_parts = _selected(apres, scope, required=True)
    parties: list[PartDiff] = []
    for name in [*new_parts, *(n for n in old_parts if n not in new_parts)]:
        before, after = old_parts.get(name), new_parts.get(name)
        if before is not None and after is not None and before.empreinte == after.empreinte:
            continue
        shown = after or before
        assert shown is not None  # the name comes from one of the two
        lines = paragraph_diff(_paragraphs(before), _paragraphs(after))
        if not any(line.changed for line in lines):
            continue  # the markup changed, not a word a reader sees
        statut = ADDED if before is None else REMOVED if after is None else CHANGED
        parties.append(
            PartDiff(shown.name, shown.titre, shown.annexe, shown.structure, statut, lines)
        )
    return Comparison(avant, apres, _data(avant, apres, scope), parties)


def _selected(state: Snapshot, scope: Scope, required: bool) -> dict[str, PartText]:
    """The parts in scope, without an annex's whole text when it also has one page per
    structure (each change would show twice)."""
    texts = list(state.parties.values())
    try:
        chosen = select(texts, scope.annexe, scope.structure, scope.convention)
    except FsdocsError:
        if required:
            raise
        chosen = []  # a structure or annex the older state did not have yet
    paged = {t.annexe for t in texts if t.structure is not None}
    kept = [t for t in chosen if t.structure is not None or t.annexe not in paged]
    # Reading order: the convention, then the annexes by number (a stored manifest is sorted
    # by name, which would put « annexe-10 » before « annexe-4 »).
    kept.sort(key=lambda t: (t.annexe or 0, t.structure is not None, t.name))
    return {t.name: t for t in kept}


def _paragraphs(text: PartText | None) -> list[str]:
    return text.texte.rstrip("\n").split("\n") if text is not None else []


def _data(avant: Snapshot, apres: Snapshot, scope: Scope) -> list[Change]:
    if avant.donnees == apres.donnees:
        return []
    old_project, new_project = avant.project(), apres.project()
    known = names(old_project) | names(new_project)
    changes = data_changes(old_project, new_project) + file_changes(
        avant.donnees, apres.donnees, old_project.sources, new_project.sources, known
    )
    if scope.structure is not None:
        wanted: tuple[str, ...] = (f"{STRUCTURES}/{scope.structure}.yaml",)
    elif scope.annexe is not None:
        kinds = [a.id for a in new_project.convention.annexes]
        kind = kinds[scope.annexe - 1] if 0 < scope.annexe <= len(kinds) else ""
        wanted = _ANNEX_FILES.get(kind, ())
    elif scope.convention:
        wanted = (CONVENTION, "signatories/")
    else:
        return changes
    return [c for c in changes if c.fichier.startswith(wanted)]
