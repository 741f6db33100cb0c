"""The HTML previews of ``output/``, readable on their own: the stylesheet is in the page
already, and its fonts, which it names relative to the templates (``../assets/fonts/…``, a
folder ``output/`` does not have), are put in it as ``data:`` URIs, each cut to the
characters of the page (HarfBuzz: about 15 Ko a face instead of 270 Ko), so that a preview
can be opened, mailed or archived alone and shows the documents' typeface.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

from fsdocs.errors import RenderError, UnsafeResourceError

# url("../assets/fonts/Inter-Bold.otf") in the stylesheet: the only files it points at.
_FONT_URL = re.compile(r"""url\((["']?)\.\./(assets/fonts/[A-Za-z0-9._-]+\.[ot]tf)\1\)""")
_TYPES = {".otf": "font/otf", ".ttf": "font/ttf"}


def self_contained(html: str, dirs: list[Path]) -> str:
    """``html`` with each font of its stylesheet embedded (the first template directory that
    has it, as WeasyPrint finds it)."""
    from fsdocs.pdf.harfbuzz import subset_text

    embedded: dict[str, str] = {}

    def embed(match: re.Match[str]) -> str:
        name = match.group(2)
        if name not in embedded:
            font = _font(dirs, name)
            data = subset_text(font, html) or font
            encoded = base64.b64encode(data).decode("ascii")
            embedded[name] = f"data:{_TYPES[Path(name).suffix]};base64,{encoded}"
        return f'url("{embedded[name]}")'

    return _FONT_URL.sub(embed, html)


def _font(dirs: list[Path], name: str) -> bytes:
    from fsdocs.files.read import Kind, read_file

    for directory in dirs:
        candidate = directory / name
        if candidate.is_file():
            if not candidate.resolve().is_relative_to(directory.resolve()):
                raise UnsafeResourceError(
                    f"la police « {name} » des modèles pointe hors du dossier des modèles : refusé"
                )
            return read_file(candidate, Kind.FONT, shown=name)
    raise RenderError(f"police introuvable dans les modèles : {name}")
