# virtbench build. Plain GNU make: one binary, a static library of everything
# but main() for the tests, and per-area fragments (src/*/*.mk) for the parts
# built with other flags (the freestanding guest image, the static worker).
# `make B=build-asan SAN=1` builds the same tree with the sanitizers.

HOST_ARCH := $(shell uname -m)
ARCH ?= $(HOST_ARCH)
ifeq ($(ARCH),aarch64)
  KARCH := arm64
else
  KARCH := $(ARCH)
endif
OTHER_KARCHES := $(filter-out $(KARCH),x86_64 arm64)

B ?= build
CC ?= cc
ifeq ($(CC),cc)
  CC := gcc
endif
PKG_CONFIG ?= pkg-config
SAN ?= 0

WARN := -Wall -Wextra -Werror -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes \
        -Wshadow -Wno-unused-parameter
CFLAGS ?= -O2 -g
# -ffp-contract=off: no fused multiply-add where the source has none, so the
# statistics of a results file come out the same to the bit on x86_64 and on
# aarch64 (where GCC fuses by default) and two hosts' reports agree.
CFLAGS += -std=gnu11 $(WARN) -ffp-contract=off -D_GNU_SOURCE -Isrc -MMD -MP -pthread
LDLIBS += -ljansson -lm -pthread
ifeq ($(SAN),1)
  CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
  LDFLAGS += -fsanitize=address,undefined
endif

# Everything under src/ except other architectures' folders and the parts
# that fragments build themselves (listed in FRAGMENT_DIRS).
FRAGMENT_DIRS :=
EXTRA_OBJS :=
EXTRA_DEPS :=
# Fragments define rules before `all`; a bare `make` must still build all.
.DEFAULT_GOAL := all
-include $(wildcard src/*.mk src/*/*.mk src/*/*/*.mk)

ALL_SRCS := $(shell find src -name '*.c' | sort)
SRCS := $(ALL_SRCS)
$(foreach a,$(OTHER_KARCHES),$(eval SRCS := $$(filter-out $$(shell find src -path '*/$(a)/*' -name '*.c'),$$(SRCS))))
$(foreach d,$(FRAGMENT_DIRS),$(eval SRCS := $$(filter-out $(d)/%,$$(SRCS))))
OBJS := $(SRCS:%.c=$(B)/%.o)
LIB_OBJS := $(filter-out $(B)/src/main.o,$(OBJS)) $(EXTRA_OBJS)

TEST_SRCS := $(sort $(wildcard tests/test_*.c))
TEST_BINS := $(TEST_SRCS:tests/%.c=$(B)/tests/%)
TEST_LIBS := -lcmocka

.PHONY: all run test check check-asan unit deps-run deps-test clean format format-check fuzz bench
all: $(B)/virtbench $(EXTRA_DEPS)
ifeq ($(B),build)
all: virtbench
virtbench: $(B)/virtbench
	@ln -sf $(B)/virtbench virtbench
endif

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(B)/libvirtbench.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(B)/virtbench: $(B)/src/main.o $(B)/libvirtbench.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The virtbench that `vm nested` puts into its L1 guest, which has no shared
# libraries. Not with the sanitizers, whose runtimes do not link statically.
ifeq ($(SAN),0)
all: $(B)/virtbench-static
$(B)/virtbench-static: $(B)/src/main.o $(B)/libvirtbench.a
	$(CC) $(LDFLAGS) -static -o $@ $^ $(LDLIBS)
endif

