/*
 * The floor for many files at once: what the fsyncs of N durable 4 KiB replaces cost done one after another, and
 * what they cost batched as a transaction does it, with nothing around them.
 *
 *   txfloor DIR [THREADS [writeback|early-root-fsync|holdold|holdold-parallel-close|holdold-kept-threads]]  reads "seq K" or "tx K" (and "seqN K" / "txN K" for N files, default 100) on stdin
 *
 *   seq: N times the single-file floor of floor.c: open O_EXCL · write · fsync · close · rename · open dir · fsync dir
 *   tx:  the transaction protocol of docs/transactions.md, minimally: create + write the N temps; fsync them from
 *        THREADS threads at once (default: one per file); write a journal naming them, fsync it, fsync the root
 *        (the commit point); rename the N temps; fsync their directory; unlink the journal; fsync the root.
 *
 * holdold: each replaced file is held open over its rename and closed at the end (its inode is freed then, not in
 * the rename); holdold-parallel-close: closed from one thread each; holdold-kept-threads: as that, with the fsyncs
 * and closes on threads started once and kept, as the library does — the floor for the library's protocol.
 * writeback: each temp's writeback is started (sync_file_range) right after its write. early-root-fsync: the root's
 * fsync that makes the journal's name durable runs beside the files' fsyncs instead of after the journal's: the name
 * exists from before the first temp, so the commit point is the same; one commit wait less in series.
 *
 * Each of the K samples is the time of one batch of N files, in ms. The files live in DIR/files/, the journal in
 * DIR, like a transaction rooted at DIR writing DIR/files/file{i}.bin. Speaks the worker protocol of driver.py.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "floor_common.h"

#define MAX_FILES 1000

static const char *root;
static char files_dir[4096];
static char buf[4096];
static int fds[MAX_FILES];
static int nfiles;
static int threads;
static int start_writeback;
static int early_root_fsync;
static int hold_old;
static int kept;
static int olds[MAX_FILES];

static void fsync_dir(const char *dir) {
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) die("open", dir);
    if (fsync(dfd) != 0) die("fsync", dir);
    close(dfd);
}

static void paths(int i, char *target, char *temp) {
    snprintf(target, 8192, "%s/file%d.bin", files_dir, i);
    snprintf(temp, 8192, "%s/.file%d.bin.tmp", files_dir, i);
}

static void sequential(void) {
    char target[8192], temp[8192];
    for (int i = 0; i < nfiles; i++) {
        paths(i, target, temp);
        int fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0) die("open", temp);
        write_all(fd, buf, sizeof buf, temp);
        if (fsync(fd) != 0) die("fsync", temp);
        if (close(fd) != 0) die("close", temp);
        if (rename(temp, target) != 0) die("rename", target);
        fsync_dir(files_dir);
    }
}

/* Thread t fsyncs files t, t + threads, t + 2 threads, ... */
static void *flusher(void *arg) {
    for (int i = (int)(long)arg; i < nfiles; i += threads)
        if (fsync(fds[i]) != 0) die("fsync", "temp");
    return NULL;
}

static void *closer(void *arg) {
    int i = (int)(long)arg;
    close(olds[i]);
    olds[i] = -1;
    return NULL;
}

/*
 * Kept threads, as the library keeps them: started once, then handed each phase (the fsyncs, the closes) through two
 * barriers, so a transaction pays no thread start. Thread t (0 is the caller) takes items t, t + pool_n, ...
 */
static int pool_n;
static void (*pool_job)(int i);
static pthread_barrier_t pool_start, pool_done;

static void job_fsync(int i) { if (fsync(fds[i]) != 0) die("fsync", "temp"); }
static void job_close(int i) { close(olds[i]); olds[i] = -1; }

static void pool_slice(int t) {
    for (int i = t; i < nfiles; i += pool_n) pool_job(i);
}

static void *pool_thread(void *arg) {
    for (;;) {
        pthread_barrier_wait(&pool_start);
        pool_slice((int)(long)arg);
        pthread_barrier_wait(&pool_done);
    }
    return NULL;
}

static void pool_run(void (*job)(int)) {
    if (pool_n == 0) {
        pool_n = threads < nfiles ? threads : nfiles;
        pthread_barrier_init(&pool_start, NULL, (unsigned)pool_n);
        pthread_barrier_init(&pool_done, NULL, (unsigned)pool_n);
        for (int t = 1; t < pool_n; t++) {
            pthread_t tid;
            if (pthread_create(&tid, NULL, pool_thread, (void *)(long)t) != 0) die("pthread_create", "");
        }
    }
    pool_job = job;
    pthread_barrier_wait(&pool_start);
    pool_slice(0);
    pthread_barrier_wait(&pool_done);
}

static void *root_flusher(void *arg) {
    (void)arg;
    fsync_dir(root);
    return NULL;
}

