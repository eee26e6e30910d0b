# Installing virtbench as a Linux tool: the manual pages and the bash
# completion (made at build time from the command tables by
# virtbench-docgen, which is not installed), `make install`/`uninstall`
# with PREFIX and DESTDIR, and `make deb`.
#
#   PREFIX/bin/virtbench
#   PREFIX/lib/virtbench/virtbench-worker   the static worker, found at run
#                                          time as ../lib/virtbench from bin/
#   PREFIX/lib/virtbench/virtbench-static   a static virtbench for the L1
#                                          guest of `vm nested`
#   PREFIX/share/man/man1/virtbench*.1
#   PREFIX/share/bash-completion/completions/virtbench
#   PREFIX/share/doc/virtbench/README.md
#
# The worker stays a file of its own, since containers exec it and QEMU
# guests get it as /init; the microVM's guest image is linked into
# virtbench. Only PREFIX is a choice: the binary finds the worker relative
# to itself, so the directories under PREFIX are fixed.

FRAGMENT_DIRS += src/cli/gen
PREFIX ?= /usr/local
DESTDIR ?=

DOCGEN := $(B)/virtbench-docgen
MAN_STAMP := $(B)/man/.made
COMPLETION := $(B)/virtbench.bash-completion

.PHONY: docs install uninstall deb

$(DOCGEN): $(B)/src/cli/gen/docgen.o $(B)/libvirtbench.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Every page the tree has, so a new command gets its page without a list here.
$(MAN_STAMP): $(DOCGEN)
	@rm -rf $(B)/man && mkdir -p $(B)/man
	$(DOCGEN) man $(B)/man
	@touch $@

$(COMPLETION): $(DOCGEN)
	$(DOCGEN) bash-completion $@

docs: $(MAN_STAMP) $(COMPLETION)

I_BIN := $(DESTDIR)$(PREFIX)/bin
I_LIB := $(DESTDIR)$(PREFIX)/lib/virtbench
I_MAN := $(DESTDIR)$(PREFIX)/share/man/man1
I_COMP := $(DESTDIR)$(PREFIX)/share/bash-completion/completions
I_DOC := $(DESTDIR)$(PREFIX)/share/doc/virtbench

# The static virtbench is made by plain builds only (the sanitizers' runtimes
# do not link statically), so a sanitizer build installs without it.
INSTALL_STATIC := $(if $(filter 0,$(SAN)),$(B)/virtbench-static)
install: $(B)/virtbench $(B)/virtbench-worker $(INSTALL_STATIC) docs
	install -d $(I_BIN) $(I_LIB) $(I_MAN) $(I_COMP) $(I_DOC)
	install -m 0755 $(B)/virtbench $(I_BIN)/virtbench
	install -m 0755 $(B)/virtbench-worker $(I_LIB)/virtbench-worker
	$(if $(INSTALL_STATIC),install -m 0755 $(INSTALL_STATIC) $(I_LIB)/virtbench-static)
	install -m 0644 $(B)/man/*.1 $(I_MAN)/
	install -m 0644 $(COMPLETION) $(I_COMP)/virtbench
	install -m 0644 README.md $(I_DOC)/README.md

uninstall:
	rm -f $(I_BIN)/virtbench $(I_LIB)/virtbench-worker $(I_LIB)/virtbench-static \
		$(I_COMP)/virtbench \
		$(I_DOC)/README.md $(I_MAN)/virtbench.1 $(I_MAN)/virtbench-*.1
	rmdir $(I_LIB) $(I_DOC) 2>/dev/null || true

# The Debian package, built by dpkg-buildpackage from a copy of the tree in
# build/deb/src (tracked and new files; no build directories), so that it
# is built from clean with Debian's flags and nothing is written outside
# this tree; none of this make's flags or variables reach that build. The
# .deb lands in build/deb/ and lintian checks it when installed: an error
# fails the build, warnings are printed.
DEB_DIR := build/deb
deb:
	@command -v dpkg-buildpackage >/dev/null && command -v dh >/dev/null || \
		{ echo "virtbench: make deb needs dpkg-dev and debhelper (apt-get install dpkg-dev debhelper)" >&2; exit 1; }
	rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)/src
	if [ "$$(git rev-parse --show-toplevel 2>/dev/null)" = "$(CURDIR)" ]; then \
		git ls-files -z --cached --others --exclude-standard | \
			tar -c --null -T - --ignore-failed-read 2>/dev/null | tar -x -C $(DEB_DIR)/src; \
	else \
		tar -c --exclude='./build*' --exclude=./virtbench --exclude=./results --exclude=./.git . | \
			tar -x -C $(DEB_DIR)/src; \
	fi
	cd $(DEB_DIR)/src && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		DEB_BUILD_OPTIONS="$${DEB_BUILD_OPTIONS:-parallel=$$(nproc)}" \
		dpkg-buildpackage -us -uc -b
	rm -rf $(DEB_DIR)/src
	@ls $(DEB_DIR)/*.deb
	@if command -v lintian >/dev/null; then \
		lintian --fail-on error $(DEB_DIR)/*.changes; \
	else \
		echo "virtbench: lintian is not installed: the package was not checked" >&2; \
	fi

# tests/test_install.c checks the package `make test` makes here, in both
# builds' suites.
test-build: deb
unit-asan: deb

-include $(B)/src/cli/gen/docgen.d
