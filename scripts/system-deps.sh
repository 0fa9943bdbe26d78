#!/bin/sh
# Debian packages the tests need: Chromium (browser tests), HarfBuzz subsetting (fast
# WeasyPrint), poppler (pdftotext/pdftoppm), fonts. Installed only when missing.
set -eu

missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset || missing="$missing libharfbuzz-subset0"
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$missing fonts-dejavu-core"

[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "Erreur : paquets manquants ($missing) et apt-get indisponible : installez-les à la main." >&2
    exit 1
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "Erreur : paquets manquants ($missing) : installez-les en tant que root." >&2
        exit 1
    fi
fi
echo "Installation des paquets Debian :$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
