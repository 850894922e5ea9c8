/*
 * coldloop: how much slower this host runs the same code after the core has been left idle for a while.
 *
 * Times one fixed piece of work (WALK_STEPS dependent, branchy reads at pseudo-random places in a 1 MiB table) right
 * after sleeping each gap, ROUNDS times per gap, and prints one line per gap:
 *
 *     gap_ms=<gap> p50_us=<median> p90_us=<90th percentile>
 *
 * The work never changes, so a longer time after a longer gap is the host's doing: caches, TLBs and branch predictors
 * that something else used or flushed meanwhile (on a shared virtual machine, other guests on the same physical core).
 * bench/gateway/run.sh pins it to the gateway's core and prints it beside idle.py's numbers, so that the gateway's
 * latency at a trickle can be read against what the same idle gaps do to code that is not the gateway.
 *
 * Usage: coldloop GAP_MS...        (for example: coldloop 0 1 2 5 20; gaps may have fractions)
 * Build: cc -O2 -o coldloop coldloop.c
 */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define TABLE_WORDS (1024 * 1024 / sizeof(uint32_t))
#define WALK_STEPS 20000
#define ROUNDS 300
#define WARMUP 20

static double now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static void pause_ms(double ms) {
  if (ms <= 0) return;
  struct timespec t = {(time_t)(ms / 1000), (long)((ms - (time_t)(ms / 1000) * 1000) * 1e6)};
  while (nanosleep(&t, &t) != 0) {
  }
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The fixed work: each step's address depends on the last, and half the steps take the other branch. */
static uint32_t walk(const uint32_t *table) {
  uint32_t x = 1, sum = 0;
  for (int i = 0; i < WALK_STEPS; i++) {
    x = x * 1103515245u + 12345u;
    uint32_t v = table[(x >> 8) % TABLE_WORDS];
    if (v & 1) sum += v;
    else sum ^= v << 1;
  }
  return sum;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s GAP_MS...\n", argv[0]);
    return 2;
  }
  uint32_t *table = malloc(TABLE_WORDS * sizeof(uint32_t));
  if (table == NULL) return 1;
  srand(42);
  for (size_t i = 0; i < TABLE_WORDS; i++) table[i] = (uint32_t)rand();
  volatile uint32_t sink = 0;
  static double times[ROUNDS];
  for (int g = 1; g < argc; g++) {
    double gap = atof(argv[g]);
    for (int r = 0; r < WARMUP + ROUNDS; r++) {
      pause_ms(gap);
      double start = now_us();
      sink ^= walk(table);
      if (r >= WARMUP) times[r - WARMUP] = now_us() - start;
    }
    qsort(times, ROUNDS, sizeof(double), by_value);
    printf("gap_ms=%s p50_us=%.0f p90_us=%.0f\n", argv[g], times[ROUNDS / 2], times[ROUNDS * 9 / 10]);
  }
  free(table);
  return sink == 0xFFFFFFFFu ? 1 : 0;
}
