#!/bin/sh
# Runs after the files are removed.
#   deb: postrm remove | purge | upgrade | failed-upgrade | abort-* | disappear
#   rpm: %postun N, N = installed instances afterwards: 0 removal, 1 upgrade
set -e

case "$1" in
    remove | purge | 0) ;;
    *) exit 0 ;;
esac

if [ -d /run/systemd/system ]; then
    systemctl daemon-reload >/dev/null 2>&1 || true
fi
# Anything Python or pip added to the install tree after installation.
rm -rf /opt/mulligan

# The state (/var/lib/mulligan: database, bootstrap secret) and the mulligan
# user stay, even on purge: they describe a fleet, and a reinstall picks them
# up again. Remove them by hand when the fleet is gone for good.
exit 0