$(B)/tests/%: tests/%.c tests/testutil.h $(B)/libvirtbench.a $(EXTRA_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests $(LDFLAGS) -o $@ $< $(B)/libvirtbench.a $(TEST_LIBS) $(LDLIBS)

# The two commands of the README. Each first installs what is missing. `run`
# starts dockerd when the daemon does not answer, and stops it again after.
run: deps-run all
	scripts/with-dockerd.sh ./virtbench run --quick

# On a machine without a usable /dev/kvm, src/cross.mk makes `test` run the
# KVM suites in its emulated hosts too and exports VB_KVM_TESTED_IN for the
# local runs (tests/testutil.h): only for `test`, where that really happens.

# Everything `make test` checks runs side by side (make -j): the plain
# build's suites, the same under the sanitizers, the fuzzers, the cloud
# image, and (src/cross.mk) the arm64 build and the emulated hosts. Most of
# it waits on timers, daemons and emulated CPUs, so together it takes far
# less than one after another. Each suite prints its output whole.
# Steps that no other step waits on (the cloud image's build, the fuzzers)
# run at a lower priority, so the CPU goes first to
# the chain that ends last: the sanitizer build and its suites.
TEST_JOBS ?= 6
BACKGROUND ?=
test: deps-test
	$(MAKE) --no-print-directory format-check
	$(MAKE) --no-print-directory -j$(TEST_JOBS) test-steps BACKGROUND="nice -n 10"

# What the plain build's suites need built (fragments add the package and
# the dist).
.PHONY: test-build
test-build: all $(TEST_BINS)

# Suites that run in one build only. The signal suite and the QEMU
# suites run under ASan and UBSan, where every exit path they force is also
# checked for leaks and undefined behaviour (their time goes to emulated
# guests, which a second build would only repeat). The fleet suite runs in
# the plain build: its checks count every fleet run's remote dirs on this
# machine, so two at once would see each other's. The cloud image's suite
# runs once the image has booted (cloud-boot). Two suites read what the
# emulated hosts made, so they run after them (src/cross.mk), in both
# builds.
ASAN_ONLY_SUITES := test_cleanup_signals test_qemu_boot test_qemu_io
PLAIN_ONLY_SUITES := test_fleet
CLOUD_SUITES := test_qemu_cloud
AFTER_EMULATED_SUITES := test_emulated_results test_nested
# The two longest suites mostly wait (on signals, ssh and emulated hosts):
# each is a step of its own, beside its build's other suites.
OWN_STEP_SUITES := test_cleanup_signals test_fleet

.PHONY: test-steps unit-plain asan-build unit-asan unit-signals unit-fleet unit-cloud \
	unit-emulated fuzz-quick
test-steps: unit-plain unit-asan unit-signals unit-fleet unit-cloud unit-emulated fuzz-quick
# What each build's main step leaves to others (make joins the lines with
# spaces, which run-tests.sh splits the list on).
PLAIN_SKIP := $(ASAN_ONLY_SUITES) $(PLAIN_ONLY_SUITES) $(CLOUD_SUITES) \
	$(AFTER_EMULATED_SUITES)
ASAN_SKIP := $(PLAIN_ONLY_SUITES) $(OWN_STEP_SUITES) $(CLOUD_SUITES) $(AFTER_EMULATED_SUITES)
unit-plain: test-build
	VB_SKIP_SUITES="$(PLAIN_SKIP)" tests/run-tests.sh $(B)
unit-fleet: test-build
	tests/run-tests.sh $(B) test_fleet
asan-build:
	$(MAKE) --no-print-directory B=build-asan SAN=1 build-asan/virtbench \
		$(TEST_BINS:$(B)/%=build-asan/%)
unit-asan: asan-build
	VB_SKIP_SUITES="$(ASAN_SKIP)" tests/run-tests.sh build-asan
# all: the signal suite's nested guest runs the plain build's static binary.
unit-signals: asan-build all
	tests/run-tests.sh build-asan test_cleanup_signals
unit-cloud: cloud-boot
	tests/run-tests.sh $(B) $(CLOUD_SUITES)
unit-emulated: test-build asan-build
	tests/run-tests.sh $(B) $(AFTER_EMULATED_SUITES)
	tests/run-tests.sh build-asan $(AFTER_EMULATED_SUITES)
fuzz-quick:
	$(BACKGROUND) $(MAKE) --no-print-directory fuzz FUZZ_SECONDS=30 FUZZ_PVDEV_SECONDS=15

# A real cloud image (Debian 12, scripts/make-cloud-image.sh, cached in
# build/cloud/) built and booted once under TCG to cloud-init's end, for
# tests/test_qemu_cloud.c (unit-cloud).
.PHONY: cloud-image cloud-boot
cloud-boot: all cloud-image
	tests/cloud-boot.sh $(B)
# The image alone needs nothing of ours built, so make test starts it first;
# a failure here is left to cloud-boot, which tries again and says why.
cloud-image:
	-@$(BACKGROUND) scripts/make-cloud-image.sh >/dev/null 2>&1

deps-run:
	@scripts/deps.sh run
deps-test:
	@scripts/deps.sh test
	@scripts/start-dockerd.sh

# The whole unit suite again under AddressSanitizer and UBSan.
check-asan:
	$(MAKE) B=build-asan SAN=1 build-asan/virtbench $(TEST_BINS:$(B)/%=build-asan/%)
	tests/run-tests.sh build-asan

# The results reader under libFuzzer for FUZZ_SECONDS, from the seed corpus
# in tests/fuzz/corpus (new inputs go to $(B)/fuzz/corpus, the tree stays
# clean). Only the sources the reader needs are compiled, with clang.
FUZZ_SECONDS ?= 60
FUZZ_SRCS := src/core/result.c src/core/result_json.c src/core/stats.c src/core/err.c \
	src/core/fileio.c
# The microVM's device and exit decoding (tests/fuzz/fuzz_pvdev.c) for each
# architecture's layout, no KVM needed: FUZZ_PVDEV_SECONDS each. make test
# keeps every fuzzer within two minutes: 30 s of results, 2 x 15 s of
# device, and 20 s of hostile guests in each emulated host, side by side.
FUZZ_PVDEV_SECONDS ?= $(FUZZ_SECONDS)
FUZZ_PVDEV_SRCS := src/vm/pvdev.c src/vm/vcpu_exit.c src/vm/exit.c src/core/err.c
FUZZ_PVDEV_ARCHES := x86_64 arm64
FUZZ_PVDEV_BINS := $(FUZZ_PVDEV_ARCHES:%=$(B)/fuzz/fuzz_pvdev_%)
# $(call fuzz_pvdev_run,SECONDS): each layout's target in turn.
fuzz_pvdev_run = set -e; for a in $(FUZZ_PVDEV_ARCHES); do \
		mkdir -p $(B)/fuzz/corpus-pvdev-$$a; \
		$(B)/fuzz/fuzz_pvdev_$$a -max_total_time=$(1) -max_len=4096 -timeout=10 \
			-rss_limit_mb=2048 -print_final_stats=1 \
			$(B)/fuzz/corpus-pvdev-$$a tests/fuzz/corpus-pvdev; \
	done
fuzz: $(B)/fuzz/fuzz_results $(FUZZ_PVDEV_BINS)
	@mkdir -p $(B)/fuzz/corpus
	$(B)/fuzz/fuzz_results -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 $(B)/fuzz/corpus tests/fuzz/corpus
	$(call fuzz_pvdev_run,$(FUZZ_PVDEV_SECONDS))

# The guest boundary for longer, FUZZ_SECONDS per target: the device
# decoder for each layout, hostile guests (tests/test_vm_fuzz.c) natively
# where /dev/kvm opens, and in the emulated hosts (src/cross.mk).
.PHONY: fuzz-guest
fuzz-guest: $(FUZZ_PVDEV_BINS) $(B)/tests/test_vm_fuzz
	$(call fuzz_pvdev_run,$(FUZZ_SECONDS))
	if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then \
		VB_FUZZ_SECONDS=$(FUZZ_SECONDS) $(B)/tests/test_vm_fuzz; fi

$(B)/fuzz/fuzz_results: tests/fuzz/fuzz_results.c $(FUZZ_SRCS) $(wildcard src/core/*.h)
	@mkdir -p $(dir $@)
	clang -g -O1 -std=gnu11 $(WARN) -D_GNU_SOURCE -Isrc -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -o $@ tests/fuzz/fuzz_results.c $(FUZZ_SRCS) \
		-ljansson -lm

$(B)/fuzz/fuzz_pvdev_%: tests/fuzz/fuzz_pvdev.c $(FUZZ_PVDEV_SRCS) src/vm/%/exit.c \
		$(wildcard src/vm/*.h src/vm/*/*.h src/core/*.h)
	@mkdir -p $(dir $@)
	clang -g -O1 -std=gnu11 $(WARN) -D_GNU_SOURCE -Isrc -pthread -Wl,--wrap=pthread_cond_wait \
		$(if $(filter arm64,$*),-DFUZZ_ARM64) -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -o $@ tests/fuzz/fuzz_pvdev.c $(FUZZ_PVDEV_SRCS) \
		src/vm/$*/exit.c

unit: all $(TEST_BINS)
	tests/run-tests.sh $(B)

# Every C file of the project, as `make format` writes it and `make test`
# checks it (.clang-format; Debian's clang-format 14).
FORMAT_FILES = $(shell git ls-files 'src/*.[ch]' 'tests/*.[ch]' 'bench/*.c' 2>/dev/null || \
	find src tests bench -name '*.[ch]' -not -path 'tests/fixtures/*')
format:
	clang-format -i $(FORMAT_FILES)
format-check:
	@clang-format --dry-run --Werror $(FORMAT_FILES) || \
		{ echo "virtbench: the files above differ from .clang-format; run 'make format'" >&2; exit 1; }

clean:
	rm -rf build build-* virtbench

-include $(OBJS:.o=.d) $(TEST_BINS:=.d)
