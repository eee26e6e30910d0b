#ifndef VB_NESTED_INIT_H
#define VB_NESTED_INIT_H

/* The L1 guest's /init (a busybox shell script). */
extern const char nested__init_script[];

#endif
