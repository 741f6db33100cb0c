"""Profile the joining of laid-out pages (parts' PDFs and the draft dossier) of a project
whose layouts are already cached: every layout comes from the cache, every join is redone.

    python benchmarks/profil_jointure.py PROJET [SORTIE.prof]
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import time
from pathlib import Path

from fsdocs.bundle import assemble as bundle_module
from fsdocs.production import build as build_module
from fsdocs.production.cache import Cache

_JOINED: set[str] = set()


def _marking(original):  # type: ignore[no-untyped-def]
    def key(*inputs: str | bytes) -> str:
        name = original(*inputs)
        if inputs and inputs[0] in ("fichier", bundle_module.BUNDLE, bundle_module.DRAFT):
            _JOINED.add(name)
        return name

    return key


class _Uncached(Cache):
    def get(self, name: str):  # type: ignore[no-untyped-def]
        return None if name in _JOINED else super().get(name)

    def put(self, name: str, pdf: bytes, info: dict) -> None:  # type: ignore[type-arg]
        if name not in _JOINED:
            super().put(name, pdf, info)


def main() -> None:
    root = Path(sys.argv[1])
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    build_module.key = _marking(build_module.key)  # type: ignore[assignment]
    bundle_module.key = _marking(bundle_module.key)  # type: ignore[assignment]
    from fsdocs.rules.checked import load_project

    project = load_project(root)
    cache = _Uncached(root / "output")
    build_module.build_project(project, formats=("pdf",), jobs=1, cache=cache)  # warm
    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.enable()
    build_module.build_project(project, formats=("pdf",), jobs=1, cache=cache)
    bundle_module.bundle_project(project, jobs=1, cache=cache, brouillon=True)
    profile.disable()
    print(f"jointures : {time.perf_counter() - start:.2f} s (sous cProfile)")
    if target is not None:
        profile.dump_stats(target)
    pstats.Stats(profile).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
