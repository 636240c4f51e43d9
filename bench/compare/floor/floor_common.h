/* What floor.c and txfloor.c share: the error exit, the clock, a whole write. */
#ifndef FLOOR_COMMON_H
#define FLOOR_COMMON_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Set by main: the name error messages start with. */
static const char *floor_program = "floor";

static inline void die(const char *what, const char *path) {
    fprintf(stderr, "%s: %s %s: %s\n", floor_program, what, path, strerror(errno));
    exit(1);
}

static inline double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static inline void write_all(int fd, const char *data, size_t len, const char *path) {
    for (size_t done = 0; done < len;) {
        ssize_t n = write(fd, data + done, len - done);
        if (n < 0) { if (errno == EINTR) continue; die("write", path); }
        done += (size_t)n;
    }
}

#endif
