"""Who may open which route: every view declares the roles it serves (``@allowed``), and a
request for a view that declares none is refused — deny by default, so a route added without
thought is closed, not open. A manager's structures are checked on the server for every route
that names one (``Account.may_edit``, in structures.py): editing the URL gives 403.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import abort, g, redirect, request, session, url_for
from werkzeug.wrappers import Response

from fsdocs.web.accounts import Account, Role, find_account

F = TypeVar("F", bound=Callable[..., Any])
PUBLIC = "_fsdocs_public"
ROLES = "_fsdocs_roles"


def public(view: F) -> F:
    """A route open without signing in (the sign-in page, the health check)."""
    setattr(view, PUBLIC, True)
    return view


def allowed(*roles: Role) -> Callable[[F], F]:
    """A route for signed-in accounts of ``roles``; others get 403."""

    def mark(view: F) -> F:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if current().role not in roles:
                abort(403)
            return view(*args, **kwargs)

        setattr(guarded, ROLES, roles)
        return guarded  # type: ignore[return-value]

    return mark


EVERYONE = (Role.PREFECTURE, Role.GESTIONNAIRE, Role.RELECTEUR)


def current() -> Account:
    account: Account | None = g.get("account")
    if account is None:
        abort(401)
    return account


def load_account(view: Callable[..., Any] | None, db: Any) -> Response | None:
    """Before each request: the account signed in, if any; then the route's own rule."""
    identifiant = session.get("compte")
    g.account = find_account(db, identifiant) if identifiant else None
    if identifiant and g.account is None:  # the account was removed meanwhile
        session.clear()
    if view is None or getattr(view, PUBLIC, False):
        return None
    if g.account is None:
        return redirect(url_for("auth.connexion", suite=request.full_path.rstrip("?")))
    if not getattr(view, ROLES, None):
        abort(403)
    return None


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of this site only, never another host."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target:
        return "/"
    return target
