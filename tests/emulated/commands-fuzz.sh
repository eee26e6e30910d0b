# What the emulated hosts run for `make fuzz-guest` besides the hostile
# guests' suite (tests/test_vm_fuzz.c): only the host's description.
run info.txt info
