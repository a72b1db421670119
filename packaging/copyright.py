"""Writes the package's copyright file (Debian's machine-readable format):
Mulligan's license, then one paragraph for each Python distribution the
package bundles in /opt/mulligan, with the license its metadata declares.

usage: python packaging/copyright.py OUT_FILE   (run by /opt/mulligan's interpreter, at build time)
"""

from __future__ import annotations

import sys
import sysconfig
from importlib import metadata
from pathlib import Path

PREFIX = "/opt/mulligan"

HEADER = """\
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: mulligan

Files: *
Copyright: the Mulligan developers
License: Apache-2.0
 The full text of the license is in /usr/share/doc/mulligan/LICENSE (and, on
 Debian systems, in /usr/share/common-licenses/Apache-2.0).
"""


def site_packages() -> str:
    """The bundled distributions' directory as installed, without the leading '/'."""
    purelib = Path(sysconfig.get_paths()["purelib"])
    return f"{PREFIX.lstrip('/')}/{purelib.relative_to(sys.prefix)}"


def declared_license(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    expression = meta.get("License-Expression")
    if expression:
        return str(expression).strip()
    named = (meta.get("License") or "").strip()
    # Some put the whole license text in the field; its first line names it.
    if named and "\n" not in named and len(named) < 80:
        return named
    classifiers = [c.rsplit(" :: ", 1)[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    if classifiers:
        return " or ".join(classifiers)
    return named.splitlines()[0].strip() if named else "unknown (see the license files named below)"


def paragraph(dist: metadata.Distribution, site: str) -> str:
    name, version = dist.metadata["Name"], dist.version
    files = [str(f) for f in dist.files or [] if not str(f).startswith("..")]
    patterns = set()
    for file in files:
        top, sep, _ = file.partition("/")
        if top == "__pycache__" or top.endswith(".data"):
            continue
        patterns.add(f"{site}/{top}/*" if sep else f"{site}/{top}")
    licenses = sorted(f for f in files if ".dist-info/" in f and any(w in f.lower() for w in ("licen", "copying")))
    author = dist.metadata.get("Author") or dist.metadata.get("Author-email") or f"the {name} authors"
    comment = f"Comment: {name} {version}, bundled in {PREFIX}."
    if licenses:
        comment += "\n Its license text: " + ", ".join(f"/{site}/{f}" for f in licenses)
    return "\n".join(
        [
            "Files: " + "\n ".join(sorted(patterns)),
            f"Copyright: {' '.join(str(author).split())}",
            f"License: {' '.join(declared_license(dist).split())}",
            comment,
        ]
    )


def text() -> str:
    site = site_packages()
    bundled = sorted(
        (d for d in metadata.distributions() if d.metadata["Name"].lower() != "mulligan"),
        key=lambda d: d.metadata["Name"].lower(),
    )
    return HEADER + "".join("\n" + paragraph(dist, site) + "\n" for dist in bundled)


if __name__ == "__main__":
    Path(sys.argv[1]).write_text(text(), encoding="utf-8")
