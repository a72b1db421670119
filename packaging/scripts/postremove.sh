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

# deb purge: the service user and group go too. The state (/var/lib/mulligan:
# database, keys) describes a fleet and stays unless the purge is asked to
# take it: MULLIGAN_PURGE_STATE=yes apt-get purge mulligan. A reinstall gives
# a kept state dir to its new user. rpm (0) follows RPM custom: user and
# state stay.
if [ "$1" = purge ]; then
    if [ "${MULLIGAN_PURGE_STATE:-}" = yes ]; then
        rm -rf /var/lib/mulligan
    fi
    if getent passwd mulligan >/dev/null; then
        userdel mulligan ||
            echo "mulligan: the user mulligan was not removed (a process still running as it?): userdel mulligan" >&2
    fi
    if getent group mulligan >/dev/null; then
        groupdel mulligan || echo "mulligan: the group mulligan was not removed: groupdel mulligan" >&2
    fi
fi
exit 0
