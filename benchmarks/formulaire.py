"""A form read from a page the way a browser sends it back: every field's name and value
(checked boxes only, the selected option, the textarea's text), fields found by their id."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

_SKIPPED = {"submit", "button", "reset", "image", "file"}


@dataclass
class Form:
    fields: list[list[str]] = field(default_factory=list)  # [name, value], in page order
    names: dict[str, int] = field(default_factory=dict)  # id -> index in fields
    buttons: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (name, value)

    def value(self, ident: str) -> str:
        return self.fields[self.names[ident]][1]

    def set(self, ident: str, value: str) -> None:
        self.fields[self.names[ident]][1] = value

    def submitted(self, button: str) -> list[tuple[str, str]]:
        """What the browser posts when ``button`` (an id) is pressed."""
        sent = [(name, value) for name, value in self.fields]
        name, value = self.buttons.get(button, ("", ""))
        return [*sent, (name, value)] if name else sent


class _Reader(HTMLParser):
    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.found = False
        self.form = Form()
        self.text: list[str] | None = None  # a textarea's content being read
        self.select: int | None = None  # the select being read (index in fields)
        self.select_seen = False
        self._pending: dict[str, str | None] = {}  # the textarea's attributes

    def _add(self, attrs: dict[str, str | None], value: str) -> int | None:
        name = attrs.get("name")
        if not name:
            return None
        self.form.fields.append([name, value])
        index = len(self.form.fields) - 1
        if attrs.get("id"):
            self.form.names[str(attrs["id"])] = index
        return index

    def handle_starttag(self, tag: str, pairs: list[tuple[str, str | None]]) -> None:
        attrs = dict(pairs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = self.found = True
        if not self.inside or "disabled" in attrs:
            return
        kind = (attrs.get("type") or "text").lower()
        if tag == "input" and kind in {"checkbox", "radio"}:
            if "checked" in attrs:
                self._add(attrs, attrs.get("value") or "on")
        elif tag == "input" and kind not in _SKIPPED:
            self._add(attrs, attrs.get("value") or "")
        elif tag in {"button", "input"} and attrs.get("id") and attrs.get("name"):
            self.form.buttons[str(attrs["id"])] = (str(attrs["name"]), attrs.get("value") or "")
        elif tag == "textarea":
            self.text = []
            self._pending = attrs
        elif tag == "select":
            self.select = self._add(attrs, "")
            self.select_seen = False
        elif tag == "option" and self.select is not None:
            # The selected option, else the first one.
            if "selected" in attrs or not self.select_seen:
                self.form.fields[self.select][1] = attrs.get("value") or ""
            self.select_seen = True

    def handle_data(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.text is not None:
            self._add(self._pending, "".join(self.text).removeprefix("\n"))
            self.text = None
        elif tag == "select":
            self.select = None


def read_form(page: str, form_id: str) -> Form:
    reader = _Reader(form_id)
    reader.feed(page)
    reader.close()
    if not reader.found:
        raise ValueError(f"pas de formulaire #{form_id} dans la page")
    return reader.form
