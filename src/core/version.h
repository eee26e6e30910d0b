/* The tool version, written into every result set and printed by --version. */
#ifndef VB_CORE_VERSION_H
#define VB_CORE_VERSION_H

#define VB_VERSION "0.1.0"

#endif
