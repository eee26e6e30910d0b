/* The in-kernel GICv3. The guest takes no interrupts; the GIC is there
 * because an arm64 VM has one (every arm64 VMM creates it, so boot and
 * density figures include its cost) and because `vm exits` times an access
 * to its distributor, an MMIO exit that KVM completes in the kernel. Only
 * GICv3 is asked for: hosts with a GICv3 often cannot emulate a GICv2. */
#include <errno.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vm/arch.h"
#include "vm/arm64/arm64.h"

/* The fewest interrupts KVM accepts (SGIs and PPIs, plus 32 SPIs): the
 * distributor's per-interrupt state is allocated for all of them. */
#define GIC_NR_IRQS 64u

static int gic__attr(int dev_fd, uint32_t group, uint64_t attr, const void *val, const char *what,
		     struct vb_err *err)
{
	struct kvm_device_attr a = {
		.group = group,
		.attr = attr,
		.addr = (uint64_t)(uintptr_t)val,
	};
	if (ioctl(dev_fd, KVM_SET_DEVICE_ATTR, &a) < 0)
		return err__set(err, errno, "in-kernel GICv3: %s", what);
	return 0;
}

int arm64__gic_create(int vm_fd, unsigned nvcpus, struct vb_err *err)
{
	struct kvm_create_device d = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	if (ioctl(vm_fd, KVM_CREATE_DEVICE, &d) < 0) {
		int e = errno;
		if (e == ENODEV)
			return err__set(err, 0,
					"this host's KVM cannot emulate a GICv3 (its interrupt "
					"controller has no GICv3 virtualization support)");
		return err__set(err, e, "KVM_CREATE_DEVICE (GICv3)");
	}
	int fd = (int)d.fd;
	uint64_t dist = ARM64_GICD_BASE, redist = ARM64_GICR_BASE;
	uint32_t nirqs = GIC_NR_IRQS;
	int rc = -1;
	if (ARM64_GICR_BASE + (uint64_t)nvcpus * ARM64_GICR_STRIDE > ARM64_PVDEV_BASE) {
		err__set(err, 0, "in-kernel GICv3: %u vCPUs do not fit the redistributor window",
			 nvcpus);
		goto out;
	}
	if (gic__attr(fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, &dist,
		      "distributor address", err) < 0 ||
	    gic__attr(fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, &redist,
		      "redistributor address", err) < 0 ||
	    gic__attr(fd, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nirqs, "number of interrupts", err) <
		    0 ||
	    gic__attr(fd, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL,
		      "initialization", err) < 0)
		goto out;
	rc = 0;
out:
	/* The VM holds the GIC; the descriptor is not needed any more. */
	close(fd);
	return rc;
}
