"""Whether a web app serves pages to browsers rather than an API to clients: what the Backend
Architect's api-unversioned rule asks before it wants a /v1/ prefix.

A server-rendered app (Spirit's forum: views that render templates, plus a few same-origin
AJAX helpers called by the JavaScript shipped with it) has no outside client for whom a
version in the URL buys anything; its pages change with the release that serves them.
"""

from __future__ import annotations

import ast
import re

from team.audit.endpoints import Endpoint
from team.audit.own_pages import named_by_own_templates
from team.audit.repo import Repo
from team.review.calltools import leaf_name

__all__ = ["renders_page", "serves_pages", "signs_in_only"]

_RENDERS = frozenset(
    [
        "render",
        "render_template",
        "render_to_response",
        "render_to_string",
        "TemplateResponse",
        "SimpleTemplateResponse",
    ]
)
# Django's generic views that answer with a rendered template
_PAGE_VIEW = re.compile(r"(?:Template|List|Detail|Form|Create|Update|Delete|Archive)View$")
_TEMPLATE_KEY = re.compile(r"template(?:_name)?")
_API_PATH = re.compile(r"(?i)(?:^|/)(?:api|rest|graphql)(?:/|$)")
# answers data: a JSON response, a dict or list returned for the framework to encode, a
# REST framework's resource class
# the steps of a browser's sign-in through an outside provider (OAuth, OpenID Connect, SAML)
_SIGN_IN_STEP = re.compile(
    r"(?i)(?:^|/)(?:oauth2?|login|logout|authorized|authorize|callback|signup|disconnect)(?:/|$)"
)
_DATA_CALLS = frozenset(["jsonify", "JsonResponse", "JSONResponse", "json_response", "dumps"])
_DATA_VIEW = re.compile(r"(?:Resource|APIView|ViewSet|MethodView)$")
_REST_FRAMEWORK = re.compile(
    r"(?m)^\s*(?:from|import)\s+(?:rest_framework|flask_restful|flask_restx|flask_smorest"
    r"|ninja|connexion|graphene|strawberry)\b"
)


def serves_pages(repo: Repo, endpoints: list[Endpoint]) -> bool:
    """The app's routes are pages, not an API to version: nothing is served under /api (or
    /rest, /graphql), no module imports a REST framework (ihatemoney's flask-restful API),
    at least half of the endpoints answer with a rendered template, and those that answer data
    are few beside them (a quarter as many: the AJAX helpers of the pages), not counting those
    behind the pages' sign-in that the app's own templates name with `url_for` (Specter's
    wallet UI, `own_pages.py`; the open task API of Flask's Celery example stays data). A small JSON app
    next to a page app (Flask's examples: a tutorial blog and a Celery task API) stays one. A
    route that hands a view of another package the template to render is a page too
    (Cartridge's project template: `path("", direct_to_template, {"template": "index.html"})`).

    Example:
        >>> from pathlib import Path
        >>> page = ast.parse("def topic(request):\\n    return render(request, 't.html')").body[0]
        >>> data = ast.parse("def likes(request):\\n    return JsonResponse({})").body[0]
        >>> pages = [Endpoint("GET", "/topic/", "topic", "v.py", 1, "django", node=page)]
        >>> ajax = [Endpoint("POST", "/like/", "likes", "v.py", 1, "django", node=data)]
        >>> repo = Repo.scan(Path("scenarios/fixtures/churn"))
        >>> serves_pages(repo, pages * 4 + ajax), serves_pages(repo, pages * 3 + ajax)
        (True, False)
    """
    if not endpoints or any(_API_PATH.search(e.path) for e in endpoints):
        return False
    pages = sum(renders_page(e.node) or _routes_template(repo, e) for e in endpoints)
    own = named_by_own_templates(repo)  # the pages' own AJAX helpers (`own_pages.py`)
    data = sum(_answers_data(e.node) and not (e.auth and e.handler in own) for e in endpoints)
    return (
        2 * pages >= len(endpoints)
        and 4 * data <= pages
        and not any(_REST_FRAMEWORK.search(repo.text(rel)) for rel in repo.python)
    )


