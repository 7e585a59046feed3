/* STREAM-like memory bandwidth: copy (c = a) and triad (a = b + s*c) over arrays far larger than
 * the caches, split over T threads (each thread first-touches its own part). Prints one JSON line
 * with the best of R repetitions in GB/s (10^9 bytes), counting 16 bytes per element for copy and 24
 * for triad, as STREAM does. Built and run by Benchmarks/harness.py:
 *   gcc -O2 -pthread stream.c -o stream && ./stream THREADS [MiB per array] [repetitions] */
#define _POSIX_C_SOURCE 200112L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double *a, *b, *c;
static size_t n;
static int threads;
static pthread_barrier_t barrier;

struct work { int id; int kernel; };

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void *run(void *arg) {
    struct work *w = arg;
    size_t lo = n * w->id / threads, hi = n * (w->id + 1) / threads;
    if (w->kernel == 0) {
        for (size_t i = lo; i < hi; i++) { a[i] = 1.0; b[i] = 2.0; c[i] = 0.0; }
    } else if (w->kernel == 1) {
        for (size_t i = lo; i < hi; i++) c[i] = a[i];
    } else {
        const double s = 3.0;
        for (size_t i = lo; i < hi; i++) a[i] = b[i] + s * c[i];
    }
    pthread_barrier_wait(&barrier);
    return NULL;
}

static double pass(int kernel) {
    pthread_t ids[64];
    struct work works[64];
    pthread_barrier_init(&barrier, NULL, threads);
    double start = now();
    for (int t = 1; t < threads; t++) {
        works[t] = (struct work){t, kernel};
        pthread_create(&ids[t], NULL, run, &works[t]);
    }
    works[0] = (struct work){0, kernel};
    run(&works[0]);
    double seconds = now() - start;
    for (int t = 1; t < threads; t++) pthread_join(ids[t], NULL);
    pthread_barrier_destroy(&barrier);
    return seconds;
}

int main(int argc, char **argv) {
    threads = argc > 1 ? atoi(argv[1]) : 1;
    size_t mib = argc > 2 ? (size_t)atol(argv[2]) : 256;
    int repetitions = argc > 3 ? atoi(argv[3]) : 5;
    if (threads < 1 || threads > 64 || mib < 1 || repetitions < 1) {
        fprintf(stderr, "usage: stream THREADS [MiB per array] [repetitions]\n");
        return 2;
    }
    n = mib * 1024 * 1024 / sizeof(double);
    a = malloc(n * sizeof(double));
    b = malloc(n * sizeof(double));
    c = malloc(n * sizeof(double));
    if (!a || !b || !c) { fprintf(stderr, "stream: out of memory\n"); return 1; }
    pass(0);
    double best_copy = 1e30, best_triad = 1e30;
    for (int r = 0; r < repetitions; r++) {
        double t = pass(1);
        if (t < best_copy) best_copy = t;
        t = pass(2);
        if (t < best_triad) best_triad = t;
    }
    double check = a[n / 2] + c[n / 3];
    printf("{\"threads\": %d, \"arrayMiB\": %zu, \"repetitions\": %d, \"copyGBs\": %.3f, \"triadGBs\": %.3f, \"check\": %.1f}\n",
           threads, mib, repetitions, 16.0 * n / best_copy / 1e9, 24.0 * n / best_triad / 1e9, check);
    free(a); free(b); free(c);
    return 0;
}
