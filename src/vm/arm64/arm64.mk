# arm64 build settings for the freestanding parts: the microVM's guest image
# (src/vm/vm.mk) and the workload core wherever it is built (its objects in
# the host binary, the freestanding self-test; src/workload/workload.mk).
# Without -mno-outline-atomics GCC turns atomics into calls to libgcc helpers
# that pick LSE or load/store-exclusive at run time from the C library's
# auxv, which a freestanding guest lacks; with it the same ARMv8.0 sequences
# run natively and in the guest, so the measured code is the same. The guest
# may use FP/SIMD: the monitor enables it for EL0 and EL1 (CPACR_EL1).
ifeq ($(KARCH),arm64)
  ARM64_FREESTANDING_FLAGS := -mno-outline-atomics -mbranch-protection=none
  VM_GUEST_CFLAGS += $(ARM64_FREESTANDING_FLAGS)
  WL_CFLAGS += $(ARM64_FREESTANDING_FLAGS)
  ifneq ($(HOST_ARCH),aarch64)
    GUEST_OBJCOPY := aarch64-linux-gnu-objcopy
  endif
endif
