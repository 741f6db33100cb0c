"""Safe YAML loading that remembers where every value came from.

PyYAML's safe loader is used only to *compose* the node graph; values are built here so that
duplicate keys, aliases and unknown tags become located problems instead of silent surprises,
and every key path keeps the line it was written on.

Two readings of YAML 1.1 are refused on purpose because nobody writing a convention means
them: ``0254453454`` is not an octal number and ``9:30`` is not 570 in base 60; both stay text,
exactly as written.
"""

from __future__ import annotations

import calendar
import errno
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from fsdocs.errors import Problem

# Limits that keep a hostile or mistaken file from hanging fsdocs or exhausting memory. The
# largest file of a real convention is a few kilobytes; PyYAML's pure-Python parser (needed to
# keep every node's position) reads about 0.3 Mo a second.
MAX_FILE_BYTES = 1024 * 1024
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


@dataclass(frozen=True)
class Source:
    """One loaded YAML file: its plain data and the line of every key path."""

    name: str  # shown to the user, relative to the project
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)
    # Scalars that YAML read as something other than text (number, date, yes/no), as written.
    texts: dict[Loc, str] = field(default_factory=dict)
    # Values the loader already reported and replaced by None: validation stays silent there.
    rejected: frozenset[Loc] = frozenset()

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
        mode = path.stat().st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):  # open() explains a folder
            # A device (/dev/zero) never ends and a named pipe blocks: neither is read.
            return None, [Problem(name, None, "", _NOT_REGULAR)]
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)  # the file may grow after stat()
            size = max(path.stat().st_size, len(raw))
    except OSError as exc:
        return None, [Problem(name, None, "", os_message(exc))]
    if size > MAX_FILE_BYTES:
        return None, [Problem(name, None, "", too_large_message(size))]
    return parse_yaml(raw, name)


def too_large_message(size: int) -> str:
    """Why a file of ``size`` bytes is not read, in French units (1 Mo = 1 048 576 octets)."""
    limit = MAX_FILE_BYTES // 1024 // 1024
    megabytes = max(round(size / 1024 / 1024, 1), limit + 0.1)  # never rounded down to the limit
    return (
        f"fichier trop volumineux : {megabytes:.1f} Mo, la limite est {limit} Mo ; un fichier "
        "de convention fait quelques kilo-octets : vérifiez qu’il s’agit du bon fichier"
    ).replace(".", ",", 1)


_NOT_REGULAR = (
    "ce n’est pas un fichier ordinaire (périphérique, tube ou socket) : remplacez-le par un "
    "fichier YAML"
)


def os_message(exc: OSError) -> str:
    """Why a file could not be read, in French (the system's own words are English)."""
    reasons = {
        errno.ENOENT: "fichier introuvable",
        errno.EACCES: "lecture refusée : droits insuffisants sur ce fichier",
        errno.EPERM: "lecture refusée : droits insuffisants sur ce fichier",
        errno.EISDIR: "c’est un dossier, pas un fichier YAML : renommez-le ou déplacez-le",
        errno.ELOOP: "lien symbolique qui boucle sur lui-même",
    }
    return reasons.get(exc.errno or 0, f"lecture impossible (erreur système n° {exc.errno})")


def parse_yaml(raw: bytes, name: str) -> tuple[Source | None, list[Problem]]:
    """Parse the bytes of one file shown to the user as ``name``; see ``load_yaml``."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 byte order mark, as Windows editors write it: harmless
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [_encoding_problem(raw, exc, name)]
    try:
        try:
            node = yaml.compose(text, Loader=_FastComposer)
        except yaml.YAMLError:
            # libyaml words its errors (and places some) its own way: the messages users get
            # are made from PyYAML's, so a file in error is read again by it.
            node = yaml.compose(text, Loader=_Composer)
    except _Stopped as exc:
        return None, [Problem(name, exc.line, format_loc(exc.loc), exc.message, column=exc.column)]
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, name)]
    except yaml.reader.ReaderError as exc:
        return None, [_reader_problem(text, exc, name)]
    except yaml.YAMLError:
        return None, [Problem(name, None, "", _SYNTAX_FALLBACK)]
    if node is None:
        return Source(name, None), []
    builder = _Builder(name)
    data = builder.build(node, ())
    source = Source(name, data, builder.lines, builder.texts, frozenset(builder.rejected))
    return source, builder.problems


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


class _Stopped(Exception):
    """Reading stopped at a place: too deep, or too many aliases."""

    def __init__(self, mark: yaml.Mark, loc: Loc, message: str) -> None:
        super().__init__(message)
        self.line, self.column = mark.line + 1, mark.column + 1
        self.loc, self.message = loc, message


class _Composer(yaml.SafeLoader):
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
            raise _Stopped(
                mark,
                loc[:1],  # the top-level key it is under: the rest is forty brackets deep
                f"imbrication trop profonde : plus de {MAX_DEPTH} niveaux de listes ou de blocs "
                "(une convention en demande au plus 5) ; vérifiez les « [ », « { » et "
                "l’indentation",
            )
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise _Stopped(
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


class _FastComposer(yaml.composer.Composer, _PARSER):  # type: ignore[misc]
    def __init__(self, stream: str) -> None:
        _PARSER.__init__(self, stream)
        yaml.composer.Composer.__init__(self)
        self._steps: list[str | int | None] = []
        self._aliases = 0

    compose_node = _Composer.compose_node
    _compose = _Composer._compose


class _Builder:
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
