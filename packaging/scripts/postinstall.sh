#!/bin/sh
# Runs after the files are in place.
#   deb: postinst configure [OLD-VERSION]   (also abort-* after a failed step)
#   rpm: %post N, N = installed instances afterwards: 1 install, 2 upgrade
set -e

case "$1" in
    configure) if [ -n "$2" ]; then action=upgrade; else action=install-deb; fi ;;
    1) action=install-rpm ;;
    [2-9] | [1-9][0-9]*) action=upgrade ;;
    *) exit 0 ;;
esac

# The daemon runs as its own system user, never as root.
if ! getent group mulligan >/dev/null; then
    groupadd --system mulligan
fi
if ! getent passwd mulligan >/dev/null; then
    nologin=/usr/sbin/nologin
    [ -x "$nologin" ] || nologin=/sbin/nologin
    useradd --system --gid mulligan --home-dir /var/lib/mulligan --no-create-home \
        --shell "$nologin" --comment "Mulligan daemon" mulligan
fi
# Membership of the libvirt group opens libvirtd's local socket.
if getent group libvirt >/dev/null && ! id -nG mulligan | tr ' ' '\n' | grep -qx libvirt; then
    usermod --append --groups libvirt mulligan
fi

# systemd's StateDirectory= makes it too, but not outside systemd (containers).
# Private to the daemon: it holds the database, keys and the bootstrap secret.
if [ ! -d /var/lib/mulligan ]; then
    install -d -o mulligan -g mulligan -m 0700 /var/lib/mulligan
else
    # A purge keeps the state but removes the user: the files still carry the
    # old user's id, which no account has any more. The new user takes them.
    if [ "$(stat -c %U /var/lib/mulligan)" = UNKNOWN ]; then
        old_uid=$(stat -c %u /var/lib/mulligan)
        find /var/lib/mulligan -xdev -uid "$old_uid" -exec chown -h mulligan:mulligan {} +
    fi
    if [ "$(stat -c %a /var/lib/mulligan)" = 750 ]; then
        # The mode earlier packages made; any other was the operator's choice.
        chmod 0700 /var/lib/mulligan
    fi
fi

# The config may hold a database password: readable by the daemon's group
# only. A group other than root means the operator chose one; keep it.
conf=/etc/mulligan/mulligand.conf
if [ -f "$conf" ] && [ "$(stat -c %g "$conf")" = 0 ]; then
    chgrp mulligan "$conf"
    chmod 0640 "$conf"
fi

if [ -d /run/systemd/system ]; then
    systemctl daemon-reload >/dev/null 2>&1 || true
    case "$action" in
        # Debian starts the services it installs; the defaults are safe
        # (loopback only, SQLite in /var/lib/mulligan).
        install-deb) systemctl enable --now mulligand.service >/dev/null 2>&1 || true ;;
        # RPM-based systems leave enabling to the operator (presets).
        install-rpm) ;;
        upgrade) systemctl try-restart mulligand.service >/dev/null 2>&1 || true ;;
    esac
fi
exit 0
