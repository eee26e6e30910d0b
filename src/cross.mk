# The aarch64 build on an x86_64 host, and the tests that need it.
#
#   make cross-arm64    static aarch64 virtbench and its unit tests in build-arm64/
#   make unit-arm64     those unit tests under qemu-aarch64-static (user mode)
#   make emulated-test  virtbench inside emulated hosts with a real nested /dev/kvm:
#                       Debian arm64 under qemu-system-aarch64 TCG with EL2, in VHE
#                       and nVHE mode, and Debian amd64 under TCG with SVM (kvm-amd)
#
# jansson and cmocka for aarch64 come from Debian's arm64 .debs unpacked into
# build-arm64/sysroot (nothing installed); the kernel and busybox of the
# emulated hosts are cached in build-emul/. `make test` runs all three.

ifneq ($(ARCH),aarch64)

ARM64_B := build-arm64
ARM64_SYSROOT := $(ARM64_B)/sysroot
ARM64_LIBDIR := $(ARM64_SYSROOT)/usr/lib/aarch64-linux-gnu
ARM64_GCC := aarch64-linux-gnu-gcc
# Only jansson, cmocka and liburing live in the sysroot's include dir, so -isystem on
# the compiler itself reaches them without touching the project's CFLAGS.
ARM64_MAKE = $(MAKE) --no-print-directory ARCH=aarch64 B=$(ARM64_B) SAN=0 \
	CC="$(ARM64_GCC) $(ARM64_CFLAGS) -isystem $(ARM64_SYSROOT)/usr/include"
# Recursive (=): TEST_SRCS is defined after the fragments are included.
ARM64_TEST_BINS = $(TEST_SRCS:tests/%.c=$(ARM64_B)/tests/%)
EMUL_DIR := build-emul
EMUL_X86_BIN := $(EMUL_DIR)/x86_64/virtbench

.PHONY: cross-arm64 unit-arm64 emulated-test emulated-arm64 emulated-arm64-vhe \
	emulated-arm64-nvhe emulated-x86 arm64-and-emulated

$(ARM64_SYSROOT)/.ready: tests/emulated/fetch-debs.sh src/cross.mk
	tests/emulated/fetch-debs.sh $(EMUL_DIR)/debs $(ARM64_SYSROOT) \
		libjansson-dev:arm64 libjansson4:arm64 libcmocka-dev:arm64 libcmocka0:arm64 \
		liburing-dev:arm64 liburing2:arm64
	@touch $@

# virtbench itself is static (it goes into the emulated host's initramfs);
# the unit tests link cmocka dynamically because Debian ships no libcmocka.a.
cross-arm64: $(ARM64_SYSROOT)/.ready
	+$(ARM64_MAKE) LDFLAGS="-static -L$(ARM64_LIBDIR)" all
	+$(ARM64_MAKE) LDFLAGS="-L$(ARM64_LIBDIR) -Wl,-rpath-link,$(ARM64_LIBDIR)" \
		$(ARM64_TEST_BINS)

unit-arm64: cross-arm64
	tests/emulated/qemu-user-tests.sh $(ARM64_B)

# The x86_64 binary for the emulated SVM host: the host build's objects
# linked statically (only a link step, no second compile).
$(EMUL_X86_BIN): $(B)/src/main.o $(B)/libvirtbench.a
	@mkdir -p $(dir $@)
	$(CC) -static -o $@ $^ $(LDLIBS)

# The VHE host also runs the unit suites that need a real aarch64 kernel
# with KVM (qemu-user has no KVM and cannot run the process-group ones).
# The aarch64 hosts are booted by this machine's virtbench (vm nested-exec).
EMUL_HOST_ENV := VB_EMUL_HOST_VIRTBENCH=$(B)/virtbench
emulated-arm64-vhe: cross-arm64 $(B)/virtbench
	$(EMUL_HOST_ENV) VB_EMUL_UNITS=$(ARM64_B) \
		tests/emulated/run-host.sh arm64 vhe $(ARM64_B)/virtbench
emulated-arm64-nvhe: cross-arm64 $(B)/virtbench
	$(EMUL_HOST_ENV) tests/emulated/run-host.sh arm64 nvhe $(ARM64_B)/virtbench
