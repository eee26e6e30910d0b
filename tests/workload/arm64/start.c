/* Entry of the freestanding self-test on arm64: no libc, no crt files. */
int wl_selftest__main(void);

__asm__(".text\n"
	".globl _start\n"
	"_start:\n"
	"	mov x29, #0\n"
	"	mov x30, #0\n"
	"	bl wl_selftest__main\n"
	"	mov x8, #94\n" /* exit_group */
	"	svc #0\n"
	"	b .\n");
