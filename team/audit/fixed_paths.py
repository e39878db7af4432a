"""Route sets that a /v1/ prefix would not version: probes and debug routes only, or the paths
of a published standard. What the Backend Architect's api-unversioned rule asks before it wants
a version in the paths.

- Health probes (`/healthz`, `/ready`, `/ping`) and debug routes (tagged `debug`, under a
  `/debug/` segment, or registered only when a debug setting is on: tipg's `/rawcatalog` and
  `/refresh` under `if settings.debug:`) are called by an orchestrator or a developer, never by a
  client that a breaking change would break: a count made only of them is no API.
- An API whose paths a published standard fixes is versioned by that standard, and a /v1/ in
  front would break the clients that find it by those paths: OGC API and STAC (`/conformance`
  beside `/collections`, the conformance classes declaring what the server implements), SCIM 2
  (`/ServiceProviderConfig`, `/ResourceTypes`), WebDAV (PROPFIND, MKCOL... on the resources'
  own paths). OAuth / OpenID Connect endpoints under an OAuth segment are `protocol_paths.py`'s;
  a provider mounted by its host under a prefix of the host's choosing (django-oidc-provider's
  `include("oidc_provider.urls")`: /authorize, /token, /userinfo, /introspect, /end-session,
  /jwks) is one when it serves its discovery document (`/.well-known/openid-configuration`,
  OpenID Connect Discovery 1.0; `/.well-known/oauth-authorization-server`, RFC 8414), through
  which clients find every other endpoint, and each of its routes is an endpoint those
  specifications name.
- A CAS server's URIs are fixed by the CAS protocol, which every CAS client calls by name and
  which versions itself in the path (`/validate` for CAS 1, `/serviceValidate` for CAS 2,
  `/p3/serviceValidate` for CAS 3): django-cas-server's and django-mama-cas's `urls.py`, where
  every route besides pages (the login form, mama-cas's `/warn` notice) is such a URI.
- A Learning Record Store's resources are fixed by the xAPI specification under its `/xAPI/`
  segment (`/xAPI/statements`, Ralph's), which carries its version in the
  `X-Experience-API-Version` header every request sends.
- A media server's routes are the files of HLS and DASH streams: it serves a playlist
  (`.m3u8`, RFC 8216) or a manifest (`.mpd`, MPEG-DASH), and most of its routes that are not
  public are media files (playlists, segments, `init.mp4`, `segment.{ext}`) or streams, whose
  URLs the playlists it writes hand to players; the formats version themselves inside the
  playlist (`#EXT-X-VERSION`, the MPD's profiles). mediaflow-proxy's HLS, DASH and IPTV routes.
"""

from __future__ import annotations

import ast
import re

from team.audit.endpoints import Endpoint
from team.audit.pages import renders_page
from team.audit.repo import Repo

__all__ = ["fixed_segments", "oauth_provider", "probes_only", "standard_paths"]

# the last fixed segment of a liveness, readiness or health probe's path
_PROBE = re.compile(
    r"(?i)^(?:health(?:z|[-_]?checks?)?|ready(?:z)?|readiness|live(?:z)?|liveness|ping|heartbeat)$"
)
_DEBUG = re.compile(r"(?i)\bdebug")
_WEBDAV = {"PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK"}
_SCIM = {"ServiceProviderConfig", "ResourceTypes"}
# the URIs of the CAS protocol 3.0 (section 2): CAS 1's /validate, CAS 2's and (under /p3/)
# CAS 3's validation, proxy tickets, SAML 1.1 validation, and the login and logout pages
_CAS_URI = re.compile(
    r"^(?:login|logout|validate|serviceValidate|proxyValidate|proxy|samlValidate)$"
)
# the discovery documents of OpenID Connect Discovery 1.0 and of RFC 8414
_DISCOVERY = {"openid-configuration", "oauth-authorization-server"}
# the endpoints OAuth 2 / OpenID Connect name (RFC 6749, 7009, 7591, 7662, 8628, 9126; OIDC Core,
# Session Management and RP-Initiated Logout), with the logout confirmation page of the latter
_OAUTH_ENDPOINT = re.compile(
    r"(?i)^(?:authori[sz]e|authori[sz]ation|token|userinfo|introspect(?:ion)?|revoke|revocation"
    r"|register|registration|end[-_]?session(?:[-_]prompt)?|logout|jwks(?:\.json)?|certs"
    r"|check[-_]session(?:[-_]iframe)?|device(?:[-_]authorization)?|par)$"
)


def fixed_segments(path: str) -> list[str]:
    """The path's fixed segments, a Django regex's anchors and escapes taken off
    (`^\\.well-known/openid-configuration/?$` -> .well-known, openid-configuration)."""
    words = (s.strip("^$?").replace("\\", "") for s in path.split("/"))
    return [s for s in words if s and not s.startswith(("{", "<", "(", ":"))]


def oauth_provider(endpoints: list[Endpoint]) -> bool:
    """The routes serve an OAuth 2 / OpenID Connect discovery document and, besides it, only
    endpoints those specifications name."""
    segments = [fixed_segments(e.path) for e in endpoints]
    discovery = [s for s in segments if s[-2:-1] == [".well-known"] and s[-1] in _DISCOVERY]
    return bool(discovery) and all(
        s in discovery or (s and _OAUTH_ENDPOINT.match(s[-1])) for s in segments
    )


