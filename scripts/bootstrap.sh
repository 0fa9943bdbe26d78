#!/bin/sh
# Prepare .venv: find Python 3.12, install uv with pip if it is missing, sync the locked
# dependencies. Used by every Makefile target; safe to run again.
set -eu
cd "$(dirname "$0")/.."

export UV_PYTHON_DOWNLOADS="${UV_PYTHON_DOWNLOADS:-never}"

is_312() {
    [ -n "$1" ] && "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null
}

find_python() {
    for candidate in "${PYTHON:-}" python3.12 python3 python; do
        path=$(command -v "$candidate" 2>/dev/null || true)
        if is_312 "$path"; then echo "$path"; return 0; fi
    done
    for path in "$HOME"/.pyenv/versions/3.12*/bin/python3.12 /root/.pyenv/versions/3.12*/bin/python3.12 \
                /usr/local/bin/python3.12 /usr/bin/python3.12; do
        if is_312 "$path"; then echo "$path"; return 0; fi
    done
    return 1
}

if ! PY=$(find_python); then
    cat >&2 <<'MSG'
Erreur : Python 3.12 est introuvable (APS utilise Django 6, qui demande Python 3.12).
Installez-le puis relancez la commande, par exemple :
  - avec pyenv :  pyenv install 3.12 && pyenv local 3.12
  - sous Debian/Ubuntu récent :  sudo apt-get install python3.12 python3.12-venv
  - ou indiquez son chemin :  make demo PYTHON=/chemin/vers/python3.12
MSG
    exit 1
fi

if command -v uv >/dev/null 2>&1; then
    UV=uv
elif "$PY" -m uv --version >/dev/null 2>&1; then
    UV="$PY -m uv"
else
    echo "uv est absent : installation avec pip…"
    "$PY" -m pip install --quiet uv
    UV="$PY -m uv"
fi

$UV sync --locked --python "$PY" --quiet
