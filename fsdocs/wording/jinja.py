"""Jinja rendering of the wording and of the HTML page, from the project's templates.

Autoescape is on for everything, undefined variables are errors, and user data is only ever
passed as values: a name such as ``{{ 7*7 }}`` prints as typed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import asdict
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from fsdocs.errors import RenderError, UnsafeResourceError
from fsdocs.wording.context import ConventionContext
from fsdocs.wording.document import typographied


def _builtin_templates() -> Path:
    """fsdocs' own templates: the package ``fsdocs.templates``, which is the repository's
    top-level ``templates/`` (mapped by pyproject.toml) in a checkout and a folder of the
    installed package in a wheel. WeasyPrint and Jinja read them by path: a real folder."""
    folder = resources.files("fsdocs.templates")
    if not isinstance(folder, Path) or not (folder / "html" / "convention.css").is_file():
        raise RenderError(
            "modèles de fsdocs introuvables dans le paquet installé (fsdocs.templates) : "
            "réinstallez fsdocs"
        )
    return folder.resolve()


BUILTIN_TEMPLATES = _builtin_templates()
BUILTIN_PREFIX = "fsdocs"


def template_dirs(project_root: Path) -> list[Path]:
    """The ordered template search path: the project's own templates first, then fsdocs'."""
    # Absolute: these folders become WeasyPrint base URLs (file URIs), which cannot be relative.
    dirs = [project_root.resolve() / "templates", BUILTIN_TEMPLATES]
    unique: list[Path] = []
    for directory in dirs:
        if directory.is_dir() and directory.resolve() not in [d.resolve() for d in unique]:
            unique.append(directory)
    if not unique:
        raise RenderError(f"modèles introuvables : ni {dirs[0]} ni {dirs[1]} n’existent")
    return unique


class _ConfinedLoader(jinja2.FileSystemLoader):
    """A file loader that refuses templates whose real path leaves their directory."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        real = Path(os.path.realpath(filename))
        if not any(real.is_relative_to(Path(p).resolve()) for p in self.searchpath):
            raise UnsafeResourceError(
                f"le modèle « {template} » pointe hors du dossier des modèles ({real}) : refusé"
            )
        return source, filename, uptodate


def environment(project_root: Path) -> jinja2.Environment:
    # Sandboxed: a project's own template may print values, not reach Python's internals
    # (``cycler.__init__.__globals__.os``), so a project received from elsewhere runs no code.
    # « fsdocs/… » names fsdocs' own copy of a template, so that a project's template can
    # extend the built-in one and override one article: {% extends "fsdocs/wording/… " %}.
    builtin = jinja2.PrefixLoader({BUILTIN_PREFIX: _ConfinedLoader([str(BUILTIN_TEMPLATES)])})
    searched = _ConfinedLoader([str(d) for d in template_dirs(project_root)])
    return SandboxedEnvironment(
        loader=jinja2.ChoiceLoader([builtin, searched]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_template(env: jinja2.Environment, name: str, values: dict[str, Any]) -> str:
    try:
        return env.get_template(name).render(values)
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(
            f"{exc.filename or name}:{exc.lineno}: modèle invalide : {exc.message}"
        ) from None
    except SecurityError as exc:
        found = re.search(r"attribute '([^']+)'", str(exc))
        what = f"l’accès à « {found[1]} »" if found else "une opération"
        raise UnsafeResourceError(
            f"{name} : {what} est refusé : un modèle affiche des valeurs, il n’atteint pas les "
            "rouages de Python"
        ) from None
    except jinja2.UndefinedError as exc:
        raise RenderError(f"{name} : variable inconnue dans le modèle ({exc.message})") from None
    except jinja2.TemplateNotFound as exc:
        raise RenderError(f"modèle introuvable : {exc.name}") from None


def context_values(ctx: ConventionContext) -> dict[str, Any]:
    """The context as template variables (shallow: nested objects stay typed)."""
    values = {name: getattr(ctx, name) for name in asdict(ctx)}
    values["parties"] = ctx.parties
    return values


def render_wording(env: jinja2.Environment, template: str, values: Mapping[str, Any]) -> str:
    """A document's wording as a typographied HTML fragment."""
    return typographied(render_template(env, template, dict(values)))


def render_page(
    env: jinja2.Environment,
    body: str,
    entete: str,
    meta: dict[str, str],
    paysage: bool = False,
    css: str | None = None,
) -> str:
    """The whole HTML page around a wording, with its stylesheet and running header;
    ``css=""`` leaves the stylesheet out (the PDF renderer applies it, parsed once)."""
    from markupsafe import Markup

    stylesheet = render_template(env, "html/convention.css", {}) if css is None else css
    values = {
        "corps": Markup(body),
        "css": Markup(stylesheet),
        "meta": meta,
        "entete": entete,
        "paysage": paysage,
    }
    return render_template(env, "html/page.html.j2", values)


def dossier_stylesheet(env: jinja2.Environment) -> str:
    return render_template(env, "html/convention.css", {}) + render_template(
        env, "html/dossier.css", {}
    )


def render_dossier(
    env: jinja2.Environment,
    body: str,
    meta: dict[str, str],
    sizes: str = "",
    css: str | None = None,
) -> str:
    """A page of several parts (the bundle, the redline): its stylesheets and page sizes;
    ``css=""`` leaves the stylesheets out (the PDF renderer applies them, parsed once)."""
    from markupsafe import Markup

    stylesheet = dossier_stylesheet(env) if css is None else css
    values = {
        "meta": meta,
        "css": Markup(stylesheet),
        "tailles": Markup(sizes),
        "corps": Markup(body),
    }
    return render_template(env, "html/dossier.html.j2", values)
