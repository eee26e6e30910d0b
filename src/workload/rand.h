/* xoroshiro128+ (rotations 55, 14, 36), the generator sysbench 1.0 uses for
 * its random choices (memory rnd mode, histogram slot). The state lives with
 * the caller. */
#ifndef VB_WORKLOAD_RAND_H
#define VB_WORKLOAD_RAND_H

#include <stdint.h>

struct wl_rng {
	uint64_t s[2];
};

static inline uint64_t wl_rng__rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t wl_rng__next(struct wl_rng *r)
{
	uint64_t s0 = r->s[0], s1 = r->s[1];
	uint64_t result = s0 + s1;
	s1 ^= s0;
	r->s[0] = wl_rng__rotl(s0, 55) ^ s1 ^ (s1 << 14);
	r->s[1] = wl_rng__rotl(s1, 36);
	return result;
}

/* splitmix64 turns one seed into a well-mixed state. */
static inline uint64_t wl_rng__splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline void wl_rng__seed(struct wl_rng *r, uint64_t seed)
{
	r->s[0] = wl_rng__splitmix(&seed);
	r->s[1] = wl_rng__splitmix(&seed);
}

/* Uniform in [0, n): 52 random bits as a fraction in [0, 1) times n, which is
 * what sysbench's (size_t)(sb_rand_uniform_double() * n) computes, without
 * floating point. */
static inline uint64_t wl_rng__below(struct wl_rng *r, uint64_t n)
{
	uint64_t x = wl_rng__next(r) >> 12;
	return (uint64_t)(((unsigned __int128)x * n) >> 52);
}

#endif
