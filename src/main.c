/* virtbench: measures what virtual machines and containers cost a workload.
 * The commands are the tree in src/cli/tree.c. */
#include "cli/table.h"
#include "core/interrupt.h"

int main(int argc, char **argv)
{
	interrupt__install();
	return cli__main(argc, argv);
}
