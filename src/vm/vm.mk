# The microVM's guest image: the guest loop (src/vm/guest) and the workload
# core (src/workload) compiled freestanding, linked at the guest address,
# turned into a flat binary and embedded in libvirtbench.a (blob.S). The
# sanitizers never apply here: the guest has no runtime to host them.

# Fragments are read before `all:`; keep them from becoming the default goal.
VM_SAVED_GOAL := $(.DEFAULT_GOAL)

VM_GUEST_DIR := src/vm/guest
VM_GUEST_ARCH := $(VM_GUEST_DIR)/$(KARCH)
VM_GUEST_B := $(B)/vm-guest
FRAGMENT_DIRS += $(VM_GUEST_DIR)

GUEST_CC ?= $(CC)
GUEST_OBJCOPY ?= objcopy
VM_GUEST_CFLAGS := -std=gnu11 -O2 -g0 -Wall -Wextra -Werror -ffreestanding -fno-builtin \
	-nostdlib -fno-pic -fno-pie -static -fno-stack-protector -fno-stack-clash-protection \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -fno-tree-loop-distribute-patterns \
	-Isrc -I$(VM_GUEST_ARCH) -MMD -MP
ifeq ($(KARCH),x86_64)
  VM_GUEST_CFLAGS += -mno-red-zone -mcmodel=small -mno-avx -fcf-protection=none
endif
VM_GUEST_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,noexecstack

VM_GUEST_SRCS := $(wildcard $(VM_GUEST_DIR)/*.c $(VM_GUEST_ARCH)/*.c src/workload/*.c)
VM_GUEST_ASRCS := $(wildcard $(VM_GUEST_ARCH)/*.S)
VM_GUEST_OBJS := $(VM_GUEST_SRCS:%.c=$(VM_GUEST_B)/%.o) $(VM_GUEST_ASRCS:%.S=$(VM_GUEST_B)/%.o)
EXTRA_OBJS += $(VM_GUEST_B)/blob.o

# The workload core with the flags it has in every other build.
$(VM_GUEST_B)/src/workload/%.o: VM_GUEST_CFLAGS += $(WL_CFLAGS)

$(VM_GUEST_B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(VM_GUEST_CFLAGS) -c $< -o $@

$(VM_GUEST_B)/%.o: %.S
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(VM_GUEST_CFLAGS) -c $< -o $@

$(VM_GUEST_B)/guest.elf: $(VM_GUEST_OBJS) $(VM_GUEST_ARCH)/guest.ld
	$(GUEST_CC) $(VM_GUEST_LDFLAGS) -T $(VM_GUEST_ARCH)/guest.ld -o $@ $(VM_GUEST_OBJS) -lgcc

$(VM_GUEST_B)/guest.bin: $(VM_GUEST_B)/guest.elf
	$(GUEST_OBJCOPY) -O binary $< $@

$(VM_GUEST_B)/blob.o: $(VM_GUEST_DIR)/blob.S $(VM_GUEST_B)/guest.bin
	$(CC) -c -x assembler-with-cpp -DGUEST_BIN='"$(VM_GUEST_B)/guest.bin"' $< -o $@

-include $(VM_GUEST_OBJS:.o=.d)

.DEFAULT_GOAL := $(VM_SAVED_GOAL)
