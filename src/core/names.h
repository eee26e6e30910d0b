/* The names in a results file: benchmarks, platforms, metrics and
 * configuration keys. Every benchmark writes them from here and the report
 * reads them from here, so a producer and a reader cannot disagree: a name
 * changed here changes on both sides. The tables of names.c tell a name this
 * version knows from one it does not: the report shows a result under an
 * unknown metric among its "other results" rather than dropping it from the
 * file it would have filled, and one on an unknown platform in no file that
 * is only for VMs, containers or native runs. */
#ifndef VB_CORE_NAMES_H
#define VB_CORE_NAMES_H

#include <stdbool.h>

/* ---- benchmarks: "<area>.<kind>"; the kind picks the report's family ---- */
#define VB_KIND_BOOT		      "boot"
#define VB_KIND_EXITS		      "exits"
#define VB_KIND_CPU		      "cpu"
#define VB_KIND_MEMORY		      "memory"
#define VB_KIND_MEMLAT		      "memlat"
#define VB_KIND_FAULT		      "fault"
#define VB_KIND_STREAM		      "stream"
#define VB_KIND_CLOCK		      "clock"
#define VB_KIND_STARTUP		      "startup"
#define VB_KIND_SCALE		      "scale"
#define VB_KIND_DENSITY		      "density"
#define VB_KIND_INTERFERENCE	      "interference"
#define VB_KIND_DISK		      "disk"
#define VB_KIND_NET		      "net"

/* Native benchmarks are named by their kind alone ("cpu"). */
#define VB_AREA_VM		      "vm."
#define VB_AREA_CONTAINER	      "container."
#define VB_AREA_NATIVE		      "native." /* the suite's entry names, and old files */

#define VB_BENCH_VM_BOOT	      VB_AREA_VM VB_KIND_BOOT
#define VB_BENCH_VM_EXITS	      VB_AREA_VM VB_KIND_EXITS
#define VB_BENCH_VM_CPU		      VB_AREA_VM VB_KIND_CPU
#define VB_BENCH_VM_MEMORY	      VB_AREA_VM VB_KIND_MEMORY
#define VB_BENCH_VM_MEMLAT	      VB_AREA_VM VB_KIND_MEMLAT
#define VB_BENCH_VM_FAULT	      VB_AREA_VM VB_KIND_FAULT
#define VB_BENCH_VM_SCALE	      VB_AREA_VM VB_KIND_SCALE
#define VB_BENCH_VM_DENSITY	      VB_AREA_VM VB_KIND_DENSITY
#define VB_BENCH_VM_INTERFERENCE      VB_AREA_VM VB_KIND_INTERFERENCE
#define VB_BENCH_VM_DISK	      VB_AREA_VM VB_KIND_DISK
#define VB_BENCH_VM_NET		      VB_AREA_VM VB_KIND_NET
#define VB_BENCH_CONTAINER_STARTUP    VB_AREA_CONTAINER VB_KIND_STARTUP
#define VB_BENCH_CONTAINER_CPU	      VB_AREA_CONTAINER VB_KIND_CPU
#define VB_BENCH_CONTAINER_MEMORY     VB_AREA_CONTAINER VB_KIND_MEMORY
#define VB_BENCH_CONTAINER_DENSITY    VB_AREA_CONTAINER VB_KIND_DENSITY
#define VB_BENCH_CONTAINER_DISK	      VB_AREA_CONTAINER VB_KIND_DISK
#define VB_BENCH_CONTAINER_NET	      VB_AREA_CONTAINER VB_KIND_NET

/* ---- platforms (names.c gives each its kind) ---- */
#define VB_PLATFORM_NATIVE	      "native"
#define VB_PLATFORM_MICROVM	      "microvm"
#define VB_PLATFORM_QEMU	      "qemu"
#define VB_PLATFORM_CONTAINER_BUILTIN "container-builtin"
#define VB_PLATFORM_UNSHARE_EXEC      "unshare-exec" /* the floor of container start-up */
#define VB_PLATFORM_RUNC	      "runc"
#define VB_PLATFORM_CRUN	      "crun"
#define VB_PLATFORM_DOCKER	      "docker"
#define VB_PLATFORM_PODMAN	      "podman"
/* The seed's own start-up method (`run -d` until `inspect` says Running). */
#define VB_PLATFORM_DOCKER_SEED	      VB_PLATFORM_DOCKER "-seed-method"
#define VB_PLATFORM_PODMAN_SEED	      VB_PLATFORM_PODMAN "-seed-method"

enum vb_platform_kind {
	VB_PK_OTHER, /* a platform this version does not know */
	VB_PK_NATIVE,
	VB_PK_VM,
	VB_PK_CONTAINER,
};

