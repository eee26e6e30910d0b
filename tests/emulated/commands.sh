# What runs inside each emulated host (sourced by guest-init.sh; `run NAME
# ARGS...` keeps stdout as NAME). Sizes are small: TCG executes the nested
# guest, and these runs check correctness, not speed.
run info.txt info
run info.json info --json
run vm-boot.json vm boot --json --vcpus 1,2 --memory 64M --iterations 3 --warmup 1
run vm-exits.txt vm exits --iterations 3 --warmup 1 -o /out/vm-exits.json
run vm-cpu.json vm cpu --json --vcpus 1 --memory 64M --iterations 3 --warmup 0 --time 0.2
