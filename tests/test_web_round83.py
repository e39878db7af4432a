"""Web round 81 (issue 13): http-no-timeout false alarms on spent corpora, removed.
A module-level helper that no module of the app calls: the other modules that say its name
mean a function of their own (each facility module defines its own `make_request`) or import
it from another module (`from facilities.ocs import make_request`), and only the test suite
imports it (tomtoolkit's `soar.make_request` and `blanco.make_request`, judged dead code;
`uncalled.py`). The copy the app calls, from its own module or imported from it, stays
reported, and so does one another module looks up by its name as a string
(`getattr(module, "make_request")`: review rev47); a settings string naming the module calls
no function by name."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

_HELPER = """
    import requests


    def make_request(*args, **kwargs):
        return requests.request(*args, **kwargs)
    """
# the facility the app uses: its own calls go through its own make_request
_OCS = (
    _HELPER
    + """

    class OCSFacility:
        def submit(self, payload):
            return make_request("POST", "https://ocs.example.org/api", json=payload)
    """
)
_SOAR = (
    _HELPER
    + """

    from facilities.ocs import OCSFacility


    class SOARFacility(OCSFacility):
        name = "SOAR"
    """
)
_REDIRECT = """
    from facilities.ocs import make_request


    def status():
        return make_request("GET", "https://ocs.example.org/status").json()
    """
_VIEWS = """
    from django.http import JsonResponse

    from facilities.redirect import status
    from facilities.soar import SOARFacility


    def submit(request):
        return JsonResponse({"id": SOARFacility().submit(request.POST), "up": status()})
    """
_TEST = """
    from facilities.soar import make_request


    def test_make_request():
        assert make_request("GET", "https://example.org") is not None
    """
_CALL = 5  # requests.request(...) in each make_request


def _app(soar: str = _SOAR, redirect: str = _REDIRECT) -> dict[str, str]:
    return {
        "facilities/__init__.py": "",
        "facilities/ocs.py": _OCS,
        "facilities/soar.py": soar,
        "facilities/redirect.py": redirect,
        "views.py": _VIEWS,
        "tests/test_soar.py": _TEST,
    }


def test_a_copy_only_tests_import_is_not_reported(tmp_path: Path) -> None:
    found = web_findings(tmp_path, _app(), "http-no-timeout")
    assert ("facilities/soar.py", _CALL) not in found
    assert ("facilities/ocs.py", _CALL) in found


def test_a_copy_its_own_module_calls_is_reported(tmp_path: Path) -> None:
    soar = _SOAR + '\n    def ping():\n        return make_request("GET", "https://soar.example")\n'
    found = web_findings(tmp_path, _app(soar=soar), "http-no-timeout")
    assert ("facilities/soar.py", _CALL) in found


def test_a_copy_another_module_imports_from_it_is_reported(tmp_path: Path) -> None:
    redirect = _REDIRECT.replace("facilities.ocs import", "facilities.soar import")
    found = web_findings(tmp_path, _app(redirect=redirect), "http-no-timeout")
    assert ("facilities/soar.py", _CALL) in found


def test_a_copy_in_a_module_settings_name_is_not_reported(tmp_path: Path) -> None:
    views = _VIEWS.replace("from facilities.soar import SOARFacility\n", "")
    views = views.replace("SOARFacility()", "load(FACILITIES[0])()")
    settings = 'FACILITIES = ["facilities.soar.SOARFacility"]\n'
    files = {**_app(), "views.py": views, "settings.py": settings}
    del files["tests/test_soar.py"]  # nothing imports facilities.soar: settings name it
    found = web_findings(tmp_path, files, "http-no-timeout")
    assert ("facilities/soar.py", _CALL) not in found
    assert ("facilities/ocs.py", _CALL) in found


def test_a_copy_another_module_looks_up_by_its_name_is_reported(tmp_path: Path) -> None:
    # the base facility calls the make_request of the module that defines the facility's
    # class (`getattr(module, "make_request")`), so SOARFacility runs soar's copy
    ocs = _OCS.replace(
        'return make_request("POST", "https://ocs.example.org/api", json=payload)',
        "module = sys.modules[type(self).__module__]\n"
        '            return getattr(module, "make_request")("POST", self.url, json=payload)',
    ).replace("import requests", "import sys\n\n    import requests")
    found = web_findings(tmp_path, {**_app(), "facilities/ocs.py": ocs}, "http-no-timeout")
    assert ("facilities/soar.py", _CALL) in found
    assert ("facilities/ocs.py", _CALL + 2) in found  # two lines for `import sys`
