# The static worker (virtbench-worker): its own objects, built without the
# sanitizers (they do not link statically) and linked with -static. The
# protocol code also goes into libvirtbench.a so the host speaks the same.
FRAGMENT_DIRS += src/worker
# The I/O workloads run natively too: they also go into the library.
IO_WL_OBJS := $(B)/src/worker/io.o $(B)/src/worker/io_disk.o $(B)/src/worker/io_hist.o \
	$(B)/src/worker/io_net.o $(B)/src/worker/io_dev.o
EXTRA_OBJS += $(B)/src/worker/protocol.o $(IO_WL_OBJS)
LDLIBS += -luring
EXTRA_DEPS += $(B)/virtbench-worker

WORKER_CFLAGS := -O2 -g -std=gnu11 $(WARN) -D_GNU_SOURCE -Isrc -MMD -MP -pthread
WORKER_SRCS := $(wildcard src/worker/*.c) \
	$(filter-out $(foreach a,$(OTHER_KARCHES),%/$(a)/%),$(shell find src/workload -name '*.c'))
WORKER_OBJS := $(WORKER_SRCS:%.c=$(B)/worker-static/%.o)

$(B)/worker-static/src/workload/%.o: WORKER_CFLAGS += $(WL_CFLAGS)

$(B)/worker-static/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(WORKER_CFLAGS) -c $< -o $@

# Only the library paths of LDFLAGS (a cross build's sysroot), not the
# sanitizers.
$(B)/virtbench-worker: $(WORKER_OBJS)
	$(CC) -static -pthread $(filter -L%,$(LDFLAGS)) -o $@ $^ -luring

-include $(WORKER_OBJS:.o=.d)
