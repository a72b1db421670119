#!/bin/sh
# Runs before the files are removed.
#   deb: prerm remove | upgrade NEW-VERSION | deconfigure | failed-upgrade
#   rpm: %preun N, N = installed instances afterwards: 0 removal, 1 upgrade
set -e

case "$1" in
    remove | 0) ;;
    # An upgrade restarts the service from the new package's postinstall.
    *) exit 0 ;;
esac

if [ -d /run/systemd/system ]; then
    systemctl disable --now mulligand.service >/dev/null 2>&1 || true
fi
exit 0