def signs_in_only(endpoints: list[Endpoint]) -> bool:
    """The app is a browser's sign-in through outside providers, not an API: every endpoint
    is a step of the flow (`/oauth/login/<app>/`, `/oauth/authorized/<app>/`, the redirect URI
    registered at each provider) or a page, none answers data. A version segment would only
    break the callback URLs the providers hold (invenio-oauthclient's blueprints).

    Example:
        >>> back = ast.parse("def authorized(app):\\n    return redirect('/')").body[0]
        >>> data = ast.parse("def me():\\n    return jsonify({})").body[0]
        >>> flow = [Endpoint("GET", "/oauth/authorized/<app>/", "authorized", "v.py", 1, "flask",
        ...     node=back)]
        >>> api = [Endpoint("GET", "/oauth/me", "me", "v.py", 9, "flask", node=data)]
        >>> signs_in_only(flow), signs_in_only(flow + api)
        (True, False)
    """
    steps = [e for e in endpoints if _SIGN_IN_STEP.search(e.path)]
    return (
        bool(steps)
        and all(e in steps or renders_page(e.node) for e in endpoints)
        and not any(_answers_data(e.node) for e in endpoints)
    )


def _routes_template(repo: Repo, e: Endpoint) -> bool:
    """The route itself names the template its view renders: a Django route whose extra
    arguments hold `template` or `template_name` (`path("", direct_to_template, {"template":
    "index.html"})`), or `.as_view(template_name=...)`. Its view, often another package's,
    is a page whatever the repository can read of it.

    Example:
        >>> from types import SimpleNamespace
        >>> urls = ast.parse('urlpatterns = [\\n    path("", page, {"template": "i.html"}),\\n'
        ...                  '    path("s/", status, {"format": "json"}),\\n]')
        >>> repo = SimpleNamespace(tree=lambda rel: urls)
        >>> [_routes_template(repo, Endpoint("GET", "/", "v", "urls.py", n, "django"))
        ...  for n in (2, 3)]
        [True, False]
    """
    if e.framework != "django":
        return False
    tree = repo.tree(e.file)
    routes = (
        [n for n in ast.walk(tree) if isinstance(n, ast.Call) and n.lineno == e.line]
        if tree is not None
        else []
    )
    return any(
        (isinstance(sub, ast.Dict) and any(_TEMPLATE_KEY.fullmatch(_key(k)) for k in sub.keys))
        or (isinstance(sub, ast.keyword) and sub.arg == "template_name")
        for route in routes
        for sub in ast.walk(route)
    )


def _key(node: ast.expr | None) -> str:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""


def _answers_data(node: ast.AST | None) -> bool:
    """The handler answers JSON: it builds a JSON response, returns a dict or list literal for
    the framework to encode, or is a REST framework's resource class."""
    if node is None:
        return False
    if isinstance(node, ast.ClassDef) and any(_DATA_VIEW.search(leaf_name(b)) for b in node.bases):
        return True
    return any(
        (isinstance(sub, ast.Call) and leaf_name(sub.func) in _DATA_CALLS)
        or (isinstance(sub, ast.Return) and isinstance(sub.value, ast.Dict | ast.List))
        for sub in ast.walk(node)
    )


def renders_page(node: ast.AST | None) -> bool:
    """The handler answers with a template: it calls a render function, or it is a class-based
    view that names a `template_name` or derives from a template-rendering generic view."""
    if node is None:
        return False
    if isinstance(node, ast.ClassDef) and (
        any(_PAGE_VIEW.search(leaf_name(b)) for b in node.bases)
        or any(
            isinstance(s, ast.Assign) and any(leaf_name(t) == "template_name" for t in s.targets)
            for s in node.body
        )
    ):
        return True
    return any(
        isinstance(sub, ast.Call) and leaf_name(sub.func) in _RENDERS for sub in ast.walk(node)
    )
