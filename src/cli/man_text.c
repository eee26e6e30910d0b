/* The parts of the manual pages that no command table holds: where
 * virtbench looks for things, what it leaves where, the results format and
 * examples. Every example is a command line the parser accepts
 * (tests/test_cli_docs.c runs each with --help). */
#include "cli/man.h"

const struct man_entry man__environment[] = {
	{ "VIRTBENCH_WORKER", "vm container run",
	  "The static worker program that containers start and that QEMU guests run as "
	  "/init, when no --worker option names one. Without it virtbench-worker is looked "
	  "for next to the virtbench binary, one directory up, and in ../lib/virtbench "
	  "relative to it, where make install and the Debian package put it." },
	{ "TMPDIR", "vm container run",
	  "Where the temporary directories of containers (root file systems, OCI bundles) "
	  "and QEMU guests (initramfs, overlays, seed, logs) are made (default /tmp), and "
	  "where each run looks for what killed runs left there." },
	{ "PATH", NULL,
	  "Where qemu-system-<arch>, qemu-img, runc, crun, docker, podman, gnuplot and the "
	  "seed-image tools (cloud-localds, genisoimage, xorriso) are looked for; the host "
	  "block (virtbench info, and every result set) lists the ones found, with their "
	  "versions." },
	{ "DOCKER_HOST, XDG_RUNTIME_DIR", "info native vm container run",
	  "The Docker daemon that the docker client reaches; without DOCKER_HOST, the "
	  "host block asks it only when /var/run/docker.sock or "
	  "$XDG_RUNTIME_DIR/docker.sock exists." },
	{ 0 },
};

const struct man_entry man__files[] = {
	{ "/dev/kvm", "info vm run",
	  "The KVM device of the microVM benchmarks; virtbench info reports its API "
	  "version, capabilities and KVM flavour, and whether its guests can run KVM "
	  "themselves (nested guests), or why not and how to enable it." },
	{ "\\fIbindir\\fR/../lib/virtbench/virtbench\\-worker", "vm container run",
	  "The static worker, found relative to the virtbench binary "
	  "(/usr/lib/virtbench/virtbench-worker for /usr/bin/virtbench)." },
	{ "/boot/vmlinuz\\-*", "vm run",
	  "The kernel of the default QEMU guest: the running kernel's, else the newest." },
	{ "/proc, /sys", "info",
	  "What virtbench info reads about the host: CPU, topology, memory, cgroups, KVM "
	  "module parameters." },
	{ "\\fIDIR\\fR/results.json", "run report compare",
	  "The results of virtbench run (schema virtbench/1), rewritten after each "
	  "benchmark; the CSV files, charts and report.html beside it are made from it, "
	  "by run and again by virtbench report." },
	{ "$TMPDIR/virtbench\\-ct.*, $TMPDIR/virtbench\\-qemu.*", "vm container run",
	  "Temporary directories of a run, named after the process that made them (pid "
	  "and start time); removed at its end, or by the next run after a kill." },
	{ "\\fIprefix\\fR/share/doc/virtbench/README.md", NULL,
	  "The whole documentation: how every benchmark measures, the results format "
	  "and its limits, the choices behind them." },
	{ 0 },
};

const char *const man__results_commands = "native vm container run report compare";

const char man__results_text[] =
	"Benchmark commands print a table, or with --json one JSON document on stdout; "
	"-o FILE saves the same document, and virtbench run writes it to DIR/results.json, "
	"which virtbench report and virtbench compare read. Its keys: \"schema\" "
	"(\"virtbench/1\"), \"tool\" (name and version), \"started\" and \"finished\", "
	"\"incomplete\" (true when the run was interrupted), \"host\" (the block that "
	"virtbench info --json prints, schema virtbench-host/1), \"extra\", \"results\" and "
	"\"skipped\". Each result has \"benchmark\", \"platform\", \"metric\", \"unit\", "
	"\"higher_is_better\", \"config\" (what it ran with), \"samples\" (every measured "
	"value), \"stats\" (median with its 95% interval, mean, standard deviation, min, max, "
	"n, outliers) and \"note\"; each entry of \"skipped\" names a benchmark and platform "
	"that did not run and the reason. Statistics are recomputed from the samples when a "
	"file is read, and files are read as untrusted input, with bounded sizes. The "
	"README, section \"Results files and the fuzz check\", has the details.\n";

const struct man_example man__examples[] = {
	{ NULL, "Describe this host: CPU, memory, virtualization support, tools.",
	  "virtbench info" },
	{ NULL, "Everything this host can run, with CSVs, charts and report.html.",
	  "virtbench run -o results" },
	{ NULL, "Two hosts side by side.", "virtbench compare results-x86 results-arm -o cmp" },
	{ NULL, "One benchmark, saved as JSON.",
	  "virtbench container startup --runtime builtin,runc --iterations 20 -o startup.json" },
	{ "info", "Describe this host.", "virtbench info" },
	{ "info", "The same as one JSON document, also saved to a file.",
	  "virtbench info --json -o host.json" },
	{ "info", "Without asking the tools for their versions (no child processes).",
	  "virtbench info --no-tools" },
	{ "native", "sysbench's cpu workload on 4 threads, 10 s per iteration.",
	  "virtbench native cpu --threads 4 --time 10" },
	{ "native", "sysbench's memory workload with 1 KiB blocks over 10 GiB, 5 times.",
	  "virtbench native memory --memory-block-size 1K --memory-total-size 10G "
	  "--iterations 5" },
	{ "native", "Memory latency with 4 KiB and 2 MiB pages, saved as JSON.",
	  "virtbench native memlat --pages 4k,2m -o memlat.json" },
	{ "vm", "Boot the microVM with 1, 2 and 4 vCPUs, 20 boots each.",
	  "virtbench vm boot --vcpus 1,2,4 --iterations 20" },
	{ "vm", "The in-guest cpu overhead, repeated until its 95% interval is within 1 point.",
	  "virtbench vm cpu --adaptive --target-ci 1%" },
	{ "vm", "The cost of port I/O and MMIO exits, as JSON.",
	  "virtbench vm exits --kind pio,mmio --json" },
	{ "container", "Start-up in the built-in runtime, runc and Docker, 20 times each.",
	  "virtbench container startup --runtime builtin,runc,docker --iterations 20" },
	{ "container", "The cpu workload on 1 and 2 threads in every runtime found.",
	  "virtbench container cpu --threads 1,2 --runtime all -o ct-cpu.json" },
	{ "container", "1, 2, 4 and 8 containers at once in the built-in runtime.",
	  "virtbench container density --counts 1,2,4,8 --runtime builtin" },
	{ "run", "The quick suite into a directory of its own.", "virtbench run -o results" },
	{ "run", "The seed's durations and sizes.", "virtbench run --full -o results-full" },
	{ "run", "Only the native benchmarks and the microVM boot.",
	  "virtbench run --only native,vm.boot -o results-boot" },
	{ "run", "What the suite holds.", "virtbench run --list" },
	{ "compare", "An x86_64 and an aarch64 host, with compare.html and charts.",
	  "virtbench compare results-x86 results-arm -o cmp" },
	{ "compare", "Two result files, as one JSON document.",
	  "virtbench compare a/results.json b/results.json --json" },
	{ "report", "Rebuild the CSVs, charts and report.html of a results directory.",
	  "virtbench report results" },
	{ "report", "The same with the SVG charts drawn by virtbench.",
	  "virtbench report results --no-gnuplot" },
	{ 0 },
};
