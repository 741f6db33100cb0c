"""The one error hierarchy of fsdocs, and the located problems that validation collects.

The core raises; only the CLI prints and chooses an exit code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "erreur"
    WARNING = "avertissement"


@dataclass(frozen=True, order=True)
class Problem:
    """One finding about the user's data, located as precisely as the YAML allows."""

    file: str  # relative to the project, with forward slashes
    line: int | None  # 1-based; None when the whole file is concerned
    path: str  # key path such as ``gestionnaires[2].representant.nom``, or ""
    message: str  # French, says what was expected, what was found, how to fix it
    severity: Severity = Severity.ERROR
    column: int | None = None
    # Set for the convention's own rules (fsdocs.rules.engine): the article it comes from ("4.2")
    # and
    # the rule's id, so a reader can look the article up and a tool can filter by rule.
    article: str | None = None
    regle: str | None = None
    # Set for a fact still to fill in (fsdocs.wording.completeness): its kind (``agents``),
    # and how many times the signature dossier prints it « [à compléter] » (0: nowhere).
    groupe: str | None = None
    mentions: int = 0

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {self.path}:" if self.path else ""
        tag = "" if self.severity is Severity.ERROR else " avertissement :"
        article = f" [art. {self.article}]" if self.article else ""
        return f"{where}:{field}{tag} {self.message}{article}"

    def as_dict(self) -> dict[str, str | int | None]:
        """The stable JSON form (``fsdocs controler --format json``): same facts as ``str()``."""
        return {
            "fichier": self.file,
            "ligne": self.line,
            "colonne": self.column,
            "champ": self.path or None,
            "message": self.message,
            "gravite": self.severity.value,
            "article": self.article,
            "regle": self.regle,
            "groupe": self.groupe,
            "mentions": self.mentions,
        }


class FsdocsError(Exception):
    """Base of every error fsdocs reports to its user. Messages are French."""

    exit_code = 1


class ProjectError(FsdocsError):
    """The project's data is invalid; carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems, key=problem_order)
        errors = sum(1 for p in self.problems if p.severity is Severity.ERROR)
        super().__init__(f"{errors} erreur{'s' if errors > 1 else ''} dans le projet.")


class IncompleteProjectError(FsdocsError):
    """Facts still to fill in would print « [à compléter] » in the signature dossier."""

    def __init__(self, problems: Iterable[Problem], message: str) -> None:
        self.problems = sorted(problems, key=problem_order)
        super().__init__(message)


class ProjectNotFoundError(FsdocsError):
    """No fsdocs project at the given place."""


class UnsafeResourceError(FsdocsError):
    """A template or stylesheet asked for a resource outside the project's templates."""


class RenderError(FsdocsError):
    """A template could not be rendered (syntax error, unknown variable, bad layout)."""


class OutputError(FsdocsError):
    """An output file could not be written, or would land outside ``output/``."""


class SignedDossierError(OutputError):
    """The dossier in ``output/`` carries a signature: making a new one would replace it."""


class VersionError(FsdocsError):
    """The version store cannot be read or written, or another recording holds it."""


class ImportationError(FsdocsError):
    """The list cannot be merged into this project (wrong département, unreadable files…)."""


class ListeError(FsdocsError):
    """The list cannot be read: missing file, unknown layout, missing columns, no such code."""


class UnreadableFileError(FsdocsError):
    """A file fsdocs was given cannot be read safely: missing, not a regular file, outside the
    project, too large."""

    def __init__(self, fichier: str, raison: str) -> None:
        self.fichier = fichier
        self.raison = raison
        super().__init__(f"{fichier} : {raison}")


class ProjectBusyError(FsdocsError):
    """Another fsdocs command is changing the project (build, bundle, version, import)."""


class InitError(FsdocsError):
    """``fsdocs creer`` cannot create the project (unknown département, existing project…)."""


def problem_order(problem: Problem) -> tuple[str, int, str]:
    return (problem.file, problem.line or 0, problem.path)
