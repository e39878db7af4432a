"""The endpoints of an OAuth 2 / OpenID Connect server: their paths and their openness are fixed
by the specifications, not chosen by the app.

An authorization server's authorize endpoint (RFC 6749 3.1) must answer a visitor with no
session, since it is where the sign-in starts; its RP-initiated logout endpoint (OpenID Connect
RP-Initiated Logout, `end_session`) is called by the client's browser, which may have lost the
session; both check who calls inside (canaille's `authorize()` sends an anonymous visitor to
its login page, `end_session()` checks the id_token_hint). The token, introspection,
revocation, registration and userinfo endpoints authenticate the client or the bearer token
through the OAuth library. And none of these paths is versioned: clients discover them from the
server's discovery document (`/.well-known/openid-configuration`), and no identity provider puts
a /v1/ in them.

An endpoint is one of these when its path ends in such an endpoint's name right under an OAuth
or OpenID segment (`/oauth/authorize`, `/o/token/`, `/openid/end_session`; not fittrackee's
`/api/oauth/apps/<id>/revoke`, a route of its own API) and its module imports
an OAuth server library (authlib's OAuth 2 server, oauthlib, django-oauth-toolkit,
django-oidc-provider, idpyoidc, pyop), or when it lies under `/.well-known/` (RFC 8615: a
registered URI whose path and audience its specification fixes). A client of someone
else's server (a `/oauth/authorize` that redirects to GitHub) imports no such library and is
left to the other rules.

A provider that its host mounts under a prefix of its own choosing (django-oidc-provider's
`include("oidc_provider.urls")`: /token, /introspect, /end-session-prompt, no OAuth segment) is
known by its discovery document (`fixed_paths.oauth_provider`). Its token, introspection and
revocation endpoints authenticate the client by the protocol (RFC 6749 2.3, RFC 7662 2.1,
RFC 7009 2.1: client_id and client_secret in the body or HTTP Basic), which a login would only
break, when the server's code checks those credentials (`client_secret` compared or looked up,
an `authenticate_client`-style check); its RP-initiated logout endpoint and the logout
confirmation page that endpoint shows are public by the protocol, as above. Its authorize
endpoint is left to the other rules: the consent it records is for a signed-in user.

An AS2 server's receiving endpoint (RFC 4130) is open by the same token: trading partners post
signed and encrypted messages and receipts (MDNs) to it, with no session or login of the site,
and the protocol authenticates each message instead (django-pyas2's `ReceiveAs2Message`: the
partner is found by its AS2-From header and the message decrypted and its signature verified
against that partner's certificate by pyas2lib's `parse`, an unknown partner refused). An
endpoint is one when its module imports pyas2lib and its handler hands the request to the
`parse()` of a pyas2lib message or MDN it makes.

A CAS server's ticket validation URIs (CAS protocol 3.0: `/validate`, `/serviceValidate`,
`/proxyValidate`, `/proxy`, and SAML 1.1's `/samlValidate`, which takes a POST) are called by the
services the user signed in to, with no session of the server's own: the single-use service or
proxy ticket in the request is the credential, checked against the service it was issued for
(django-cas-server's `SamlValidate`). An app is a CAS server when `fixed_paths.standard_paths`
reads its routes as CAS's (`cas_ticket_checks`).
"""

from __future__ import annotations

import ast
import re

from team.audit.endpoints import Endpoint
from team.audit.fixed_paths import fixed_segments, oauth_provider, standard_paths
from team.audit.pages import serves_pages
from team.audit.repo import Repo, is_test

__all__ = ["cas_ticket_checks", "pages_beside_protocol", "protocol_endpoint", "provider_opens"]

# the libraries that implement the server side of OAuth 2 / OpenID Connect
_SERVER_LIBRARY = re.compile(
    r"(?m)^\s*(?:from|import)\s+(?:authlib\.(?:oauth2|oidc|integrations\.\w+_oauth2)"
    r"|oauthlib\.(?:oauth2|openid)|oauth2_provider|oidc_provider|idpyoidc|pyop)\b"
)
# AS2 (RFC 4130): the library that parses, decrypts and verifies a partner's message or MDN
_AS2_LIBRARY = "pyas2lib"
# a segment that names the protocol (`/oauth/`, `/oauth2/`, django-oauth-toolkit's `/o/`)
_PROTOCOL_SEGMENT = re.compile(r"(?i)^(?:oauth2?|o|oidc|openid(?:[-_]connect)?|connect)$")
# the specified endpoints' usual names
_PROTOCOL_ENDPOINT = re.compile(
    r"(?i)^(?:authori[sz]e|authori[sz]ation|token|introspect(?:ion)?|revoke|revocation"
    r"|register|registration|userinfo|end_?session|logout|jwks(?:\.json)?|certs"
    r"|device(?:_authorization)?|par)$"
)


