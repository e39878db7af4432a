#!/usr/bin/env bash
# Open WebUI (PyPI `open-webui`) in a venv of its own, for the browser chat test
# (tests/test_openwebui.py). It is big (about 7 GB, several minutes): installed once, reused after.
# Prints the path of its `open-webui` command on stdout, everything else on stderr:
#   export TEAM_OPENWEBUI="$(.ci/openwebui.sh)"
# Settings: TEAM_OPENWEBUI_VENV (default ~/.cache/teamgraph/open-webui), TEAM_OPENWEBUI_VERSION.
set -euo pipefail
version="${TEAM_OPENWEBUI_VERSION:-0.12.4}"
venv="${TEAM_OPENWEBUI_VENV:-$HOME/.cache/teamgraph/open-webui}"
marker="$venv/.teamgraph-open-webui-$version"

if [ ! -f "$marker" ] || [ ! -x "$venv/bin/open-webui" ]; then
  echo "openwebui.sh: installing open-webui $version into $venv (several minutes)" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade pip >&2
  "$venv/bin/pip" install --quiet "open-webui==$version" >&2
  touch "$marker"
fi
echo "$venv/bin/open-webui"
