"""The libvirt driver (needs the ``libvirt`` extra: libvirt-python)."""

from mulligan.executors.libvirt.driver import LibvirtDriver

__all__ = ["LibvirtDriver"]
