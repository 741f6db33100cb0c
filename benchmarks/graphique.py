"""The chart the README shows: fsdocs against the LibreOffice route for each case of the
speed issue, from ``resultats.json``, with each goal drawn where it lies.

``python benchmarks/graphique.py`` redraws ``benchmarks/vitesse.png`` from the last figures;
``vitesse.py`` calls :func:`draw` at the end of each run. Needs matplotlib (``pip install
'.[mesures]'``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from rapport import GOAL_NATIONAL_S, GOAL_REBUILD_RATIO, GOAL_WATCH_RATIO

HERE = Path(__file__).resolve().parent
CHART = HERE / "vitesse.png"
BLUE, GREY, RED, GREEN = "#000091", "#9a9a9a", "#c9191e", "#18753c"


def cases(figures: dict[str, Any]) -> list[tuple[str, float | None, float | None, float]]:
    """(label, fsdocs seconds, LibreOffice seconds, goal as a ratio) for each case."""
    found = []
    for cold in figures["construction_a_froid"]:
        lo = cold["libreoffice"]
        found.append(
            (
                f"À froid : {cold['projet']}\n(produire + dossier)",
                cold["fsdocs"]["total_s"],
                lo["total_s"] if lo else None,
                cold.get("objectif", 1.0),
            )
        )
    rebuild = figures["reconstruction"]
    everything = rebuild["libreoffice_tout"]
    lo_s = everything["total_s"] if everything else None
    found.append(
        (
            "Une structure modifiée\n(fsdocs build)",
            rebuild["fsdocs"]["build_s"],
            lo_s,
            GOAL_REBUILD_RATIO,
        )
    )
    watch = rebuild.get("surveillance")
    found.append(
        (
            "Une structure modifiée\n(--surveiller, médiane)",
            watch["mediane_s"] if watch else None,
            lo_s,
            GOAL_WATCH_RATIO,
        )
    )
    return found


def draw(figures: dict[str, Any], target: Path = CHART) -> Path | None:
    """Draw the chart into ``target``; None (and a word on stderr) without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("graphique non dessiné : matplotlib absent (pip install matplotlib)", file=sys.stderr)
        return None
    rows = cases(figures)
    national = figures.get("national")
    fig, (left, right) = plt.subplots(
        1, 2, figsize=(11, 4.6), gridspec_kw={"width_ratios": [3.2, 1]}, layout="constrained"
    )
    for index, (_label, ours, theirs, goal) in enumerate(rows):
        y = len(rows) - 1 - index
        if theirs is not None:
            left.barh(y + 0.2, theirs, height=0.38, color=GREY)
            left.plot([theirs * goal] * 2, [y - 0.2, y + 0.42], color=BLUE, ls=":", lw=1.4)
        if ours is not None:
            met = theirs is not None and ours <= theirs * goal
            left.barh(y - 0.2, ours, height=0.38, color=BLUE)
            ratio = f" ({_fr(ours / theirs)}×, objectif ≤ {_fr(goal, 1)}×)" if theirs else ""
            left.text(
                max(ours, (theirs or 0) * goal),  # after the goal's line, not across it
                y - 0.2,
                f"  {_fr(ours)} s{ratio}",
                va="center",
                fontsize=8,
                color=GREEN if met else RED,
            )
    left.set_yticks(range(len(rows)), [r[0] for r in reversed(rows)], fontsize=8.5)
    longest = max(max(r[1] or 0, r[2] or 0) for r in rows)
    left.set_xlim(0, longest * 1.55)  # room for the figures written after the bars
    left.set_xlabel("secondes (temps réel, 2 cœurs)")
    left.set_title(
        "fsdocs (bleu) contre la route LibreOffice (gris) ; pointillés : objectif", fontsize=10
    )
    left.spines[["top", "right"]].set_visible(False)
    if national:
        seconds = national["duree_s"]
        right.bar([0], [seconds], color=GREEN if seconds <= GOAL_NATIONAL_S else RED, width=0.5)
        right.axhline(GOAL_NATIONAL_S, color=BLUE, ls=":", lw=1.4)
        right.text(0, seconds, f"{_fr(seconds, 0)} s", ha="center", va="bottom", fontsize=9)
        right.text(
            -0.4,
            GOAL_NATIONAL_S,
            f"objectif {GOAL_NATIONAL_S:.0f} s",
            va="bottom",
            ha="left",
            fontsize=8,
            color=BLUE,
        )
        mib = national.get("memoire_max_mio")
        right.set_xticks(
            [0], [f"{national['departements']} départements\n{_fr(mib or 0, 0)} Mio max"]
        )
    else:
        right.text(0.5, 0.5, "France entière :\nnon mesurée", ha="center", va="center")
        right.set_xticks([])
    right.set_title("France entière\n(fsdocs national -j 2)", fontsize=10)
    right.spines[["top", "right"]].set_visible(False)
    right.set_ylabel("secondes")
    fig.savefig(target, dpi=110)
    plt.close(fig)
    return target


def _fr(value: float, decimals: int = 2) -> str:
    return f"{value:.{decimals}f}".replace(".", ",")


if __name__ == "__main__":
    results = json.loads((HERE / "resultats.json").read_text(encoding="utf-8"))
    print(draw(results))
