"""Writing outputs safely: inside ``output/`` only, all or nothing, never a truncated file.

Every file is written to a temporary sibling, flushed to disk, then renamed over the old one,
so a crash or a full disk leaves the previous good file in place.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fsdocs.errors import OutputError
from fsdocs.files.lock import exclusive

OUTPUT = "output"
DIGESTS = "empreintes.json"  # the SHA-256 of each document, for « fsdocs verifier »
LOCK_WAIT_S = 600.0  # a build of the whole country's largest département takes well under
_SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,120}$")
# Whole documents at the top of output/; the one-structure pages of an annex (« annexe-4-blois »)
# in output/structures/, so that a département of 44 structures stays readable.
STRUCTURES = "structures"
_ONE_STRUCTURE = re.compile(r"^annexe-\d+-[a-z0-9]")


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


def output_name(name: str) -> str:
    """Where output file ``name`` (a plain file name) lives, relative to ``output/``."""
    if not _SAFE_NAME.match(name) or ".." in name:
        raise OutputError(f"nom de fichier de sortie refusé : « {name} »")
    return f"{STRUCTURES}/{name}" if _ONE_STRUCTURE.match(name) else name


def output_path(out_dir: Path, name: str) -> Path:
    """The path of output file ``name``; its subfolder is created, never followed if it is
    a link."""
    relative = output_name(name)
    if "/" not in relative:
        return out_dir / relative
    folder = out_dir / STRUCTURES
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise OutputError(f"impossible de créer {folder} : {exc.strerror}") from None
    if folder.is_symlink() or not folder.is_dir():
        raise OutputError(f"{OUTPUT}/{STRUCTURES} n’est pas un dossier du projet : refusé")
    return out_dir / relative


def write_all(out_dir: Path, files: dict[str, bytes]) -> list[Path]:
    """Write every file atomically; on failure, no file of the set is half-written."""
    written: list[Path] = []
    temporaries: list[tuple[Path, Path]] = []
    try:
        for name, data in files.items():
            final = output_path(out_dir, name)
            temp = final.with_name(f".{final.name}.{os.getpid()}.tmp")
            temp.unlink(missing_ok=True)  # a leftover, or a planted link: never followed
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
            with os.fdopen(fd, "wb") as handle:
                temporaries.append((temp, final))
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        for temp, final in temporaries:
            temp.replace(final)
            written.append(final)
            if final.parent != out_dir:  # written by an older fsdocs at the top: moved
                _remove_regular(out_dir / final.name)
    except BaseException as exc:  # Ctrl-C too: no temporary file is left behind
        for temp, _ in temporaries:
            temp.unlink(missing_ok=True)
        if not isinstance(exc, OSError):
            raise
        raise OutputError(
            f"écriture impossible dans {out_dir} : {exc.strerror or exc} ; "
            "les fichiers précédents sont intacts"
        ) from None
    return written


def write_documents(out_dir: Path, files: dict[str, bytes]) -> list[Path]:
    """``write_all`` for the documents of ``output/``, keeping ``empreintes.json`` right.

    The files are renamed one by one: while they are, the list accepts each file's previous
    and new digest, so that a run killed half-way leaves documents that all verify (each is
    whole, old or new); once they are all in place, only the new digests remain.
    """
    known = read_digests(out_dir)
    new = {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
    changed = {n: data for n, data in files.items() if not _in_place(out_dir, n, data, known)}
    final = {**known, **{n: [d] for n, d in new.items()}}
    if changed:
        during = {n: sorted({*known.get(n, []), new[n]}) for n in changed}
        write_all(out_dir, {DIGESTS: _digests_file({**known, **during})})
        write_all(out_dir, changed)
    if changed or final != known:
        write_all(out_dir, {DIGESTS: _digests_file(final)})
    return [output_path(out_dir, name) for name in files]


def _in_place(out_dir: Path, name: str, data: bytes, known: dict[str, list[str]]) -> bool:
    """Whether ``output/`` has this very file already, listed with its digest alone: then
    it is not written again (a rebuild after one change rewrites only what changed)."""
    if len(known.get(name, ())) != 1:
        return False
    path = output_path(out_dir, name)
    if path.parent != out_dir and os.path.lexists(out_dir / path.name):
        return False  # written at the top by an older fsdocs: write_all moves it
    try:
        if path.is_symlink() or path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def read_digests(out_dir: Path) -> dict[str, list[str]]:
    """Each document's accepted digests; empty when there is no readable list."""
    try:
        raw = json.loads((out_dir / DIGESTS).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    documents = raw.get("documents") if isinstance(raw, dict) else None
    if not isinstance(documents, dict):
        return {}
    return {
        str(name): [str(d) for d in digests]
        for name, digests in documents.items()
        if isinstance(digests, list)
    }


def _digests_file(digests: dict[str, list[str]]) -> bytes:
    document = {
        "algorithme": "sha256",
        "documents": {name: digests[name] for name in sorted(digests)},
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode()


@contextmanager
def producing(out_dir: Path, timeout: float = LOCK_WAIT_S) -> Iterator[None]:
    """Hold ``output/`` for one command that produces documents (build, bundle, version):
    a second one waits for the first to finish, so that the files of a set never come from
    two runs. The lock is on the folder itself: nothing is created for it."""

    def busy() -> OutputError:
        return OutputError(
            f"une autre commande fsdocs produit les documents de {out_dir} depuis plus de "
            f"{timeout:.0f} s ; réessayez quand elle aura fini"
        )

    with exclusive(out_dir, os.O_RDONLY, timeout, busy):
        _remove_leftovers(out_dir)
        yield


def _remove_regular(path: Path) -> None:
    if path.is_file() and not path.is_symlink():
        path.unlink()


def _remove_leftovers(out_dir: Path) -> None:
    """Temporary files of a run that was killed before it could rename or remove them: with
    the lock held, no other run is writing any."""
    found = [*out_dir.glob(".*.tmp"), *out_dir.glob(".cache/*/.*.tmp")]
    if (out_dir / STRUCTURES).is_dir() and not (out_dir / STRUCTURES).is_symlink():
        found += (out_dir / STRUCTURES).glob(".*.tmp")
    for leftover in found:
        try:
            leftover.unlink()
        except OSError:
            continue
