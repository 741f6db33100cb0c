"""The YAML node graph, composed with limits and built into plain values with a line for
every key path: aliases, duplicate keys and unknown tags become located problems.

Used by :mod:`fsdocs.project.load`, which reads the files and reports what cannot be read.
"""

from __future__ import annotations

import calendar
import re
from typing import Any

import yaml

from fsdocs.errors import Problem

MAX_DEPTH = 40  # nested lists and blocks; a convention needs 5
MAX_ALIASES = 20  # each one is reported; past this, reading stops (a « billion laughs »)

Loc = tuple[str | int, ...]

_YAML = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _TIMESTAMP = (f"{_YAML}{t}" for t in ("str", "int", "float", "timestamp"))
_PLAIN_TAGS = {_STR, _INT, _FLOAT, _TIMESTAMP, f"{_YAML}bool", f"{_YAML}null"}
_MAP_TAG = f"{_YAML}map"
_SEQ_TAG = f"{_YAML}seq"
_MERGE_TAG = f"{_YAML}merge"
_NOT_A_NUMBER = re.compile(r"[-+]?0[0-9_]+|.*:.*")  # octal or base-60 in YAML 1.1
_ISO_DATE = re.compile(r"(\d{4})-(\d\d?)-(\d\d?)")
_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

ALIAS_MESSAGE = (
    "les ancres et alias YAML (« & » et « * ») ne sont pas acceptés : recopiez la valeur "
    "à chaque endroit où elle sert"
)


def format_loc(loc: Loc) -> str:
    """``("gestionnaires", 2, "nom")`` → ``gestionnaires[2].nom``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def date_message(text: str, parts: tuple[int, int, int] | None = None) -> str:
    """Why ``text``, written like a date, is not one, and how to write it.

    ``parts`` (year, month, day) are read from ``text`` when it is written AAAA-MM-JJ.
    """
    found = _ISO_DATE.match(text)
    if parts is None and found:
        parts = (int(found[1]), int(found[2]), int(found[3]))
    if parts is not None:
        year, month, day = parts
        if not 1 <= month <= 12:
            return f"date impossible « {text} » : le mois {month} n’existe pas (AAAA-MM-JJ)"
        days = calendar.monthrange(year, month)[1]
        if not 1 <= day <= days:
            return (
                f"date impossible « {text} » : {_MONTHS[month - 1]} {year} n’a que {days} "
                "jours ; corrigez le jour (AAAA-MM-JJ)"
            )
    return f"date ou heure impossible « {text} » : écrivez la date AAAA-MM-JJ, ex. 2020-02-06"


class _AliasNode(yaml.ScalarNode):
    """Where a ``*alias`` was written; its value is the anchor's name."""


class Stopped(Exception):
    """Reading stopped at a place: too deep, or too many aliases. Internal control flow:
    :func:`fsdocs.project.load.parse_yaml` turns it into a located Problem."""

    def __init__(self, mark: yaml.Mark, loc: Loc, message: str) -> None:
        super().__init__(message)
        self.line, self.column = mark.line + 1, mark.column + 1
        self.loc, self.message = loc, message