# the endpoints where the protocol authenticates the client (RFC 6749, 7662, 7009)
_CLIENT_AUTHENTICATED = re.compile(r"(?i)^(?:token|introspect(?:ion)?|revoke|revocation)$")
# RP-initiated logout and the confirmation page it shows: a browser that may have lost its session
_LOGOUT = re.compile(r"(?i)^(?:end[-_]?session(?:[-_]prompt)?|logout)$")
# server code that checks a client's credentials: compared, looked up, or a named check
_CLIENT_CHECK = re.compile(
    r"\bauthenticate_client\b|\bextract_client_auth\b|\bclient_secret\s*==|==\s*[\w.]*client_secret\b"
    r"|[(,]\s*client_secret=(?!\s*models\.)"
)


def _literal(path: str) -> list[str]:
    """The path's fixed segments (`/oauth/register/<client_id>` -> oauth, register)."""
    return [s for s in path.split("/") if s and not s.startswith(("{", "<", "("))]


def protocol_endpoint(repo: Repo, e: Endpoint) -> bool:
    """The endpoint is one an OAuth 2 / OpenID Connect server's specification defines.

    Example:
        >>> from pathlib import Path
        >>> repo = Repo.scan(Path("scenarios/fixtures/churn"))
        >>> e = Endpoint("GET", "/oauth/authorize", "authorize", "app.py", 1, "flask")
        >>> protocol_endpoint(repo, e)  # the churn app imports no OAuth server library
        False
    """
    segments = _literal(e.path)
    if not segments:
        return False
    if segments[0] == ".well-known":
        return True  # a registered well-known URI (RFC 8615): its path and audience are fixed
    named = (
        len(segments) > 1
        and bool(_PROTOCOL_ENDPOINT.match(segments[-1]))
        and bool(_PROTOCOL_SEGMENT.match(segments[-2]))
    )
    return (named and bool(_SERVER_LIBRARY.search(repo.text(e.file)))) or _as2_receiver(repo, e)


def _as2_receiver(repo: Repo, e: Endpoint) -> bool:
    """The handler makes a pyas2lib message or MDN (`as2mdn = As2Mdn()`) and calls its
    `parse()`: the protocol authenticates what the partner posted."""
    tree = repo.tree(e.file)
    if e.node is None or tree is None or _AS2_LIBRARY not in repo.text(e.file):
        return False
    classes = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == _AS2_LIBRARY
        for alias in node.names
    }
    made = {
        target.id
        for node in ast.walk(e.node)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
        and node.value.func.id in classes
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "parse"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id in made
        for node in ast.walk(e.node)
    )


def pages_beside_protocol(repo: Repo, endpoints: list[Endpoint]) -> bool:
    """The app is an OAuth 2 / OpenID Connect server whose other routes are pages (canaille's
    client, consent and token admin pages): nothing is left to version."""
    rest = [e for e in endpoints if not protocol_endpoint(repo, e)]
    return len(rest) < len(endpoints) and (not rest or serves_pages(repo, rest))


def provider_opens(repo: Repo, endpoints: list[Endpoint]) -> list[Endpoint]:
    """The endpoints of a mounted OAuth 2 / OpenID Connect provider that the protocol, not a
    login, guards: its client-authenticated endpoints when the server's code checks the
    client's credentials, and its RP-initiated logout; none when the routes are no provider.

    Example:
        >>> from pathlib import Path
        >>> repo = Repo.scan(Path("scenarios/fixtures/churn"))
        >>> def route(path: str) -> Endpoint:
        ...     return Endpoint("POST", path, "h", "app.py", 1, "django")
        >>> routes = [route("/.well-known/openid-configuration"), route("/end-session")]
        >>> [e.path for e in provider_opens(repo, routes)]
        ['/end-session']
        >>> provider_opens(repo, [route("/end-session")])
        []
    """
    if not oauth_provider(endpoints):
        return []
    checks = any(_CLIENT_CHECK.search(repo.text(rel)) for rel in repo.python if not is_test(rel))
    out = []
    for e in endpoints:
        name = (fixed_segments(e.path) or [""])[-1]
        if _LOGOUT.match(name) or (checks and _CLIENT_AUTHENTICATED.match(name)):
            out.append(e)
    return out


# the CAS protocol's URIs that check a ticket the caller presents (CAS 1, 2 and 3, SAML 1.1)
_CAS_TICKET_CHECK = re.compile(r"^(?:validate|serviceValidate|proxyValidate|proxy|samlValidate)$")


def cas_ticket_checks(endpoints: list[Endpoint]) -> list[Endpoint]:
    """The ticket validation endpoints of a CAS server, which the ticket, not a login, guards;
    none when the routes are no CAS server.

    Example:
        >>> def route(path: str) -> Endpoint:
        ...     return Endpoint("POST", path, "h", "urls.py", 1, "django")
        >>> cas = [route("/login"), route("/serviceValidate"), route("/samlValidate")]
        >>> [e.path for e in cas_ticket_checks(cas)]
        ['/serviceValidate', '/samlValidate']
        >>> cas_ticket_checks([route("/samlValidate"), route("/tickets")])
        []
    """
    if standard_paths(endpoints) != "CAS":
        return []
    return [e for e in endpoints if _CAS_TICKET_CHECK.match((fixed_segments(e.path) or [""])[-1])]
