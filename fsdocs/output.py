"""Writing outputs safely: inside ``output/`` only, all or nothing, never a truncated file.

Every file is written to a temporary sibling, flushed to disk, then renamed over the old one,
so a crash or a full disk leaves the previous good file in place.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .errors import OutputError

OUTPUT = "output"
_SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,120}$")


def output_dir(root: Path) -> Path:
    """``root/output``, created if needed; refused if it leads outside the project."""
    target = root / OUTPUT
    try:
        target.mkdir(exist_ok=True)
    except OSError as exc:
        raise OutputError(f"impossible de créer {target} : {exc.strerror}") from None
    real = target.resolve()
    if not real.is_relative_to(root.resolve()):
        raise OutputError(f"{target} mène hors du projet ({real}) : refusé")
    return real


def output_path(out_dir: Path, name: str) -> Path:
    """The path of output file ``name``, which must be a plain file name."""
    if not _SAFE_NAME.match(name) or ".." in name:
        raise OutputError(f"nom de fichier de sortie refusé : « {name} »")
    return out_dir / name


def write_all(out_dir: Path, files: dict[str, bytes]) -> list[Path]:
    """Write every file atomically; on failure, no file of the set is half-written."""
    written: list[Path] = []
    temporaries: list[tuple[Path, Path]] = []
    try:
        for name, data in files.items():
            final = output_path(out_dir, name)
            temp = final.with_name(f".{final.name}.{os.getpid()}.tmp")
            with temp.open("wb") as handle:
                temporaries.append((temp, final))
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        for temp, final in temporaries:
            temp.replace(final)
            written.append(final)
    except OSError as exc:
        for temp, _ in temporaries:
            temp.unlink(missing_ok=True)
        raise OutputError(
            f"écriture impossible dans {out_dir} : {exc.strerror or exc} ; "
            "les fichiers précédents sont intacts"
        ) from None
    return written
