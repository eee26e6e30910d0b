# The workload core. Its objects are built with the flags of a freestanding
# build everywhere (host binary, static worker, guest image), so that the code
# measured natively is the code measured in a guest:
#   -ffreestanding -fno-builtin   no libc semantics assumed
#   -fno-tree-loop-distribute-patterns  no loops turned into memset/memcpy calls
#   -fno-stack-protector          no __stack_chk_fail
#   -falign-functions=64          each function starts on a cache line, so its
#                                 loops sit at the same offsets within lines in
#                                 every build: a loop straddling a 64-byte line
#                                 in one build and not in another made the same
#                                 instructions run 3% apart on an EPYC
# Every build of src/workload/*.c uses $(WL_CFLAGS).
WL_CFLAGS = -ffreestanding -fno-builtin -fno-stack-protector -falign-functions=64
# clang keeps loops as loops under -ffreestanding; gcc needs telling.
ifeq ($(findstring clang,$(shell $(CC) --version 2>/dev/null | head -1)),)
  WL_CFLAGS += -fno-tree-loop-distribute-patterns
endif
ifeq ($(KARCH),arm64)
  # Atomics inline, not as calls into libgcc's __aarch64_* helpers.
  WL_CFLAGS += -mno-outline-atomics
endif

$(B)/src/workload/%.o: CFLAGS += $(WL_CFLAGS)

# The compiler and flags go into every native result's config; the
# workload's own flags are what matters for its code.
WL_BUILD_FLAGS := $(filter-out -MMD -MP -Isrc -D_GNU_SOURCE -g -std=gnu11 -pthread $(WARN),$(CFLAGS)) $(WL_CFLAGS)
$(B)/src/native/%.o: CFLAGS += -DWL_CFLAGS_STRING='"$(strip $(WL_BUILD_FLAGS))"'

# The freestanding check: the core compiled with -ffreestanding -nostdlib and
# no sanitizers into one relocatable object (whose symbols the unit test
# checks with nm), and linked with a tiny _start into a static program that
# runs every workload once and exits 0 when the results are right.
WL_FREE := $(B)/wl-free
WL_FREE_SRCS := $(sort $(wildcard src/workload/*.c))
WL_FREE_OBJS := $(WL_FREE_SRCS:src/workload/%.c=$(WL_FREE)/%.o)
WL_FREE_CFLAGS = -std=gnu11 $(WARN) -O2 -g -Isrc $(WL_CFLAGS) -nostdlib -fno-pie \
	-fno-asynchronous-unwind-tables -MMD -MP

$(WL_FREE)/%.o: src/workload/%.c
	@mkdir -p $(dir $@)
	$(CC) $(WL_FREE_CFLAGS) -c $< -o $@

$(WL_FREE)/start.o: tests/workload/$(KARCH)/start.c
	@mkdir -p $(dir $@)
	$(CC) $(WL_FREE_CFLAGS) -c $< -o $@

$(WL_FREE)/selftest.o: tests/workload/selftest.c
	@mkdir -p $(dir $@)
	$(CC) $(WL_FREE_CFLAGS) -c $< -o $@

$(WL_FREE)/workload.o: $(WL_FREE_OBJS)
	$(CC) -nostdlib -r -o $@ $^

# No -lgcc: whatever the core needs must be in the core.
$(WL_FREE)/wl-selftest: $(WL_FREE)/start.o $(WL_FREE)/selftest.o $(WL_FREE)/workload.o
	$(CC) -nostdlib -static -no-pie -o $@ $^

EXTRA_DEPS += $(WL_FREE)/workload.o $(WL_FREE)/wl-selftest

-include $(WL_FREE_OBJS:.o=.d) $(WL_FREE)/start.d $(WL_FREE)/selftest.d
