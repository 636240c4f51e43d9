/*
 * The floor for concurrent writers: T threads, each durably replacing its own 4 KiB file N times, all in one directory.
 *
 *   concfloor DIR [shared|unshared [fsync|fdatasync|writeback]]   reads "concT N" on stdin (T threads × N replaces
 *   each), answers one time in ms for the batch
 *
 * Each replace is floor.c's: open(temp, O_EXCL) · write · fsync · close · rename · open(dir) · fsync(dir) · close.
 * Unshared (the default), every thread fsyncs the directory itself. With "shared", threads share directory fsyncs by
 * the group-commit rule: a replace returns only after a directory fsync that began after its rename completed. The
 * first thread to arrive while no fsync runs leads (a lone writer waits for nobody); a thread arriving while one runs
 * waits for it to end, then for the next one, which the first of the waiters to wake starts. No timer.
 * The file flush (the experiments on batching it): fsync (the default); fdatasync; or writeback, where
 * sync_file_range(SYNC_FILE_RANGE_WRITE) starts the temp's writeback right after its write and fsync follows.
 * Speaks the worker protocol of driver.py (--concurrent).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "floor_common.h"

#define MAX_THREADS 256

static const char *dir;
static int shared;
enum file_sync { FILE_FSYNC, FILE_FDATASYNC, FILE_WRITEBACK };
static enum file_sync file_sync = FILE_FSYNC;
static char buf[4096];

/* The group-commit state of the one directory: flushes are numbered in the order they start and end in that order. */
static pthread_mutex_t group_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t group_done = PTHREAD_COND_INITIALIZER;
static long started, completed;
static int flushing;

static void fsync_dir(void) {
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) die("open", dir);
    if (fsync(dfd) != 0) die("fsync", dir);
    close(dfd);
}

static void fsync_dir_shared(void) {
    pthread_mutex_lock(&group_lock);
    long need = started + 1; /* the first flush to start from now on covers this rename */
    while (completed < need) {
        if (!flushing) {
            flushing = 1;
            long mine = ++started;
            pthread_mutex_unlock(&group_lock);
            fsync_dir();
            pthread_mutex_lock(&group_lock);
            completed = mine;
            flushing = 0;
            pthread_cond_broadcast(&group_done);
        } else {
            pthread_cond_wait(&group_done, &group_lock);
        }
    }
    pthread_mutex_unlock(&group_lock);
}

struct job {
    pthread_t thread;
    int index;
    int count;
    pthread_barrier_t *start;
};

static void *writer(void *arg) {
    struct job *job = arg;
    char target[4096], temp[4096];
    snprintf(target, sizeof target, "%s/file%d.bin", dir, job->index);
    snprintf(temp, sizeof temp, "%s/.file%d.bin.tmp", dir, job->index);
    pthread_barrier_wait(job->start);
    for (int i = 0; i < job->count; i++) {
        int fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0) die("open", temp);
        write_all(fd, buf, sizeof buf, temp);
        if (file_sync == FILE_WRITEBACK && sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE) != 0) die("sync_file_range", temp);
        if ((file_sync == FILE_FDATASYNC ? fdatasync(fd) : fsync(fd)) != 0) die("fsync", temp);
        if (close(fd) != 0) die("close", temp);
        if (rename(temp, target) != 0) die("rename", target);
        if (shared) fsync_dir_shared(); else fsync_dir();
    }
    return NULL;
}

int main(int argc, char **argv) {
    floor_program = "concfloor";
    if (argc < 2) { fprintf(stderr, "usage: concfloor DIR [shared|unshared [fsync|fdatasync|writeback]]\n"); return 2; }
    dir = argv[1];
    shared = argc > 2 && strcmp(argv[2], "shared") == 0;
    if (argc > 3) file_sync = strcmp(argv[3], "fdatasync") == 0 ? FILE_FDATASYNC : strcmp(argv[3], "writeback") == 0 ? FILE_WRITEBACK : FILE_FSYNC;
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (char)('a' + i % 26);

    char line[64];
    static struct job jobs[MAX_THREADS];
    setvbuf(stdout, NULL, _IOLBF, 0);
    while (fgets(line, sizeof line, stdin)) {
        int threads, count;
        if (sscanf(line, "conc%d %d", &threads, &count) != 2 || threads < 1 || threads > MAX_THREADS) break;
        pthread_barrier_t start;
        pthread_barrier_init(&start, NULL, (unsigned)threads + 1);
        for (int t = 0; t < threads; t++) {
            jobs[t] = (struct job){ .index = t, .count = count, .start = &start };
            if (pthread_create(&jobs[t].thread, NULL, writer, &jobs[t]) != 0) die("pthread_create", dir);
        }
        pthread_barrier_wait(&start);
        double begin = now_ms();
        for (int t = 0; t < threads; t++) pthread_join(jobs[t].thread, NULL);
        printf("%.4f\n", now_ms() - begin);
        pthread_barrier_destroy(&start);
    }
    return 0;
}