/* ---- metrics ---- */
/* boot */
#define VB_METRIC_READY_MS		    "ready_ms" /* also container start-up */
#define VB_METRIC_TOTAL_MS		    "total_ms"
#define VB_METRIC_VMM_CPU_MS		    "vmm_cpu_ms"
#define VB_METRIC_PHASE_PREFIX		    "phase." /* "phase.<name>_ms": one boot phase */
#define VB_METRIC_PHASE_QEMU_READY_MS	    VB_METRIC_PHASE_PREFIX "qemu_ready_ms"
#define VB_METRIC_PHASE_KERNEL_ENTRY_MS	    VB_METRIC_PHASE_PREFIX "kernel_entry_ms"
#define VB_METRIC_PHASE_KERNEL_DONE_MS	    VB_METRIC_PHASE_PREFIX "kernel_done_ms"
/* cloud images: the boot loader's first output, cloud-init's final stage done */
#define VB_METRIC_PHASE_LOADER_MS	    VB_METRIC_PHASE_PREFIX "loader_ms"
#define VB_METRIC_PHASE_CLOUD_INIT_MS	    VB_METRIC_PHASE_PREFIX "cloud_init_ms"
#define VB_METRIC_PHASE_SHUTDOWN_MS	    VB_METRIC_PHASE_PREFIX "shutdown_ms"
/* exits and clock reads: "<exit>_ns" (host clock), "<exit>_guest_ns" */
#define VB_METRIC_NS_SUFFIX		    "_ns"
#define VB_METRIC_GUEST_NS_SUFFIX	    "_guest_ns"
#define VB_METRIC_KVM_RUN_EMPTY_NS	    "kvm_run_empty_ns"
#define VB_METRIC_CLOCK_READ_NS		    "clock_read_ns"
/* throughput */
#define VB_METRIC_EVENTS_PER_SEC	    "events_per_sec"
#define VB_METRIC_EVENTS_PER_SEC_PER_THREAD "events_per_sec_per_thread"
#define VB_METRIC_PER_VCPU_EVENTS_PER_SEC   "per_vcpu_events_per_sec"
#define VB_METRIC_MIB_PER_SEC		    "mib_per_sec"
#define VB_METRIC_OPS_PER_SEC		    "ops_per_sec"
#define VB_METRIC_GIB_PER_SEC		    "gib_per_sec"
#define VB_METRIC_GB_PER_SEC		    "gb_per_sec"
/* latency */
#define VB_METRIC_NS_PER_LOAD		    "ns_per_load"
#define VB_METRIC_NS_PER_PAGE		    "ns_per_page"
/* container start-up */
#define VB_METRIC_RUNNING_MS		    "running_ms"
#define VB_METRIC_EXIT_MS		    "exit_ms"
#define VB_METRIC_TEARDOWN_MS		    "teardown_ms" /* also density */
/* density */
#define VB_METRIC_CREATE_PER_SEC	    "create_per_sec"
#define VB_METRIC_ALL_READY_MS		    "all_ready_ms"
#define VB_METRIC_START_RATE_PER_SEC	    "start_rate_per_sec"
#define VB_METRIC_VMM_RSS_KIB_PER_VM	    "vmm_rss_kib_per_vm"
#define VB_METRIC_VMM_PSS_KIB_PER_VM	    "vmm_pss_kib_per_vm"
#define VB_METRIC_HOST_KIB_PER_VM	    "host_kib_per_vm"
#define VB_METRIC_GUEST_TOUCHED_KIB_PER_VM  "guest_touched_kib_per_vm"
#define VB_METRIC_PER_VM_EVENTS_PER_SEC	    "per_vm_events_per_sec"
#define VB_METRIC_AGGREGATE_EVENTS_PER_SEC  "aggregate_events_per_sec"
/* disk and net (measure/iobench.h) */
#define VB_METRIC_IOPS			    "iops"
#define VB_METRIC_P50_US		    "p50_us"
#define VB_METRIC_P99_US		    "p99_us"
#define VB_METRIC_GBIT_PER_SEC		    "gbit_per_sec"
#define VB_METRIC_TRANSACTIONS_PER_SEC	    "transactions_per_sec"

