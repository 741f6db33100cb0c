"""Safe YAML loading that remembers where every value came from.

PyYAML's safe loader is used only to *compose* the node graph; values are built here so that
duplicate keys, aliases and unknown tags become located problems instead of silent surprises,
and every key path keeps the line it was written on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 40

Loc = tuple[str | int, ...]

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"

_SYNTAX_MESSAGES = {
    "found character '\\t' that cannot start any token": (
        "tabulation interdite en YAML : indentez avec des espaces"
    ),
    "mapping values are not allowed here": (
        "« : » inattendu ; mettez la valeur entre guillemets si elle contient « : »"
    ),
    "could not find expected ':'": "« : » attendu après la clé",
    "found undefined alias": "alias YAML inconnu",
    "found unknown escape character": "séquence d’échappement inconnue dans une chaîne entre guillemets",
    "did not find expected key": "clé attendue : vérifiez l’indentation",
    "did not find expected '-' indicator": "élément de liste « - » attendu : vérifiez l’indentation",
    "found unexpected end of stream": "fin de fichier inattendue (guillemet non fermé ?)",
    "expected <block end>, but found '-'": "élément de liste « - » mal indenté",
}


@dataclass(frozen=True)
class Source:
    """One loaded YAML file: its plain data and the line of every key path."""

    name: str  # shown to the user, relative to the project
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Loc) -> int | None:
        """Line of ``loc``, or of its nearest ancestor that was written in the file."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:end]))
            if line is not None:
                return line
        return None


def format_loc(loc: Loc) -> str:
    """``("gestionnaires", 2, "nom")`` → ``gestionnaires[2].nom``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def load_yaml(path: Path, name: str) -> tuple[Source | None, list[Problem]]:
    """Load one file. Returns the source (None if unusable) and the problems found."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(name, None, "", f"lecture impossible : {exc.strerror}")]
    if len(raw) > MAX_FILE_BYTES:
        size = len(raw) / 1024 / 1024
        return None, [
            Problem(
                name,
                None,
                "",
                f"fichier trop volumineux ({size:.1f} Mo) : la limite est de "
                f"{MAX_FILE_BYTES // 1024 // 1024} Mo par fichier",
            )
        ]
    return parse_yaml(raw, name)


def parse_yaml(raw: bytes, name: str) -> tuple[Source | None, list[Problem]]:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 byte order mark, as Windows editors write it: harmless
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            Problem(
                name,
                line,
                "",
                f"octet {raw[exc.start]:#04x} invalide : le fichier doit être enregistré en UTF-8",
            )
        ]
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        detail = (exc.problem or exc.context or "").strip()
        message = _SYNTAX_MESSAGES.get(detail, f"syntaxe YAML invalide ({detail})")
        return None, [
            Problem(
                name,
                mark.line + 1 if mark else None,
                "",
                message,
                column=mark.column + 1 if mark else None,
            )
        ]
    except yaml.YAMLError as exc:
        return None, [Problem(name, None, "", f"syntaxe YAML invalide ({exc})")]
    except RecursionError:
        return None, [
            Problem(name, None, "", f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux)")
        ]
    if node is None:
        return Source(name, None), []
    builder = _Builder(name)
    data = builder.build(node, ())
    return Source(name, data, builder.lines), builder.problems


class _Builder:
    """Turns a composed node graph into plain Python values, collecting problems."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.lines: dict[Loc, int] = {}
        self.problems: list[Problem] = []
        self._seen: set[int] = set()
        self._scalars = yaml.SafeLoader("")

    def problem(self, node: yaml.Node, loc: Loc, message: str) -> None:
        self.problems.append(
            Problem(self.name, node.start_mark.line + 1, format_loc(loc), message)
        )

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self.lines.setdefault(loc, node.start_mark.line + 1)
        if len(loc) > MAX_DEPTH:
            self.problem(node, loc, f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux)")
            return None
        if id(node) in self._seen:
            # Aliases (&ancre / *alias) would let a tiny file expand into billions of values.
            self.problem(node, loc, "les ancres et alias YAML (& et *) ne sont pas acceptés")
            return None
        self._seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                return self._bad_tag(node, loc)
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        return self._scalar(node, loc)

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> Any:
        if node.tag != _MAP_TAG:
            return self._bad_tag(node, loc)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                self.problem(key_node, loc, "clé invalide : une clé doit être un simple mot")
                continue
            key = key_node.value
            key_loc = (*loc, key)
            if key in result:
                first = self.lines.get(key_loc)
                self.problem(
                    key_node,
                    key_loc,
                    f"clé « {key} » en double (déjà définie ligne {first}) : "
                    "supprimez l’une des deux",
                )
                continue
            self.lines[key_loc] = key_node.start_mark.line + 1
            result[key] = self.build(value_node, key_loc)
        return result

    def _scalar(self, node: yaml.Node, loc: Loc) -> Any:
        if node.tag not in _PLAIN_TAGS:
            return self._bad_tag(node, loc)
        try:
            return self._scalars.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError) as exc:
            self.problem(node, loc, f"valeur illisible « {node.value} » ({exc})")
            return None

    def _bad_tag(self, node: yaml.Node, loc: Loc) -> None:
        self.problem(node, loc, f"étiquette YAML « {node.tag} » non autorisée")
        return None
