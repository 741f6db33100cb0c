"""Safe YAML loading that remembers where every value came from.

PyYAML's safe loader is used only to *compose* the node graph; values are built here so that
duplicate keys, aliases and unknown tags become located problems instead of silent surprises,
and every key path keeps the line it was written on.

Two readings of YAML 1.1 are refused on purpose because nobody writing a convention means
them: ``0254453454`` is not an octal number and ``9:30`` is not 570 in base 60; both stay text,
exactly as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from fsdocs.errors import Problem, UnreadableFileError
from fsdocs.files.read import LIMITS, Files, Kind
from fsdocs.project.yaml_nodes import (
    ALIAS_MESSAGE,
    Builder,
    Composer,
    FastComposer,
    Loc,
    Stopped,
    format_loc,
)

# The largest file of a real convention is a few kilobytes; PyYAML's pure-Python parser (needed
# to keep every node's position) reads about 0.3 Mo a second.
MAX_FILE_BYTES = LIMITS[Kind.YAML]


@dataclass(frozen=True)
class Source:
    """One loaded YAML file: its bytes, its plain data and the line of every key path."""

    name: str  # shown to the user, relative to the project
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)
    # Scalars that YAML read as something other than text (number, date, yes/no), as written.
    texts: dict[Loc, str] = field(default_factory=dict)
    # Values the loader already reported and replaced by None: validation stays silent there.
    rejected: frozenset[Loc] = frozenset()
    raw: bytes = field(default=b"", repr=False)  # the bytes read, as a version records them

    def line_of(self, loc: Loc) -> int | None:
        """Line of ``loc``, or of its nearest ancestor that was written in the file."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:end]))
            if line is not None:
                return line
        return None


def load_yaml(files: Files, name: str) -> tuple[Source | None, list[Problem]]:
    """Load file ``name`` of ``files`` (read through the guard: a regular file of the project,
    under the size limit). Returns the source (None if unusable) and the problems found."""
    try:
        raw = files.read(name, Kind.YAML)
    except UnreadableFileError as exc:
        return None, [Problem(name, None, "", exc.raison)]
    return parse_yaml(raw, name)


def parse_yaml(raw: bytes, name: str) -> tuple[Source | None, list[Problem]]:
    """Parse the bytes of one file shown to the user as ``name``; see ``load_yaml``."""
    original = raw
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 byte order mark, as Windows editors write it: harmless
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [_encoding_problem(raw, exc, name)]
    try:
        try:
            node = yaml.compose(text, Loader=FastComposer)
        except yaml.YAMLError:
            # libyaml words its errors (and places some) its own way: the messages users get
            # are made from PyYAML's, so a file in error is read again by it.
            node = yaml.compose(text, Loader=Composer)
    except Stopped as exc:
        return None, [Problem(name, exc.line, format_loc(exc.loc), exc.message, column=exc.column)]
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, name)]
    except yaml.reader.ReaderError as exc:
        return None, [_reader_problem(text, exc, name)]
    except yaml.YAMLError:
        return None, [Problem(name, None, "", _SYNTAX_FALLBACK)]
    if node is None:
        return Source(name, None, raw=original), []
    builder = Builder(name)
    data = builder.build(node, ())
    source = Source(name, data, builder.lines, builder.texts, frozenset(builder.rejected), original)
    return source, builder.problems


def _encoding_problem(raw: bytes, exc: UnicodeDecodeError, name: str) -> Problem:
    line_start = raw.rfind(b"\n", 0, exc.start) + 1
    column = len(raw[line_start : exc.start].decode("utf-8")) + 1
    byte = raw[exc.start : exc.start + 1]
    guess = byte.decode("cp1252", errors="replace")
    looks = f" (« {guess} » en Windows-1252)" if guess.isprintable() and guess != "\ufffd" else ""
    return Problem(
        name,
        raw[: exc.start].count(b"\n") + 1,
        "",
        f"octet 0x{byte.hex().upper()}{looks} illisible : le fichier n’est pas enregistré en "
        "UTF-8 ; réenregistrez-le en UTF-8 depuis votre éditeur",
        column=column,
    )


