# `make dist`: what `virtbench fleet run` copies to other hosts, one static
# virtbench and its static worker per architecture, with their checksums:
#
#   $(B)/dist/x86_64/virtbench        $(B)/dist/x86_64/virtbench-worker
#   $(B)/dist/aarch64/virtbench       $(B)/dist/aarch64/virtbench-worker
#   $(B)/dist/SHA256SUMS              (sha256sum -c reads it in $(B)/dist)
#
# The microVM's guest image is linked into virtbench, so the two files are all
# a host needs. On x86_64 the aarch64 pair comes from the cross build
# (src/cross.mk) and the x86_64 virtbench is the host build's objects linked
# statically; on aarch64 only the native pair is built.
.PHONY: dist
DIST := $(B)/dist

ifneq ($(ARCH),aarch64)
DIST_ARCHES := x86_64 aarch64
$(DIST)/x86_64/virtbench: $(EMUL_X86_BIN)
$(DIST)/x86_64/virtbench-worker: $(B)/virtbench-worker
# Only the two static programs, not the cross build's unit tests.
$(ARM64_B)/virtbench $(ARM64_B)/virtbench-worker: dist-arm64-build ;
.PHONY: dist-arm64-build
# cross-arm64 builds into the same dir through a make of its own: never both
# at once (make test runs its steps side by side).
cross-arm64: dist-arm64-build
dist-arm64-build: $(ARM64_SYSROOT)/.ready
	+$(ARM64_MAKE) LDFLAGS="-static -L$(ARM64_LIBDIR)" $(ARM64_B)/virtbench \
		$(ARM64_B)/virtbench-worker
$(DIST)/aarch64/virtbench: $(ARM64_B)/virtbench
$(DIST)/aarch64/virtbench-worker: $(ARM64_B)/virtbench-worker
else
DIST_ARCHES := aarch64
$(DIST)/aarch64/virtbench: $(B)/src/main.o $(B)/libvirtbench.a
	@mkdir -p $(dir $@)
	$(CC) -static -o $@ $^ $(LDLIBS)
$(DIST)/aarch64/virtbench-worker: $(B)/virtbench-worker
endif

DIST_FILES := $(foreach a,$(DIST_ARCHES),$(DIST)/$(a)/virtbench $(DIST)/$(a)/virtbench-worker)

$(DIST)/%:
	@mkdir -p $(dir $@)
	cp -f $< $@.tmp && chmod 0755 $@.tmp && mv -f $@.tmp $@

$(DIST)/SHA256SUMS: $(DIST_FILES)
	cd $(DIST) && sha256sum $(DIST_FILES:$(DIST)/%=%) > SHA256SUMS.tmp && \
		mv -f SHA256SUMS.tmp SHA256SUMS

dist: $(DIST)/SHA256SUMS
	@file $(DIST_FILES) | sed 's/, BuildID[^,]*//'

# tests/test_fleet.c checks the static binaries and their checksums.
test-build: dist