class Composer(yaml.SafeLoader):
    """SafeLoader's composer, except that each ``*alias`` becomes a marker node at its own place,
    and that reading stops past ``MAX_DEPTH`` levels or ``MAX_ALIASES`` aliases.

    PyYAML would hand back the anchored node itself: the alias's position would be lost, and a
    tiny file could expand into billions of values when built. Its composer recurses once per
    level: 10,000 nested « [ » would overflow Python's stack.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        # Key or index of each node being composed; None for the root and for keys.
        self._steps: list[str | int | None] = []
        self._aliases = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        step = index.value if isinstance(index, yaml.ScalarNode) else index
        self._steps.append(step if isinstance(step, str | int) else None)
        try:
            return self._compose(parent, index)
        finally:
            self._steps.pop()

    def _compose(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        loc = tuple(step for step in self._steps if step is not None)
        mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]  # untyped stubs
        if len(self._steps) > MAX_DEPTH + 1:  # the document's root is not a level
            raise Stopped(
                mark,
                loc[:1],  # the top-level key it is under: the rest is forty brackets deep
                f"imbrication trop profonde : plus de {MAX_DEPTH} niveaux de listes ou de blocs "
                "(une convention en demande au plus 5) ; vérifiez les « [ », « { » et "
                "l’indentation",
            )
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise Stopped(
                    mark,
                    loc,
                    f"plus de {MAX_ALIASES} alias « * » : lecture arrêtée ; {ALIAS_MESSAGE}",
                )
            event = self.get_event()  # type: ignore[no-untyped-call]  # untyped in the stubs
            return _AliasNode("", event.anchor, event.start_mark, event.end_mark)
        # PyYAML's composer (named, not super(): the fast composer borrows this method).
        return yaml.composer.Composer.compose_node(self, parent, index)  # type: ignore[arg-type]


# libyaml's scanner and parser, when PyYAML was built with it (as its wheels are), three times
# faster than PyYAML's own, which took 80 % of « fsdocs controler » on a country's 2,845 files.
# The composer stays PyYAML's Python one, with the limits above (first in the bases' order).
_PARSER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FastComposer(yaml.composer.Composer, _PARSER):  # type: ignore[misc]
    def __init__(self, stream: str) -> None:
        _PARSER.__init__(self, stream)
        yaml.composer.Composer.__init__(self)
        self._steps: list[str | int | None] = []
        self._aliases = 0

    compose_node = Composer.compose_node
    _compose = Composer._compose


class Builder:
    """Turns a composed node graph into plain Python values, collecting problems."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.lines: dict[Loc, int] = {}
        self.texts: dict[Loc, str] = {}
        self.rejected: set[Loc] = set()
        self.problems: list[Problem] = []
        self._scalars = yaml.SafeLoader("")

    def reject(self, node: yaml.Node, loc: Loc, message: str) -> None:
        """Report ``message`` at ``loc`` (on its key's line when it has one); value is None."""
        line = self.lines.get(loc, node.start_mark.line + 1)
        self.problems.append(Problem(self.name, line, format_loc(loc), message))
        self.rejected.add(loc)

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self.lines.setdefault(loc, node.start_mark.line + 1)
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
            bad_key = _bad_key(key_node)
            if bad_key:
                line = key_node.start_mark.line + 1
                self.problems.append(Problem(self.name, line, format_loc(loc), bad_key))
                continue
            key = key_node.value
            key_loc = (*loc, key)
            if key in result:
                first = self.lines.get(key_loc)
                self.problems.append(
                    Problem(
                        self.name,
                        key_node.start_mark.line + 1,
                        format_loc(key_loc),
                        f"clé « {key} » en double (déjà écrite ligne {first}) : une clé ne "
                        "s’écrit qu’une fois par bloc ; supprimez ou renommez l’une des deux",
                    )
                )
                continue
            self.lines[key_loc] = key_node.start_mark.line + 1
            result[key] = self.build(value_node, key_loc)
        return result

    def _scalar(self, node: yaml.Node, loc: Loc) -> Any:
        if isinstance(node, _AliasNode):
            self.reject(node, loc, f"alias « *{node.value} » refusé : {ALIAS_MESSAGE}")
            return None
        if node.tag not in _PLAIN_TAGS:
            return self._bad_tag(node, loc)
        text = str(node.value)
        if node.tag in {_INT, _FLOAT} and _NOT_A_NUMBER.fullmatch(text):
            return text
        try:
            value = self._scalars.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError):
            # Only a timestamp can fail: YAML's pattern admits 2020-02-30 and 2020-13-01.
            message = (
                date_message(text) if node.tag == _TIMESTAMP else f"valeur « {text} » illisible"
            )
            self.reject(node, loc, message)
            return None
        if value is not None and node.tag != _STR:
            self.texts[loc] = text
        return value

    def _bad_tag(self, node: yaml.Node, loc: Loc) -> None:
        self.reject(node, loc, f"étiquette YAML « {_show_tag(node.tag)} » refusée : {_NO_TAGS}")
        return None


_NO_TAGS = (
    "fsdocs ne lit que du texte, des nombres, des dates, des listes et des clés ; "
    "supprimez l’étiquette (ce qui commence par « ! »)"
)


def _bad_key(node: yaml.Node) -> str | None:
    if isinstance(node, _AliasNode):
        return f"alias « *{node.value} » employé comme clé : {ALIAS_MESSAGE}"
    if node.tag == _MERGE_TAG:
        return f"fusion « <<: » refusée : {ALIAS_MESSAGE}"
    if not isinstance(node, yaml.ScalarNode):
        return "clé invalide : une clé est un simple mot suivi de « : » (ex. « nom: »)"
    if node.tag not in _PLAIN_TAGS:
        return f"étiquette YAML « {_show_tag(node.tag)} » refusée : {_NO_TAGS}"
    return None


def _show_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_YAML) if tag.startswith(_YAML) else tag
