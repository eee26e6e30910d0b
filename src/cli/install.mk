# Installing virtbench as a Linux tool: the manual pages and the bash
# completion (made at build time from the command tables by
# virtbench-docgen, which is not installed), and `make install`/`uninstall`
# with PREFIX and DESTDIR.
#
#   PREFIX/bin/virtbench
#   PREFIX/lib/virtbench/virtbench-worker   the static worker, found at run
#                                          time as ../lib/virtbench from bin/
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

.PHONY: docs install uninstall

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

install: $(B)/virtbench $(B)/virtbench-worker docs
	install -d $(I_BIN) $(I_LIB) $(I_MAN) $(I_COMP) $(I_DOC)
	install -m 0755 $(B)/virtbench $(I_BIN)/virtbench
	install -m 0755 $(B)/virtbench-worker $(I_LIB)/virtbench-worker
	install -m 0644 $(B)/man/*.1 $(I_MAN)/
	install -m 0644 $(COMPLETION) $(I_COMP)/virtbench
	install -m 0644 README.md $(I_DOC)/README.md

uninstall:
	rm -f $(I_BIN)/virtbench $(I_LIB)/virtbench-worker $(I_COMP)/virtbench \
		$(I_DOC)/README.md $(I_MAN)/virtbench.1 $(I_MAN)/virtbench-*.1
	rmdir $(I_LIB) $(I_DOC) 2>/dev/null || true

-include $(B)/src/cli/gen/docgen.d
