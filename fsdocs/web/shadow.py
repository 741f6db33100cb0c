"""A shadow copy of the project for its previews: the project's files (YAML, templates,
national PDFs) with every manager's draft in place of its structure's file and of the
partners' offers files it changed, kept in a folder
under ``.fsdocs/apercus/`` that the warm build treats as a project of its own. Only files
whose bytes differ are written again, so the warm build sees exactly what changed. The
project's own files and outputs are never written.
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

from fsdocs.errors import FsdocsError
from fsdocs.files.read import Kind, ProjectFiles
from fsdocs.project.load import load_yaml
from fsdocs.project.paths import CONVENTION, STRUCTURES
from fsdocs.web.database import Connections
from fsdocs.web.drafts import file_name, structure_ids
from fsdocs.web.offres import partner_files

_COPIED = ("convention.yaml", "signatories", "annexes", "templates")


class ShadowCopy:
    """The project at ``root`` with its drafts, in ``folder``."""

    def __init__(self, root: Path, folder: Path, connections: Connections) -> None:
        self.root = root
        self.shadow = folder
        self.connections = connections

    def sync(self) -> list[Path]:
        """Lay the project and the drafts over the shadow copy; the files that changed."""
        wanted: dict[str, bytes | Path] = {}
        files = ProjectFiles(self.root)
        for name in _project_files(self.root):
            if not name.endswith(".yaml"):  # PDFs, fonts, templates: copied when they change
                wanted[name] = self.root / name
                continue
            with contextlib.suppress(FsdocsError):
                wanted[name] = files.read(name, Kind.YAML)
        known = structure_ids(self.root)
        db = self.connections.get()
        for structure, contenu in db.execute("SELECT structure, contenu FROM brouillons"):
            if structure in known:
                wanted[file_name(structure)] = contenu.encode("utf-8")
        # The partners' offers files the drafts changed (Annexe 5); two drafts changing one
        # file: the latest saved is shown (each proposal still carries its own).
        partners = set(partner_files(self.root))
        for name, contenu in db.execute(
            "SELECT f.fichier, f.contenu FROM brouillons_fichiers f "
            "JOIN brouillons b USING (structure) ORDER BY b.modifie_le, b.structure"
        ):
            if name in partners:
                wanted[name] = contenu.encode("utf-8")
        changed = [self.shadow / n for n, data in wanted.items() if self._put(n, data)]
        for folder in (STRUCTURES, "annexes/offres"):  # a file removed from the project
            for old in (self.shadow / folder).glob("*.yaml"):
                if f"{folder}/{old.name}" not in wanted:
                    old.unlink()
                    changed.append(old)
        return changed

    def _put(self, name: str, data: bytes | Path) -> bool:
        """Write ``data`` (bytes, or a file of the project) at ``name`` in the shadow copy
        unless it is there already; whether it was written."""
        target = self.shadow / name
        with contextlib.suppress(OSError):
            if isinstance(data, Path):
                source, there = data.stat(), target.stat()
                if (source.st_size, source.st_mtime_ns) == (there.st_size, there.st_mtime_ns):
                    return False
            elif target.read_bytes() == data:
                return False
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        try:
            if isinstance(data, Path):
                shutil.copy2(data, temporary)
            else:
                temporary.write_bytes(data)
            temporary.replace(target)
        except OSError:
            return False
        return True


def _project_files(root: Path) -> list[str]:
    """The files the documents are made of: the YAML, the project's templates, and the
    national PDFs that convention.yaml names (anywhere inside the project)."""
    names: list[str] = []
    for part in _COPIED:
        path = root / part
        if path.is_file() and not path.is_symlink():
            names.append(part)
        elif path.is_dir() and not path.is_symlink():
            names += [
                p.relative_to(root).as_posix()
                for p in sorted(path.rglob("*"))
                if p.is_file() and not p.is_symlink()
            ]
    # Read through the project's guarded reader (regular file, size and alias limits).
    source, _ = load_yaml(ProjectFiles(root), CONVENTION)
    convention = source.data if source is not None else None
    for annex in (convention.get("annexes") or []) if isinstance(convention, dict) else []:
        name = annex.get("fichier") if isinstance(annex, dict) else None
        if isinstance(name, str) and ".." not in name.split("/") and not name.startswith("/"):
            path = root / name
            if path.is_file() and not path.is_symlink():
                names.append(name)
    return sorted(set(names))