def _reader_problem(text: str, exc: yaml.reader.ReaderError, name: str) -> Problem:
    position = int(exc.position)
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return Problem(
        name,
        line,
        "",
        f"caractère de contrôle U+{int(exc.character):04X} interdit : supprimez-le (il est "
        "invisible et vient souvent d’un copier-coller)",
        column=column,
    )


_SYNTAX_FALLBACK = (
    "syntaxe YAML invalide à cet endroit : vérifiez l’indentation (des espaces, alignés), "
    "le « : » après chaque clé et les guillemets"
)


def _syntax_problem(exc: yaml.MarkedYAMLError, name: str) -> Problem:
    problem, context = exc.problem or "", exc.context or ""
    at_context = False
    quoted = re.findall(r"'(.*?)'", problem)
    token = quoted[-1] if quoted else ""
    if "'\\t'" in problem:
        message = (
            "tabulation trouvée : YAML n’accepte que des espaces pour indenter ; remplacez la "
            "tabulation par des espaces"
        )
    elif "cannot start any token" in problem:
        message = (
            f"« {token} » ne peut pas commencer une valeur : mettez la valeur entre guillemets "
            f'(« "{token}…" »)'
        )
    elif problem == "mapping values are not allowed here":
        message = (
            "« : » inattendu : si la valeur contient « : », mettez-la entre guillemets ; "
            "sinon vérifiez l’indentation"
        )
    elif "escape character" in problem:
        message = (
            f"« \\{token} » inconnu entre guillemets doubles : écrivez « \\\\ » pour une barre "
            "oblique inverse, ou mettez la valeur entre guillemets simples"
        )
    elif "quoted scalar" in context:
        at_context = True
        message = (
            "guillemet ouvert ici mais jamais fermé : ajoutez le guillemet fermant à la fin "
            "de la valeur"
        )
    elif problem == "could not find expected ':'":
        at_context = True
        message = (
            "« : » manquant : chaque ligne est « clé: valeur » (avec une espace après « : ») "
            "ou un élément de liste « - … »"
        )
    elif problem.startswith("expected <block end>, but found '-'"):
        message = (
            "élément de liste « - » inattendu : alignez-le sur les autres éléments de la liste, "
            "sous la clé qui l’annonce"
        )
    elif problem.startswith("expected <block end>, but found '<scalar>'"):
        message = (
            "texte inattendu après la valeur : si elle commence par un guillemet, mettez-la "
            "entièrement entre guillemets ; sinon vérifiez l’indentation"
        )
    elif problem.startswith("expected <block end>"):
        message = (
            "indentation incohérente : alignez cette ligne sur les clés de même niveau "
            "(même nombre d’espaces en début de ligne)"
        )
    elif problem.startswith(("expected ',' or ']'", "expected ',' or '}'")):
        at_context = True
        bracket = "[" if "]" in problem else "{"
        closing = "]" if bracket == "[" else "}"
        message = (
            f"« {bracket} » ouvert ici mais jamais fermé : ajoutez « {closing} », ou mettez la "
            "valeur entre guillemets"
        )
    elif problem.startswith("expected the node content"):
        message = f"« {token} » inattendu : mettez la valeur entre guillemets"
    elif "anchor" in context or "alias" in context or "anchor" in problem or "alias" in problem:
        message = ALIAS_MESSAGE
    elif "single document" in context:
        message = (
            "un seul document YAML par fichier : supprimez la ligne « --- » et réunissez les "
            "deux parties"
        )
    elif "block scalar" in context:
        message = "bloc de texte mal formé : rien ne doit suivre « | » ou « > » sur sa ligne"
    elif "directive" in problem or "directive" in context:
        message = "directive YAML (ligne commençant par « % ») refusée : supprimez la ligne"
    else:
        message = _SYNTAX_FALLBACK
    mark = exc.context_mark if at_context and exc.context_mark else exc.problem_mark
    mark = mark or exc.context_mark
    return Problem(
        name,
        mark.line + 1 if mark else None,
        "",
        message,
        column=mark.column + 1 if mark else None,
    )
