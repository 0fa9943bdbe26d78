#!/bin/sh
# manage.py with the production settings of /etc/aps/aps.env, as the units run it:
#   sudo -u aps /opt/aps/deploy/manage.sh migrate
#   sudo -u aps /opt/aps/deploy/manage.sh createsuperuser
# APS_ENV_FILE: another environment file; APS_HOME: the checkout (this script's parent).
set -eu
APS_HOME="${APS_HOME:-$(cd "$(dirname "$0")/.." && pwd)}"
APS_ENV_FILE="${APS_ENV_FILE:-/etc/aps/aps.env}"
if [ ! -r "$APS_ENV_FILE" ]; then
    echo "Erreur : fichier d'environnement illisible : $APS_ENV_FILE" >&2
    exit 1
fi
set -a
. "$APS_ENV_FILE"
set +a
cd "$APS_HOME"
exec "$APS_HOME/.venv/bin/python" manage.py "$@"
