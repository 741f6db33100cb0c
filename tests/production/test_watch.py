"""``fsdocs produire --surveiller``: the warm build (production/warm.py) redoes exactly the
documents a save changed, as a cold build would make them; the watcher (production/watch.py)
reports an invalid save and goes on; the command stops on Ctrl-C with code 0, and with
``--dossier`` makes the dossier again after each rebuild that changed documents.
"""

from __future__ import annotations

import hashlib
import queue
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader

from fsdocs.errors import ProjectError
from fsdocs.files.write import DIGESTS
from fsdocs.production.build import build
from fsdocs.production.warm import WarmBuild
from fsdocs.production.watch import watch
from tests.conftest import Built, copy_default_project, run_cli
from tests.readback import normalize, pdf_pages

BLOIS = Path("annexes/structures/blois.yaml")
BLOIS_PARTS = {
    f"{name}.{ext}"
    for name in ("annexe-4", "structures/annexe-4-blois")
    for ext in ("pdf", "docx", "html")
}


@pytest.fixture
def built(built_default: Built, tmp_path: Path) -> Path:
    """A copy of the built default project, its cache with it: nothing to lay out at first."""
    root = tmp_path / "projet"
    shutil.copytree(built_default.root, root, symlinks=True)
    return root


def _save(root: Path, old: str, new: str) -> None:
    """Save as an editor does: a temporary file, then a rename over the old one."""
    path = root / BLOIS
    text = path.read_text("utf-8")
    assert old in text
    temporary = path.with_name(f".{path.name}.swp")
    temporary.write_text(text.replace(old, new, 1), "utf-8")
    temporary.replace(path)


def _outputs(root: Path) -> dict[str, tuple[int, str]]:
    out = root / "output"
    return {
        p.relative_to(out).as_posix(): (
            p.stat().st_mtime_ns,
            hashlib.sha256(p.read_bytes()).hexdigest(),
        )
        for p in [*out.iterdir(), *out.glob("structures/*")]
        if p.is_file() and p.name != DIGESTS
    }


def test_a_saved_structure_redoes_its_page_and_annexe_4_only(built: Path, tmp_path: Path) -> None:
    warm = WarmBuild(built)
    assert warm.rebuild().written == ()  # built already: nothing written again
    before = _outputs(built)

    _save(built, "lundi: 13:30-17:30", "lundi: 08:45-17:30")
    report = warm.rebuild([built / BLOIS])

    written = [p.relative_to(built / "output").as_posix() for p in report.written]
    assert set(written) == BLOIS_PARTS
    assert written[0] == "annexe-4.pdf"  # before anything else
    assert report.laid_out == ("annexe-4-blois",)
    after = _outputs(built)
    assert {n for n in after if after[n] != before[n]} == BLOIS_PARTS
    annexe_4 = pdf_pages(built / "output" / "annexe-4.pdf")
    assert any("8 h 45" in normalize(page) for page in annexe_4)
    (built / "output" / "annexe-5.pdf").unlink()  # a document removed: made again
    assert [p.name for p in warm.rebuild().written] == ["annexe-5.pdf"]

    # The same documents as a cold build of the same files would give.
    cold = copy_default_project(tmp_path / "froid", origin=built)
    build(cold, annexe=4, formats=["pdf"], jobs=1)
    for name in ("annexe-4.pdf", "structures/annexe-4-blois.pdf"):
        warm_pages = pdf_pages(built / "output" / name)
        cold_pages = pdf_pages(cold / "output" / name)
        assert len(warm_pages) == len(cold_pages)
        assert list(map(normalize, warm_pages)) == list(map(normalize, cold_pages))


def test_an_invalid_save_is_reported_and_the_next_valid_one_rebuilds(built: Path) -> None:
    events = watch(WarmBuild(built, formats=["pdf"]), stop_after=2)
    assert next(events).error is None

    _save(built, "lundi: 13:30-17:30", "lundi: 13:30-37:30")
    invalid = next(events)
    assert invalid.changed == (BLOIS.as_posix(),)
    assert invalid.report is None
    assert isinstance(invalid.error, ProjectError)
    shown = [str(p) for p in invalid.error.problems]
    assert any(s.startswith(f"{BLOIS.as_posix()}:18: horaires.lundi: ") for s in shown), shown

    _save(built, "lundi: 13:30-37:30", "lundi: 08:45-17:30")
    valid = next(events)
    assert valid.error is None and valid.report is not None
    written = {p.relative_to(built / "output").as_posix() for p in valid.report.written}
    assert written == {"annexe-4.pdf", "structures/annexe-4-blois.pdf"}
    assert any("8 h 45" in normalize(p) for p in pdf_pages(built / "output" / "annexe-4.pdf"))
    assert next(events, None) is None  # stop_after


def _lines(process: subprocess.Popen[str], found: queue.Queue[str]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        found.put(line)


def _until(found: queue.Queue[str], text: str, seen: list[str]) -> str:
    while True:
        try:
            line = found.get(timeout=60)
        except queue.Empty:
            pytest.fail(f"« {text} » jamais affiché ; sortie : {''.join(seen)}")
        seen.append(line)
        if text in line:
            return line


def test_the_command_prints_each_rebuild_and_stops_on_ctrl_c(built: Path) -> None:
    fsdocs = Path(sys.executable).parent / "fsdocs"
    command = [str(fsdocs), "produire", "--surveiller", "--formats", "pdf", "-C", str(built)]
    found: queue.Queue[str] = queue.Queue()
    seen: list[str] = []
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as process:
        reader = threading.Thread(target=_lines, args=(process, found))
        reader.start()
        try:
            _until(found, "démarrage → aucun document changé", seen)
            _save(built, "lundi: 13:30-17:30", "lundi: 08:45-17:30")
            line = _until(found, f"{BLOIS.as_posix()} →", seen)
            assert "annexe-4.pdf, structures/annexe-4-blois.pdf" in line
            assert line.rstrip().endswith("\u00a0s)")
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=30) == 0
        finally:
            if process.poll() is None:
                process.kill()
            reader.join(timeout=30)
    _until(found, "Surveillance arrêtée.", seen)
    assert "Traceback" not in "".join(seen)


def test_with_dossier_the_dossier_follows_each_rebuild_that_changed_documents(
    built: Path,
) -> None:
    """``--dossier``: after a rebuild that wrote documents, the dossier to sign is made again
    (the default project is complete: its 13 signature fields); ``--dossier`` alone is
    refused."""
    (built / "output" / "annexe-5.pdf").unlink()  # the first rebuild makes it again
    dossier = built / "output" / "dossier-signature.pdf"
    dossier.unlink(missing_ok=True)
    args = ["--formats", "pdf", "--arret-apres", "0", "-C", str(built)]
    result = run_cli("produire", "--surveiller", "--dossier", *args)

    assert result.exit_code == 0, result.output
    assert "démarrage → annexe-5.pdf" in result.output
    assert "→ dossier-signature.pdf (" in result.output
    fields = PdfReader(dossier).get_fields() or {}
    assert len([f for f in fields.values() if f.get("/FT") == "/Sig"]) == 13
    refused = run_cli("produire", "--dossier", "-C", str(built))
    assert refused.exit_code != 0
    assert "--dossier va avec --surveiller" in refused.output
