# What runs inside each emulated host (sourced by the /init of `virtbench vm
# nested-exec`; `run NAME ARGS...` keeps stdout as NAME). Sizes are small:
# TCG executes the nested guest, and these runs check correctness, not speed.
run info.txt info
run info.json info --json
run vm-boot.json vm boot --json -q --vcpus 1,2 --memory 64,64 --iterations 3 --warmup 0
run vm-exits.txt vm exits -q --min-time 0.02 --iterations 3 -o /out/vm-exits.json
run vm-cpu.json vm cpu --json -q --vcpus 1 --memory 64 --time 0.2 --iterations 3 --warmup 0