static void transaction(void) {
    double t0 = now_ms(), t1, t2, t3, t4, t5;
    char target[8192], temp[8192], journal[4096];
    static char text[MAX_FILES * 64 + 64];
    size_t len = (size_t)snprintf(text, sizeof text, "AtomicFiles transaction journal 1\n");
    snprintf(journal, sizeof journal, "%s/.journal", root);
    int jfd = open(journal, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (jfd < 0) die("open", journal);
    for (int i = 0; i < nfiles; i++) {
        paths(i, target, temp);
        len += (size_t)snprintf(text + len, sizeof text - len, "replace files/.file%d.bin.tmp files/file%d.bin\n", i, i);
        fds[i] = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fds[i] < 0) die("open", temp);
        write_all(fds[i], buf, sizeof buf, temp);
        /* Start the data's writeback now, without waiting: the fsyncs below then find it under way or done. */
        if (start_writeback && sync_file_range(fds[i], 0, 0, SYNC_FILE_RANGE_WRITE) != 0) die("sync_file_range", temp);
    }

    int n = kept ? 0 : threads < nfiles ? threads : nfiles;
    pthread_t tids[MAX_FILES], root_tid;
    if (kept) pool_run(job_fsync);
    for (int t = 1; t < n; t++)
        if (pthread_create(&tids[t], NULL, flusher, (void *)(long)t) != 0) die("pthread_create", "");
    /* The journal's name is in the root since before the first temp: one root fsync among the files' makes it durable. */
    if (early_root_fsync && pthread_create(&root_tid, NULL, root_flusher, NULL) != 0) die("pthread_create", "");
    if (!kept) flusher((void *)0L);
    for (int t = 1; t < n; t++) pthread_join(tids[t], NULL);
    if (early_root_fsync) pthread_join(root_tid, NULL);

    t1 = now_ms();
    len += (size_t)snprintf(text + len, sizeof text - len, "commit 0000000000000000000000000000000000000000000000000000000000000000\n");
    write_all(jfd, text, len, journal);
    if (fsync(jfd) != 0) die("fsync", journal);
    close(jfd);
    if (!early_root_fsync) fsync_dir(root);           /* the commit point */
    t2 = now_ms();
    for (int i = 0; i < nfiles; i++) {
        paths(i, target, temp);
        if (close(fds[i]) != 0) die("close", temp);
        olds[i] = hold_old ? open(target, O_RDONLY | O_CLOEXEC) : -1;
        if (rename(temp, target) != 0) die("rename", target);
    }
    t3 = now_ms();
    fsync_dir(files_dir);
    t4 = now_ms();
    if (unlink(journal) != 0) die("unlink", journal);
    fsync_dir(root);
    t5 = now_ms();
    if (kept) {
        pool_run(job_close);
    } else if (hold_old == 2) {
        pthread_t ctids[MAX_FILES];
        for (int i = 1; i < nfiles; i++)
            if (pthread_create(&ctids[i], NULL, closer, (void *)(long)i) != 0) die("pthread_create", "");
        closer((void *)0L);
        for (int i = 1; i < nfiles; i++) pthread_join(ctids[i], NULL);
    }
    for (int i = 0; i < nfiles; i++)
        if (olds[i] >= 0) close(olds[i]);
    if (getenv("TXFLOOR_PHASES"))
        fprintf(stderr, "stage+fsync %.1f  journal %.1f  renames %.1f  dir %.1f  unlink+root %.1f  close old %.1f\n", t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, now_ms() - t5);
}

int main(int argc, char **argv) {
    floor_program = "txfloor";
    if (argc < 2) { fprintf(stderr, "usage: txfloor DIR [THREADS [OPTION]]\n"); return 2; }
    root = argv[1];
    threads = argc > 2 ? atoi(argv[2]) : MAX_FILES;
    start_writeback = argc > 3 && strcmp(argv[3], "writeback") == 0;
    early_root_fsync = argc > 3 && strcmp(argv[3], "early-root-fsync") == 0;
    kept = argc > 3 && strcmp(argv[3], "holdold-kept-threads") == 0;
    hold_old = argc > 3 && strcmp(argv[3], "holdold") == 0 ? 1 : argc > 3 && strcmp(argv[3], "holdold-parallel-close") == 0 ? 2 : kept;
    if (threads < 1) threads = 1;
    snprintf(files_dir, sizeof files_dir, "%s/files", root);
    if (mkdir(files_dir, 0755) != 0 && errno != EEXIST) die("mkdir", files_dir);
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (char)('a' + i % 26);

    char line[64];
    setvbuf(stdout, NULL, _IOLBF, 0);
    while (fgets(line, sizeof line, stdin)) {
        char kind[16];
        int count;
        if (sscanf(line, "%15s %d", kind, &count) != 2) break;
        int tx = strncmp(kind, "tx", 2) == 0;
        nfiles = atoi(kind + (tx ? 2 : 3));
        if (nfiles <= 0) nfiles = 100;
        if (nfiles > MAX_FILES) nfiles = MAX_FILES;
        for (int i = 0; i < count; i++) {
            double start = now_ms();
            if (tx) transaction(); else sequential();
            printf(i ? " %.4f" : "%.4f", now_ms() - start);
        }
        printf("\n");
    }
    return 0;
}