/* ---- configuration keys ---- */
/* what the report reads as numbers */
#define VB_CFG_VCPUS			    "vcpus"
#define VB_CFG_MEMORY_MIB		    "memory_mb" /* MiB, under its historical name */
#define VB_CFG_THREADS			    "threads"
#define VB_CFG_VMS			    "vms"	 /* vm.density: guests at once */
#define VB_CFG_CONTAINERS		    "containers" /* container.density */
#define VB_CFG_GUESTS			    "guests"	 /* vm.interference */
#define VB_CFG_WORKING_SET		    "working_set"
/* what it reads as text */
#define VB_CFG_IMAGE			    "image"
#define VB_CFG_RUNTIME			    "runtime"
#define VB_CFG_EXIT			    "exit"
#define VB_CFG_CLOCK			    "clock"
#define VB_CFG_ACCEL			    "accel"
#define VB_CFG_PAGE_SIZE		    "page_size"
#define VB_CFG_KERNEL			    "kernel" /* QEMU's guest kernel, or the STREAM kernel */
#define VB_CFG_QEMU			    "qemu"   /* QEMU's version */
/* provenance: how a figure was obtained, not which experiment it is */
#define VB_CFG_COMPILER			    "compiler"
#define VB_CFG_CFLAGS			    "cflags"
#define VB_CFG_ARCH			    "arch"
#define VB_CFG_KVM_CPL0			    "kvm_cpl0"
#define VB_CFG_KVM_MODULE		    "kvm_module"
#define VB_CFG_EXITS_PER_SAMPLE		    "exits_per_sample"
#define VB_CFG_CALLS_PER_SAMPLE		    "calls_per_sample"
#define VB_CFG_LOADS			    "loads"
#define VB_CFG_CHECKSUM			    "checksum"
#define VB_CFG_PAGE_SOURCE		    "page_source"
#define VB_CFG_GUEST			    "guest"
#define VB_CFG_NATIVE_EVENTS_PER_SEC	    "native_" VB_METRIC_EVENTS_PER_SEC
#define VB_CFG_NATIVE_SPEED_MIB_SEC	    "native_speed_mib_sec" /* the seed's column */
/* vm nested: which level a figure comes from (l1: the host, l2: inside the
 * L1 guest) and how that guest ran (host, kvm, tcg) */
#define VB_CFG_LEVEL			    "level"
#define VB_CFG_NESTED_ACCEL		    "nested_accel"
/* the rest of the experiment */
#define VB_CFG_GUEST_STATE		    "guest_state"
#define VB_CFG_GUEST_LEVEL		    "guest_level"
#define VB_CFG_SIZE			    "size"
#define VB_CFG_TOTAL_SIZE		    "total_size"
#define VB_CFG_BLOCK_SIZE		    "block_size"
#define VB_CFG_TIME			    "time"
#define VB_CFG_TIME_S			    "time_s"
#define VB_CFG_TIME_MS			    "time_ms"
#define VB_CFG_EVENTS			    "events"
#define VB_CFG_CPU_MAX_PRIME		    "cpu_max_prime"
#define VB_CFG_CPU_LOOP			    "cpu_loop"
#define VB_CFG_OPER			    "oper"
#define VB_CFG_ACCESS_MODE		    "access_mode"
#define VB_CFG_SCOPE			    "scope"
#define VB_CFG_MODE			    "mode"
#define VB_CFG_ELEMENT			    "element"
#define VB_CFG_TEST			    "test"	   /* disk, net: which test */
#define VB_CFG_DEPTH			    "depth"	   /* disk: requests in flight */
#define VB_CFG_DIRECT			    "direct"	   /* disk: O_DIRECT used (1/0) */
#define VB_CFG_ENGINE			    "engine"	   /* disk: sync, io_uring, threads */
#define VB_CFG_MESSAGE_SIZE		    "message_size" /* net: bytes per request */

/* the tests of disk and net, the value of VB_CFG_TEST (worker/io.h) */
#define VB_IO_SEQ_READ			    "seq_read"
#define VB_IO_SEQ_WRITE			    "seq_write"
#define VB_IO_RAND_READ			    "rand_read"
#define VB_IO_RAND_WRITE		    "rand_write"
#define VB_IO_FSYNC			    "fsync"
#define VB_IO_TCP_STREAM		    "tcp_stream"
#define VB_IO_TCP_STREAM_RX		    "tcp_stream_rx"
#define VB_IO_TCP_RR			    "tcp_rr"
#define VB_IO_TCP_CRR			    "tcp_crr"

/* values the report reads */
#define VB_CLOCK_GUEST			    "guest" /* vm.exits timed by the guest's clock */
#define VB_CLOCK_HOST			    "host"
#define VB_ACCEL_TCG			    "tcg"
#define VB_ACCEL_KVM			    "kvm"
/* On an emulated host's kernel command line (tests/emulated/run-host.sh):
 * its figures come from emulation, not from the speed of real hardware. */
#define VB_HOST_EMULATED_PARAM		    "virtbench.emulated"
#define VB_ACCEL_KVM			    "kvm"

/* The report's families, by benchmark kind. */
enum family {
	FAM_OTHER,
	FAM_BOOT,
	FAM_EXITS,
	FAM_CPU,
	FAM_MEMORY,
	FAM_MEMLAT,
	FAM_FAULT,
	FAM_STREAM,
	FAM_STARTUP,
	FAM_SCALE,
	FAM_DENSITY,
	FAM_INTERFERENCE,
	FAM_DISK,
	FAM_NET,
	FAM_COUNT
};

/* The kind of a benchmark name: after its last dot ("vm.boot" -> "boot"). */
const char *names__kind(const char *benchmark);
/* The family of a benchmark's kind; FAM_OTHER for a kind not in the table. */
enum family names__family(const char *benchmark);
enum vb_platform_kind names__platform_kind(const char *platform);
/* Whether a benchmark of this version writes metric. */
bool names__metric_known(const char *metric);

/* The keys that tell an L2 figure from its L1 twin (for result__twin). */
extern const char *const names__level_keys[];

#endif
