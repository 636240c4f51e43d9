/*
 * The floor: the minimal syscall sequence of a durable atomic replace, with nothing around it.
 *   open(temp, O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC) · write · fsync · close · rename · open(dir) · fsync(dir) · close
 * With "nodirsync" as the second argument the directory fsync is left out (file-only durability, for comparison
 * with peers that give only that); with "fallocate" the temp is preallocated to its final length first (the
 * experiment that decides whether the library should preallocate when it knows the length); with "holdold" the
 * replaced file is held open until after the directory fsync, so freeing its blocks is not part of that commit. Speaks the worker protocol of driver.py: see bench/compare/README in
 * docs/performance.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "floor_common.h"

static void replace(const char *dir, const char *target, const char *temp, const char *buf, size_t len, int dirsync, int prealloc, int holdold) {
    int fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) die("open", temp);
    if (prealloc && fallocate(fd, 0, 0, (off_t)len) != 0) die("fallocate", temp);
    write_all(fd, buf, len, temp);
    if (fsync(fd) != 0) die("fsync", temp);
    if (close(fd) != 0) die("close", temp);
    int old = holdold ? open(target, O_RDONLY | O_CLOEXEC) : -1;
    if (rename(temp, target) != 0) die("rename", target);
    if (dirsync) {
        int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0) die("open", dir);
        if (fsync(dfd) != 0) die("fsync", dir);
        close(dfd);
    }
    if (old >= 0) close(old);
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: floor DIR [nodirsync|fallocate|holdold]\n"); return 2; }
    const char *dir = argv[1];
    int dirsync = !(argc > 2 && strcmp(argv[2], "nodirsync") == 0);
    int prealloc = argc > 2 && strcmp(argv[2], "fallocate") == 0;
    int holdold = argc > 2 && strcmp(argv[2], "holdold") == 0;
    size_t large = 64u << 20;
    char *buf = malloc(large);
    if (!buf) return 1;
    for (size_t i = 0; i < large; i++) buf[i] = (char)('a' + i % 26);

    char line[64], target[4096], temp[4096];
    setvbuf(stdout, NULL, _IOLBF, 0);
    while (fgets(line, sizeof line, stdin)) {
        char kind[16];
        int count;
        if (sscanf(line, "%15s %d", kind, &count) != 2) break;
        size_t len = strcmp(kind, "large") == 0 ? large : 4096;
        snprintf(target, sizeof target, "%s/%s.bin", dir, kind);
        snprintf(temp, sizeof temp, "%s/.%s.bin.tmp", dir, kind);
        for (int i = 0; i < count; i++) {
            double start = now_ms();
            replace(dir, target, temp, buf, len, dirsync, prealloc, holdold);
            printf(i ? " %.4f" : "%.4f", now_ms() - start);
        }
        printf("\n");
    }
    return 0;
}
