"""Round-trip editing of YAML files that people also edit by hand.

A document is loaded with ruamel.yaml, which keeps its comments, blank lines, key order and
quoting; values are then set one key path at a time, a new key taking its place in the model's
order, and the document is dumped back. What was not set comes out as it was written. A value
is written so that fsdocs' own reader (PyYAML) reads it back unchanged. Each key may carry a
comment of the tool's own (a note); a comment a person wrote on the same line stays.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString
from ruamel.yaml.tokens import CommentToken

# Key path of a mapping (``()`` for the top) → the order of its keys in the model.
Order = Mapping[tuple[str, ...], Sequence[str]]


def load_document(text: str) -> Any:
    """``text`` as a round-trip document; raises ruamel's ``YAMLError``."""
    return _yaml().load(text)


def dump_document(doc: Any) -> str:
    stream = io.StringIO()
    _yaml().dump(doc, stream)
    return stream.getvalue()


def get_value(data: Any, path: str) -> Any:
    """The value at dotted ``path`` (``adresse.voie``) in nested mappings; None if absent."""
    for key in path.split("."):
        data = data.get(key) if isinstance(data, dict) else None
    return data


def set_value(
    doc: Any,
    path: str,
    value: Any,
    note: str | None,
    *,
    order: Order | None = None,
    owned: tuple[str, ...] = (),
    indent: int = 0,
) -> None:
    """Set ``path`` in ``doc``, a new key in its place in ``order``, with ``note``.

    A key that ``order`` does not know goes last. ``owned`` are the prefixes of the notes this
    tool writes: such a note is replaced, any other comment is kept. ``indent`` is the column
    of ``doc``'s keys, for notes to line up after the value.
    """
    order = order or {}
    *parents, key = path.split(".")
    for depth, parent in enumerate(parents):
        if not isinstance(doc.get(parent), CommentedMap):
            _insert(doc, parent, CommentedMap(), order.get(tuple(parents[:depth]), ()))
        doc = doc[parent]
    _insert(doc, key, _scalar(value), order.get(tuple(parents), ()))
    written = _written(doc[key])
    text = f"{key}:{' ' if written else ''}{written}"
    _note(doc, key, note, owned, indent + 2 * len(parents) + len(text) + 2)


def delete_value(doc: Any, path: str) -> bool:
    """Remove the key at dotted ``path`` (whether it was there); a mapping left empty goes
    with it. The key's own end-of-line comment goes; the comments and blank lines that
    introduce the keys after it stay where they were."""
    *parents, key = path.split(".")
    chain = [doc]
    for parent in parents:
        if not isinstance(chain[-1].get(parent), CommentedMap):
            return False
        chain.append(chain[-1][parent])
    mapping = chain[-1]
    if key not in mapping:
        return False
    left = _remove(mapping, key)
    for parent, holder in zip(reversed(parents), reversed(chain[:-1]), strict=True):
        if holder[parent]:
            break
        left = _remove(holder, parent, left)
    return True


def _remove(doc: CommentedMap, key: str, carried: str = "") -> str:
    """Remove ``key``, its followers' comments (and ``carried``) kept; what could not be
    placed in ``doc`` (it is left empty) is returned."""
    token = _token(doc, key)
    _, _, rest = token.value.partition("\n") if token else ("", "", "")
    rest += carried
    keys = list(doc)
    previous = keys[keys.index(key) - 1] if keys.index(key) else None
    del doc[key]
    doc.ca.items.pop(key, None)
    if not rest:
        return ""
    if previous is None:  # first key: its followers' comments go before the next key
        after = list(doc)
        if not after:
            return rest
        _put_before(doc, after[0], rest)
        return ""
    holder, last = _deepest(doc, previous)
    old = _token(holder, last)
    if old is None:
        _put(holder, last, "\n" + rest, 0)
    else:
        old.value = old.value + rest if old.value.endswith("\n") else old.value + "\n" + rest
    return ""


def _put_before(doc: CommentedMap, key: str, text: str) -> None:
    lines = text.rstrip("\n").split("\n")
    tokens = [CommentToken(line + "\n", CommentMark(0)) for line in lines]
    doc.ca.items.setdefault(key, [None, None, None, None])[1] = tokens