emulated-arm64: emulated-arm64-vhe emulated-arm64-nvhe

# The SVM host runs the microVM's suite of the host build: the x86 microVM
# on real SVM with nested paging, which this machine's own KVM (kvm_pvm, or
# none) does not offer. The other suites run natively already.
emulated-x86: $(EMUL_X86_BIN) $(B)/tests/test_vm_core $(B)/tests/test_vm_fuzz
	VB_EMUL_UNITS=$(B) VB_EMUL_UNIT_SUITES="test_vm_core test_vm_fuzz" \
		tests/emulated/run-host.sh x86_64 svm $(EMUL_X86_BIN)

emulated-test: emulated-arm64 emulated-x86

# make fuzz-guest: the hostile guests for FUZZ_SECONDS in the x86_64 SVM
# and the arm64 VHE host, side by side, each with only that suite and
# `virtbench info` (tests/emulated/commands-fuzz.sh).
FUZZ_EMUL_ENV = VB_EMUL_UNIT_SUITES=test_vm_fuzz VB_EMUL_COMMANDS=tests/emulated/commands-fuzz.sh \
	VB_EMUL_TIMEOUT=$$(($(FUZZ_SECONDS) + 600)) \
	VB_EMUL_UNIT_ENV="VB_FUZZ_SECONDS=$(FUZZ_SECONDS) VB_UNIT_LIMIT=$$(($(FUZZ_SECONDS) + 300))"
.PHONY: fuzz-guest-x86 fuzz-guest-arm64 fuzz-guest-emulated
fuzz-guest-x86: $(EMUL_X86_BIN) $(B)/tests/test_vm_fuzz
	$(FUZZ_EMUL_ENV) VB_EMUL_UNITS=$(B) tests/emulated/run-host.sh x86_64 svm $(EMUL_X86_BIN)
fuzz-guest-arm64: cross-arm64 $(B)/virtbench
	$(FUZZ_EMUL_ENV) $(EMUL_HOST_ENV) VB_EMUL_UNITS=$(ARM64_B) \
		tests/emulated/run-host.sh arm64 vhe $(ARM64_B)/virtbench
fuzz-guest-emulated: cross-arm64 $(EMUL_X86_BIN) $(B)/tests/test_vm_fuzz
	+$(MAKE) --no-print-directory -j2 fuzz-guest-x86 fuzz-guest-arm64
fuzz-guest: fuzz-guest-emulated

# All of it at once: the emulated hosts mostly wait on one emulated CPU and
# qemu-user on timeouts, so side by side they take less than half the time.
arm64-and-emulated: cross-arm64 $(B)/virtbench $(EMUL_X86_BIN) $(B)/tests/test_vm_core $(B)/tests/test_vm_fuzz
	+$(MAKE) --no-print-directory -j4 unit-arm64 emulated-arm64-vhe emulated-arm64-nvhe \
		emulated-x86

# The emulated aarch64 host that tests/test_fleet.c reaches over ssh
# (tests/emulated/ssh-host.sh): Debian's arm64 kernel, busybox and Dropbear
# unpacked from the .debs into $(EMUL_SSH_DIR), booted by the test itself.
EMUL_SSH_DIR := $(EMUL_DIR)/arm64-ssh
.PHONY: emulated-ssh-arm64
$(EMUL_SSH_DIR)/.ready: tests/emulated/ssh-host.sh tests/emulated/ssh-init.sh \
		tests/emulated/fetch-debs.sh
	@rm -f $@
	tests/emulated/ssh-host.sh prepare $(EMUL_SSH_DIR)
emulated-ssh-arm64: $(EMUL_SSH_DIR)/.ready
unit-fleet: emulated-ssh-arm64

# `make test` runs this beside the suites (Makefile: test-steps); the
# suites' results are only trusted when it passed too, since make fails
# the whole test when it fails.
test-steps: arm64-and-emulated
unit-emulated: arm64-and-emulated
test: export VB_KVM_TESTED_IN := the emulated x86_64 SVM host (tests/emulated)

# `make VB_CROSS=1` also cross-builds with plain `make`; `make test` always
# does (above). Off by default so that a plain build stays quick.
VB_CROSS ?= 0
ifeq ($(VB_CROSS),1)
all: cross-arm64
endif

endif
