#!/bin/sh
# Restore a backup written by "manage.py backup" (aps-backup.service) into the database of
# DATABASE_URL and the storage of the environment file, then check it against its manifest:
#   sudo -u aps /opt/aps/deploy/restore.sh /var/backups/aps/2025-01-31_023000
# The database must exist and be empty (createdb -O aps aps_restauree, then point
# DATABASE_URL at it); the application must be stopped if it is the one in service.
# APS_ENV_FILE, APS_HOME: as deploy/manage.sh.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
APS_ENV_FILE="${APS_ENV_FILE:-/etc/aps/aps.env}"
export APS_ENV_FILE

if [ "$#" -ne 1 ]; then
    echo "Usage : $0 DOSSIER_DE_SAUVEGARDE" >&2
    exit 2
fi
backup="$(cd "$1" && pwd)"
for part in manifest.json database.dump files; do
    if [ ! -e "$backup/$part" ]; then
        echo "Erreur : $backup/$part manque : ce n'est pas une sauvegarde complète." >&2
        exit 1
    fi
done
set -a
. "$APS_ENV_FILE"
set +a
case "${DATABASE_URL:-}" in
    postgres://* | postgresql://*) ;;
    *) echo "Erreur : DATABASE_URL doit désigner une base PostgreSQL." >&2; exit 1 ;;
esac

tables=$(psql "$DATABASE_URL" -X -q -t -A -v ON_ERROR_STOP=1 \
    -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" != 0 ]; then
    echo "Erreur : la base cible n'est pas vide ($tables tables) : créez une base neuve." >&2
    exit 1
fi

echo "== Base : pg_restore de $backup/database.dump"
# Objects are owned by the role of DATABASE_URL, whoever owned them in the saved database.
pg_restore --exit-on-error --no-owner --no-privileges --dbname "$DATABASE_URL" \
    "$backup/database.dump"
echo "== Fichiers"
"$here/manage.sh" restore_files "$backup"
echo "== Vérification"
"$here/manage.sh" check_restore "$backup"