def _tagged_debug(node: ast.AST | None) -> bool:
    """The route's decorator files it under a `debug` tag (`@app.get(..., tags=["debug"])`)."""
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    return any(
        isinstance(d, ast.Call)
        and any(k.arg == "tags" and _DEBUG.search(ast.unparse(k.value)) for k in d.keywords)
        for d in node.decorator_list
    )


def _debug_only(repo: Repo, e: Endpoint) -> bool:
    """The route is defined inside an `if` on a debug setting (`if settings.debug:`)."""
    tree = repo.tree(e.file)
    if tree is None or e.node is None:
        return False
    return any(
        isinstance(branch, ast.If)
        and _DEBUG.search(ast.unparse(branch.test))
        and any(node is e.node for stmt in branch.body for node in ast.walk(stmt))
        for branch in ast.walk(tree)
    )


def _probe_or_debug(repo: Repo, e: Endpoint) -> bool:
    segments = fixed_segments(e.path)
    return bool(
        (segments and _PROBE.match(segments[-1]))
        or any(_DEBUG.match(s.strip("_")) for s in segments)
        or _tagged_debug(e.node)
        or _debug_only(repo, e)
    )


def probes_only(repo: Repo, endpoints: list[Endpoint]) -> bool:
    """Every endpoint is a health probe or a debug route.

    Example:
        >>> from pathlib import Path
        >>> repo = Repo.scan(Path("scenarios/fixtures/churn"))
        >>> def route(path: str) -> Endpoint:
        ...     return Endpoint("GET", path, "h", "app.py", 1, "fastapi")
        >>> probes_only(repo, [route("/healthz"), route("/debug/catalog")])
        True
        >>> probes_only(repo, [route("/healthz"), route("/items")])
        False
    """
    return bool(endpoints) and all(_probe_or_debug(repo, e) for e in endpoints)


def standard_paths(endpoints: list[Endpoint]) -> str:
    """The published standard whose paths the endpoints follow, or "".

    Example:
        >>> def route(path: str) -> Endpoint:
        ...     return Endpoint("GET", path, "h", "app.py", 1, "fastapi")
        >>> standard_paths([route("/conformance"), route("/collections/{collectionId}/items")])
        'OGC API'
        >>> standard_paths([route("/collections"), route("/collections/{id}")])
        ''
        >>> standard_paths([route("/.well-known/openid-configuration"), route("/token")])
        'OpenID Connect'
        >>> standard_paths([route("/login"), route("/serviceValidate"), route("/proxy")])
        'CAS'
        >>> standard_paths([route("/serviceValidate"), route("/tickets")])
        ''
    """
    segments = [fixed_segments(e.path) for e in endpoints]
    if any(s[-1:] == ["conformance"] for s in segments) and any(
        "collections" in s for s in segments
    ):
        return "OGC API"
    if any(_SCIM & set(s) for s in segments):
        return "SCIM"
    if any(e.method.upper() in _WEBDAV for e in endpoints):
        return "WebDAV"
    if oauth_provider(endpoints):
        return "OpenID Connect"
    if any([w.lower() for w in s[-2:]] == _XAPI_RESOURCE for s in segments):
        return "xAPI"
    if _cas_server(endpoints):
        return "CAS"
    if _media_server(endpoints):
        return "HLS/DASH"
    return ""


# the statements resource of xAPI, under the segment the specification names
_XAPI_RESOURCE = ["xapi", "statements"]


def _cas_server(endpoints: list[Endpoint]) -> bool:
    """The routes serve CAS 2's `/serviceValidate`, and every other route that is not
    public is a CAS URI or a page."""
    segments = [fixed_segments(e.path) for e in endpoints]
    if not any(s[-1:] == ["serviceValidate"] for s in segments):
        return False
    return all(
        e.public or (s and _CAS_URI.match(s[-1])) or renders_page(e.node)
        for e, s in zip(endpoints, segments, strict=True)
    )


# a playlist or manifest of HLS (RFC 8216) or MPEG-DASH
_PLAYLIST = re.compile(r"(?i)\.(?:m3u8|mpd)$")
# a media file of such a stream: playlists, segments, initialisation files, subtitles, or a
# segment whose extension the route leaves open (`segment.{ext}`)
_MEDIA_FILE = re.compile(r"(?i)\.(?:m3u8?|mpd|ts|m4s|mp4|m4a|aac|vtt|webm|\{\w+\}|<\w+>)$")
_STREAM = re.compile(r"(?i)^stream(?:ing)?$")


def _media_server(endpoints: list[Endpoint]) -> bool:
    """The routes serve an HLS playlist or a DASH manifest, and most of those that are not
    public are media files or streams.

    Example:
        >>> def route(path: str) -> Endpoint:
        ...     return Endpoint("GET", path, "h", "app.py", 1, "fastapi")
        >>> media = [route("/hls/manifest.m3u8"), route("/hls/segment.{ext}"), route("/stream")]
        >>> _media_server(media + [route("/ip")]), _media_server(media + [route("/items")] * 3)
        (True, False)
    """
    private = [fixed_segments(e.path) or [""] for e in endpoints if not e.public]
    media = [s for s in private if _MEDIA_FILE.search(s[-1]) or any(_STREAM.match(w) for w in s)]
    return any(_PLAYLIST.search(s[-1]) for s in media) and 2 * len(media) > len(private)
