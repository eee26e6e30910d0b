#include "host/midr.h"

#include <stddef.h>

struct part {
	int id;
	const char *name;
	const char *seen_in;
};

static const struct part arm_parts[] = {
	{ 0xd01, "Cortex-A32", NULL },
	{ 0xd02, "Cortex-A34", NULL },
	{ 0xd03, "Cortex-A53", "Raspberry Pi 3" },
	{ 0xd04, "Cortex-A35", NULL },
	{ 0xd05, "Cortex-A55", NULL },
	{ 0xd06, "Cortex-A65", NULL },
	{ 0xd07, "Cortex-A57", NULL },
	{ 0xd08, "Cortex-A72", "AWS Graviton (a1), Raspberry Pi 4" },
	{ 0xd09, "Cortex-A73", NULL },
	{ 0xd0a, "Cortex-A75", NULL },
	{ 0xd0b, "Cortex-A76", "Raspberry Pi 5" },
	{ 0xd0c, "Neoverse-N1", "AWS Graviton2, Ampere Altra" },
	{ 0xd0d, "Cortex-A77", NULL },
	{ 0xd0e, "Cortex-A76AE", NULL },
	{ 0xd40, "Neoverse-V1", "AWS Graviton3" },
	{ 0xd41, "Cortex-A78", NULL },
	{ 0xd42, "Cortex-A78AE", NULL },
	{ 0xd43, "Cortex-A65AE", NULL },
	{ 0xd44, "Cortex-X1", NULL },
	{ 0xd46, "Cortex-A510", NULL },
	{ 0xd47, "Cortex-A710", NULL },
	{ 0xd48, "Cortex-X2", NULL },
	{ 0xd49, "Neoverse-N2", "Microsoft Azure Cobalt 100" },
	{ 0xd4a, "Neoverse-E1", NULL },
	{ 0xd4b, "Cortex-A78C", NULL },
	{ 0xd4c, "Cortex-X1C", NULL },
	{ 0xd4d, "Cortex-A715", NULL },
	{ 0xd4e, "Cortex-X3", NULL },
	{ 0xd4f, "Neoverse-V2", "AWS Graviton4, NVIDIA Grace, Google Axion" },
	{ 0xd80, "Cortex-A520", NULL },
	{ 0xd81, "Cortex-A720", NULL },
	{ 0xd82, "Cortex-X4", NULL },
	{ 0xd83, "Neoverse-V3AE", NULL },
	{ 0xd84, "Neoverse-V3", NULL },
	{ 0xd85, "Cortex-X925", NULL },
	{ 0xd87, "Cortex-A725", NULL },
	{ 0xd8e, "Neoverse-N3", NULL },
	{ -1, NULL, NULL },
};

static const struct part ampere_parts[] = {
	{ 0xac3, "Ampere-1", "AmpereOne" },
	{ 0xac4, "Ampere-1A", "AmpereOne" },
	{ -1, NULL, NULL },
};

static const struct part cavium_parts[] = {
	{ 0x0a1, "ThunderX", NULL },	  { 0x0a2, "ThunderX-81XX", NULL },
	{ 0x0a3, "ThunderX-83XX", NULL }, { 0x0af, "ThunderX2", NULL },
	{ 0x0b8, "ThunderX3", NULL },	  { -1, NULL, NULL },
};

static const struct part broadcom_parts[] = {
	{ 0x516, "Vulcan", "ThunderX2" },
	{ -1, NULL, NULL },
};

static const struct part fujitsu_parts[] = {
	{ 0x001, "A64FX", "Fugaku" },
	{ -1, NULL, NULL },
};

static const struct part hisilicon_parts[] = {
	{ 0xd01, "TaiShan-v110", "Kunpeng 920" },
	{ 0xd02, "TaiShan-v120", NULL },
	{ -1, NULL, NULL },
};

static const struct part nvidia_parts[] = {
	{ 0x003, "Denver-2", NULL },
	{ 0x004, "Carmel", NULL },
	{ -1, NULL, NULL },
};

static const struct part apm_parts[] = {
	{ 0x000, "X-Gene", NULL },
	{ -1, NULL, NULL },
};

static const struct part qualcomm_parts[] = {
	{ 0x001, "Oryon", NULL },
	{ 0x800, "Kryo-2XX-Gold", NULL },
	{ 0x801, "Kryo-2XX-Silver", NULL },
	{ 0x802, "Kryo-3XX-Gold", NULL },
	{ 0x803, "Kryo-3XX-Silver", NULL },
	{ 0x804, "Kryo-4XX-Gold", NULL },
	{ 0x805, "Kryo-4XX-Silver", NULL },
	{ 0xc00, "Falkor", "Centriq 2400" },
	{ -1, NULL, NULL },
};

/* Cobalt 100 reports Microsoft as implementer with the Neoverse-N2 part. */
static const struct part microsoft_parts[] = {
	{ 0xd49, "Azure-Cobalt-100", "Neoverse-N2 core" },
	{ -1, NULL, NULL },
};

static const struct part apple_parts[] = {
	{ 0x022, "Icestorm-M1", "Apple M1" },
	{ 0x023, "Firestorm-M1", "Apple M1" },
	{ 0x032, "Blizzard-M2", "Apple M2" },
	{ 0x033, "Avalanche-M2", "Apple M2" },
	{ -1, NULL, NULL },
};

/* Implementer 0 is reserved for software: QEMU's "-cpu max" uses it with
 * part 0x051 ('Q'). */
static const struct part software_parts[] = {
	{ 0x051, "QEMU-max", "QEMU TCG -cpu max" },
	{ -1, NULL, NULL },
};

static const struct implementer {
	int id;
	const char *name;
	const struct part *parts;
} implementers[] = {
	{ 0x00, "Software-defined", software_parts },
	{ 0x41, "Arm", arm_parts },
	{ 0x42, "Broadcom", broadcom_parts },
	{ 0x43, "Cavium", cavium_parts },
	{ 0x46, "Fujitsu", fujitsu_parts },
	{ 0x48, "HiSilicon", hisilicon_parts },
	{ 0x4e, "NVIDIA", nvidia_parts },
	{ 0x50, "APM", apm_parts },
	{ 0x51, "Qualcomm", qualcomm_parts },
	{ 0x61, "Apple", apple_parts },
	{ 0x6d, "Microsoft", microsoft_parts },
	{ 0xc0, "Ampere", ampere_parts },
	{ -1, NULL, NULL },
};

int midr__decode(int implementer, int part, struct midr_info *out)
{
	out->vendor = out->core = out->seen_in = NULL;
	for (const struct implementer *im = implementers; im->name; im++) {
		if (im->id != implementer)
			continue;
		out->vendor = im->name;
		for (const struct part *p = im->parts; p->name; p++)
			if (p->id == part) {
				out->core = p->name;
				out->seen_in = p->seen_in;
				return 0;
			}
		return -1;
	}
	return -1;
}