def _deepest(doc: CommentedMap, key: str) -> tuple[CommentedMap, str]:
    """Where the comments after ``key``'s value are kept: on the last key of its nested
    mappings, if it has any."""
    value = doc[key]
    if isinstance(value, CommentedSeq) and value and isinstance(value[-1], CommentedMap):
        value = value[-1]
    if isinstance(value, CommentedMap) and value:
        return _deepest(value, list(value)[-1])
    return doc, key


def set_items(
    doc: Any,
    path: str,
    items: Sequence[tuple[int | None, Mapping[str, Any]]],
    order: Sequence[str] = (),
    *,
    parent_order: Order | None = None,
) -> None:
    """Make the list of mappings at dotted ``path`` hold ``items``: each ``(origin, values)``
    is the item that was at index ``origin`` (None: a new one) with the keys ``values``
    gives; an old item no longer listed is removed. An item kept is edited in place (its
    comments and unchanged keys stay); no item at all removes the key."""
    if not items:
        delete_value(doc, path)
        return
    *parents, key = path.split(".")
    holder = doc
    for parent in parents:
        holder = holder[parent]
    old = holder.get(key) if isinstance(holder, CommentedMap) else None
    seq = old if isinstance(old, CommentedSeq) else CommentedSeq()
    kept = {origin for origin, _ in items if origin is not None}
    originals = list(seq)
    for index in sorted(set(range(len(seq))) - kept, reverse=True):
        del seq[index]
    for origin, values in items:
        item = originals[origin] if origin is not None and origin < len(originals) else None
        if not isinstance(item, CommentedMap):
            item = CommentedMap()
            seq.append(item)
        for name in [k for k in item if k not in values]:
            _remove(item, name)
        for name, value in values.items():
            if name not in item or item[name] != value:
                _insert(item, name, _scalar(value), order)
    if seq is not old:
        if key not in holder:
            set_value(doc, path, None, None, order=parent_order)
        holder[key] = seq


def _yaml() -> YAML:
    y = YAML()
    y.preserve_quotes = True
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 4096  # never fold a long line: people edit these files
    y.representer.add_representer(
        type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "~")
    )
    return y


def _insert(doc: CommentedMap, key: str, value: Any, order: Sequence[str]) -> None:
    if key in doc:
        doc[key] = value
        return
    position = len(doc)  # a key the order does not know goes last
    if key in order:
        before = [k for k in doc if k in order and order.index(k) < order.index(key)]
        position = list(doc).index(before[-1]) + 1 if before else 0
    previous = list(doc)[position - 1] if position else None
    doc.insert(position, key, value)
    token = _token(doc, previous) if previous is not None else None
    if token is not None and not isinstance(value, CommentedMap):
        # Blank lines and comments after the previous key introduce the keys that follow.
        first, newline, rest = token.value.partition("\n")
        if rest:
            token.value = first + newline
            _put(doc, key, newline + rest, token.column)


def _token(doc: CommentedMap, key: str) -> Any:
    items = doc.ca.items.get(key)
    return items[2] if items and len(items) > 2 else None


def _put(doc: CommentedMap, key: str, value: str, column: int) -> None:
    doc.ca.items.setdefault(key, [None, None, None, None])[2] = CommentToken(
        value, CommentMark(column)
    )


def _note(
    doc: CommentedMap, key: str, note: str | None, owned: tuple[str, ...], column: int
) -> None:
    """Replace the tool's own comment on ``key``; a person's comment stays."""
    token = _token(doc, key)
    first, newline, rest = token.value.partition("\n") if token else ("", "\n", "")
    mine = first.strip().startswith(tuple(f"# {prefix}" for prefix in owned))
    if first.strip() and not mine:  # a person's comment: moved aside if the value grew
        _put(doc, key, token.value, max(token.column, column))
        return
    if note is None and token is None:
        return
    _put(doc, key, (f"# {note}" if note else "") + newline + rest, column)


def _scalar(value: Any) -> Any:
    """``value`` as YAML writes it so that fsdocs reads it back unchanged."""
    if not isinstance(value, str) or isinstance(value, DoubleQuotedScalarString):
        return value
    if "\n" in value:
        return LiteralScalarString(value)
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed: faster
        plain = yaml.load(f"k: {value}", Loader=loader) == {"k": value} and "#" not in value
    except yaml.YAMLError:
        plain = False
    return value if plain else DoubleQuotedScalarString(value)


def _written(value: Any) -> str:
    if value is None:
        return "~"
    if isinstance(value, DoubleQuotedScalarString):
        return f'"{value}"'
    return "" if isinstance(value, CommentedMap) else str(value).split("\n")[0]
