"""The figures ``vitesse.py`` measures, and how they read: a table in French, and JSON."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from objectifs import Goal, summary
from route_libreoffice import Docx, Route
from taille import Sizes

# Goals, as the project states them (issue 17).
GOAL_COLD_RATIO = 1.0  # an imported département
GOAL_COLD_DEFAULT_RATIO = 1.2  # the default project
GOAL_REBUILD_RATIO = 0.3  # « fsdocs build » after one structure's change, against everything
GOAL_WATCH_RATIO = 0.1  # the same change while « --surveiller » runs: Annexe 4 on disk
GOAL_NATIONAL_S = 160.0
GOAL_NATIONAL_MIB = 300.0
GOAL_VERIFIER_S = 5.0
GOAL_HELP_S = 0.2
GOAL_SIZE_RATIO = 1.3


@dataclass(frozen=True)
class Fsdocs:
    build_s: float
    bundle_s: float
    pages: int  # of the signature bundle

    @property
    def total_s(self) -> float:
        return self.build_s + self.bundle_s


@dataclass(frozen=True)
class Comparison:
    label: str
    structures: int
    fsdocs: Fsdocs
    libreoffice: Route | None
    docx: Docx | None  # what the route converted, for the rebuild to compare with

    @property
    def ratio(self) -> float | None:
        return _ratio(self.fsdocs.total_s, self.libreoffice)

    @property
    def goal(self) -> float:
        return GOAL_COLD_RATIO if self.structures > 4 else GOAL_COLD_DEFAULT_RATIO


@dataclass(frozen=True)
class Watch:
    """Annexe 4 on disk after each of a series of saves, while ``--surveiller`` runs."""

    delays_s: list[float]

    @property
    def median_s(self) -> float:
        ordered = sorted(self.delays_s)
        middle = len(ordered) // 2
        return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2

    @property
    def worst_s(self) -> float:
        return max(self.delays_s)


@dataclass(frozen=True)
class Rebuild:
    departement: str
    structure: str
    change: str
    fsdocs: Fsdocs  # « fsdocs build » (the goal's), then « fsdocs bundle »
    everything: Route | None  # every DOCX again, converted, merged
    changed: Route | None  # only the DOCX whose content changed
    watch: Watch | None = None
    watch_skipped: str = ""

    @property
    def ratio(self) -> float | None:
        return _ratio(self.fsdocs.build_s, self.everything)

    def watch_ratio(self, worst: bool = False) -> float | None:
        if self.watch is None:
            return None
        return _ratio(self.watch.worst_s if worst else self.watch.median_s, self.everything)


@dataclass(frozen=True)
class National:
    preparation_s: float
    verifier_s: float
    build_s: float
    pages: int | None
    peak_mib: float | None
    pdf_bytes: int
    departements: int
    structures: int


@dataclass(frozen=True)
class Report:
    machine: dict[str, Any]
    cold: list[Comparison]
    rebuild: Rebuild
    national: National | None
    national_skipped: str
    help_s: float
    jobs: int
    sizes: list[tuple[str, Sizes]]

    def text(self) -> str:
        return "\n\n".join(
            [
                self._cold_text(),
                self._sizes_text(),
                self._rebuild_text(),
                self._national_text(),
                self._commands_text(),
                summary(self.goals(), _number, _table),
                "✓ : objectif atteint ; ✗ : objectif non atteint ; n/d : non disponible.",
            ]
        )

    def _cold_text(self) -> str:
        rows: list[list[str]] = [
            ["", *(c.label for c in self.cold)],
            ["", *(f"{c.structures} structures" for c in self.cold)],
            ["fsdocs :", *("" for _ in self.cold)],
            *_fsdocs_rows([c.fsdocs for c in self.cold]),
            ["LibreOffice :", *("" for _ in self.cold)],
            *_route_rows([c.libreoffice for c in self.cold]),
            [
                "ratio fsdocs / LibreOffice",
                *(_ratio_text(c.ratio, c.goal) for c in self.cold),
            ],
            ["objectif", *(f"≤ {_number(c.goal, 1)}" for c in self.cold)],
        ]
        return (
            "1. Construction complète à froid (output/ supprimé, donc sans cache)\n"
            + _table(rows)
            + "\n"
            + _note(
                "LibreOffice convertit exactement les documents que fsdocs produit (all_parts : "
                "convention, annexes, page de chaque structure et annexe 4 d’ensemble), en un "
                "seul appel à soffice ; une conversion d’échauffement, non comptée, a créé son "
                "profil avant toute mesure. Ses DOCX sont faits en mémoire par fsdocs, dans ce "
                "processus : ni démarrage de Python ni import ne leur sont comptés. Le PDF "
                "fusionné n’a ni couverture, ni sommaire, ni intercalaires ; le dossier de "
                "signature de fsdocs en a."
            )
        )

    def _rebuild_text(self) -> str:
        r = self.rebuild
        build = r.fsdocs.build_s
        rows: list[list[str]] = [
            ["", "", "objectif"],
            ["fsdocs en ligne de commande (output/ conservé) :", "", ""],
            ["  build (l’objectif)", _s(build), ""],
            ["  bundle (pour mémoire)", _s(r.fsdocs.bundle_s), ""],
            ["fsdocs build --surveiller (annexe 4 sur le disque) :", "", ""],
            *self._watch_rows(),
            ["LibreOffice, tout refait (pas de cache) :", "", ""],
            *([*row, ""] for row in _route_rows([r.everything])),
            [
                "ratio build / LibreOffice (tout refait)",
                _ratio_text(r.ratio, None),
                _goal(r.ratio, GOAL_REBUILD_RATIO, ""),
            ],
            [
                "ratio surveillance (médiane) / LibreOffice (tout refait)",
                _ratio_text(r.watch_ratio(), None),
                _goal(r.watch_ratio(), GOAL_WATCH_RATIO, ""),
            ],
            [
                "ratio surveillance (pire) / LibreOffice (tout refait)",
                _ratio_text(r.watch_ratio(worst=True), None),
                "",
            ],
            ["LibreOffice, DOCX modifiés seulement :", "", ""],
            *([*row, ""] for row in _route_rows([r.changed])),
            [
                "ratio build / LibreOffice (DOCX modifiés)",
                _ratio_text(_ratio(build, r.changed), None),
                "",
            ],
        ]
        return (
            f"2. Reconstruction après modification des horaires d’une structure "
            f"(département {r.departement}, « {r.structure} » : {r.change})\n"
            + _table(rows)
            + "\n"
            + _note(
                "Les objectifs comparent à LibreOffice refaisant tout le département. La "
                "surveillance est mesurée de l’enregistrement du fichier (renommage, comme un "
                "éditeur) au renommage de output/annexe-4.pdf, sur "
                f"{len(r.watch.delays_s) if r.watch else 0} modifications successives. "
                "« DOCX modifiés seulement » : LibreOffice ne convertit que les DOCX dont le "
                "contenu a changé, sans compter leur génération, puis refait la fusion : le cas "
                "le plus favorable à LibreOffice (pour mémoire)."
            )
        )

    def _watch_rows(self) -> list[list[str]]:
        w = self.rebuild.watch
        if w is None:
            return [["  " + (self.rebuild.watch_skipped or "n/d"), "", ""]]
        return [
            [f"  médiane ({len(w.delays_s)} modifications)", _s(w.median_s, 3), ""],
            ["  pire", _s(w.worst_s, 3), ""],
        ]

    def _sizes_text(self) -> str:
        rows = [["", *(label for label, _ in self.sizes)]]
        rows.append(["dossier de signature fsdocs", *(_kib(s.bundle_bytes) for _, s in self.sizes)])
        rows.append(
            [
                "les mêmes pages rendues en un seul document",
                *(_kib(s.single_bytes) for _, s in self.sizes),
            ]
        )
        rows.append(
            [
                "pages (dossier / rendu unique)",
                *(f"{s.bundle_pages} / {s.single_pages}" for _, s in self.sizes),
            ]
        )
        rows.append(
            [
                f"rapport des tailles (objectif ≤ {_number(GOAL_SIZE_RATIO, 1)})",
                *(
                    f"{_number(s.ratio, 2)} {'✓' if s.ratio <= GOAL_SIZE_RATIO else '✗'}"
                    for _, s in self.sizes
                ),
            ]
        )
        return f"1 bis. Taille du dossier de signature assemblé\n{_table(rows)}"

    def _national_text(self) -> str:
        title = f"3. France entière : fsdocs national -j {self.jobs}"
        n = self.national
        if n is None:
            return f"{title}\n   {self.national_skipped}"
        pages_s = n.pages / n.build_s if n.pages is not None else None
        rows = [
            ["", "", "objectif"],
            ["durée totale", _s(n.build_s), _goal(n.build_s, GOAL_NATIONAL_S)],
            ["départements / structures", f"{n.departements} / {n.structures}", ""],
            ["pages", "n/d" if n.pages is None else _number(n.pages, 0), ""],
            ["pages par seconde", "n/d" if pages_s is None else _number(pages_s, 1), ""],
            [
                "mémoire maximale (du plus gros processus)",
                "n/d" if n.peak_mib is None else f"{_number(n.peak_mib, 0)} Mio",
                _goal(n.peak_mib, GOAL_NATIONAL_MIB, "Mio"),
            ],
            ["taille totale des PDF", f"{_number(n.pdf_bytes / 1024**2, 1)} Mio", ""],
        ]
        return f"{title}\n{_table(rows)}"

    def _commands_text(self) -> str:
        n = self.national
        rows = [
            ["", "", "objectif"],
            [
                "fsdocs national --verifier, 1re fois (crée les projets)",
                "n/d" if n is None else _s(n.preparation_s),
                "",
            ],
            [
                "fsdocs national --verifier",
                "n/d" if n is None else _s(n.verifier_s),
                _goal(n.verifier_s if n else None, GOAL_VERIFIER_S),
            ],
            ["fsdocs --help (meilleur de 5)", _s(self.help_s, 3), _goal(self.help_s, GOAL_HELP_S)],
        ]
        note = f"\n   « fsdocs national » : {self.national_skipped}" if n is None else ""
        return f"4. Commandes rapides\n{_table(rows)}{note}"

    def goals(self) -> list[Goal]:
        """Every goal of the issue, with what this run measured."""
        found = [
            Goal(f"construction à froid, {c.label} / LibreOffice", c.ratio, c.goal)
            for c in self.cold
        ]
        r = self.rebuild
        found += [
            Goal("une structure modifiée, fsdocs build / LibreOffice", r.ratio, GOAL_REBUILD_RATIO),
            Goal(
                "une structure modifiée, surveillance (médiane) / LibreOffice",
                r.watch_ratio(),
                GOAL_WATCH_RATIO,
            ),
        ]
        n = self.national
        found += [
            Goal("France entière, durée", n.build_s if n else None, GOAL_NATIONAL_S, "s"),
            Goal(
                "France entière, mémoire par processus",
                n.peak_mib if n else None,
                GOAL_NATIONAL_MIB,
                "Mio",
            ),
        ]
        found += [
            Goal(f"taille du dossier, {label} / rendu unique", s.ratio, GOAL_SIZE_RATIO)
            for label, s in self.sizes
        ]
        return found

    def json(self) -> dict[str, Any]:
        """The same figures, times rounded to the millisecond (more digits would be noise)."""
        n = self.national
        figures = {
            "machine": self.machine,
            "construction_a_froid": [
                {
                    "projet": c.label,
                    "structures": c.structures,
                    "fsdocs": _fsdocs_json(c.fsdocs),
                    "libreoffice": _route_json(c.libreoffice),
                    "ratio": c.ratio,
                    "objectif": c.goal,
                }
                for c in self.cold
            ],
            "taille_dossier": [
                {
                    "projet": label,
                    "dossier_octets": s.bundle_bytes,
                    "rendu_unique_octets": s.single_bytes,
                    "pages": s.bundle_pages,
                    "rapport": s.ratio,
                }
                for label, s in self.sizes
            ],
            "reconstruction": {
                "structure": self.rebuild.structure,
                "modification": self.rebuild.change,
                "fsdocs": _fsdocs_json(self.rebuild.fsdocs),
                "libreoffice_tout": _route_json(self.rebuild.everything),
                "libreoffice_modifies": _route_json(self.rebuild.changed),
                "ratio_build_tout": self.rebuild.ratio,
                "ratio_build_modifies": _ratio(self.rebuild.fsdocs.build_s, self.rebuild.changed),
                "surveillance": None
                if self.rebuild.watch is None
                else {
                    "delais_s": self.rebuild.watch.delays_s,
                    "mediane_s": self.rebuild.watch.median_s,
                    "pire_s": self.rebuild.watch.worst_s,
                    "ratio_mediane": self.rebuild.watch_ratio(),
                    "ratio_pire": self.rebuild.watch_ratio(worst=True),
                },
            },
            "objectifs": [goal.json() for goal in self.goals()],
            "national": None
            if n is None
            else {
                "processus": self.jobs,
                "duree_s": n.build_s,
                "pages": n.pages,
                "pages_par_s": n.pages / n.build_s if n.pages is not None else None,
                "memoire_max_mio": n.peak_mib,
                "taille_pdf_octets": n.pdf_bytes,
                "departements": n.departements,
                "structures": n.structures,
            },
            "national_saute": self.national_skipped or None,
            "verifier_preparation_s": n.preparation_s if n else None,
            "verifier_s": n.verifier_s if n else None,
            "aide_s": self.help_s,
        }
        return dict(_rounded(figures))


def _kib(size: int) -> str:
    return f"{_number(size / 1024, 0)} Kio"


def _fsdocs_rows(results: list[Fsdocs]) -> list[list[str]]:
    return [
        ["  build", *(_s(f.build_s) for f in results)],
        ["  bundle", *(_s(f.bundle_s) for f in results)],
        ["  total", *(_s(f.total_s) for f in results)],
        ["  pages du dossier de signature", *(str(f.pages) for f in results)],
    ]


def _route_rows(routes: list[Route | None]) -> list[list[str]]:
    def cells(value: Callable[[Route], str]) -> list[str]:
        return [value(r) if r is not None else "n/d" for r in routes]

    return [
        [
            "  DOCX (fsdocs, en mémoire)",
            *cells(lambda r: "non compté" if r.docx_s is None else _s(r.docx_s)),
        ],
        ["  conversion (un appel à soffice)", *cells(lambda r: _s(r.conversion_s))],
        ["  fusion (pypdf)", *cells(lambda r: _s(r.fusion_s))],
        ["  total", *cells(lambda r: _s(r.total_s))],
        ["  documents convertis / pages", *cells(lambda r: f"{r.documents} / {r.pages}")],
    ]


def _fsdocs_json(f: Fsdocs) -> dict[str, Any]:
    return {"build_s": f.build_s, "bundle_s": f.bundle_s, "total_s": f.total_s, "pages": f.pages}


def _route_json(r: Route | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {
        "docx_s": r.docx_s,
        "conversion_s": r.conversion_s,
        "fusion_s": r.fusion_s,
        "total_s": r.total_s,
        "documents": r.documents,
        "pages": r.pages,
    }


def _ratio(fsdocs_s: float, route: Route | None) -> float | None:
    return fsdocs_s / route.total_s if route is not None and route.total_s > 0 else None


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "   "
        + "   ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    )


def _number(value: float, decimals: int) -> str:
    """French: a comma for decimals, a narrow no-break space between thousands."""
    return f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")


def _s(seconds: float, decimals: int = 2) -> str:
    return f"{_number(seconds, decimals)} s"


def _goal(value: float | None, goal: float, unit: str = "s") -> str:
    """The goal, and whether ``value`` meets it (nothing to judge without a value)."""
    unit = f" {unit}" if unit else ""
    mark = "" if value is None else (" ✓" if value <= goal else " ✗")
    return f"≤ {_number(goal, 1 if goal < 10 else 0)}{unit}{mark}"


def _ratio_text(ratio: float | None, goal: float | None) -> str:
    """The ratio; with ``goal``, followed by whether it is met."""
    if ratio is None:
        return "n/d"
    mark = "" if goal is None else (" ✓" if ratio <= goal else " ✗")
    return _number(ratio, 2) + mark


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    return value


def _note(text: str) -> str:
    return textwrap.fill(text, width=100, initial_indent="   ", subsequent_indent="   ")


def machine_line(m: dict[str, Any]) -> str:
    ram = "?" if m["ram_gio"] is None else _number(m["ram_gio"], 1)
    return (
        f"Machine : {m['processeur']}, {m['coeurs']} cœurs, {ram} Gio de RAM, "
        f"Python {m['python']}, WeasyPrint {m['weasyprint']}, "
        f"{m['libreoffice'] or 'LibreOffice absent'}"
    )
