/*
 * slowflush: a one-file FUSE filesystem, /disk.img backed by a real file, whose every fsync waits DELAY_MS first (one
 * flush at a time, as a device's cache flush). An ext4 image on a loop device over it is a disk with slow flushes (see run.sh).
 *   slowflush BACKING DELAY_MS MOUNTPOINT [fuse options] */
#define FUSE_USE_VERSION 31
#include <fuse.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int backing = -1;
static long delay_ms;
static pthread_mutex_t flush_lock = PTHREAD_MUTEX_INITIALIZER;

static int sf_getattr(const char *path, struct stat *st, struct fuse_file_info *fi) {
    (void)fi;
    memset(st, 0, sizeof *st);
    if (strcmp(path, "/") == 0) { st->st_mode = S_IFDIR | 0755; st->st_nlink = 2; return 0; }
    if (strcmp(path, "/disk.img") != 0) return -ENOENT;
    struct stat b; if (fstat(backing, &b) != 0) return -errno;
    st->st_mode = S_IFREG | 0600; st->st_nlink = 1; st->st_size = b.st_size; st->st_blocks = b.st_blocks; st->st_blksize = 4096;
    return 0;
}
static int sf_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off, struct fuse_file_info *fi, enum fuse_readdir_flags fl) {
    (void)off; (void)fi; (void)fl;
    if (strcmp(path, "/") != 0) return -ENOENT;
    fill(buf, ".", NULL, 0, 0); fill(buf, "..", NULL, 0, 0); fill(buf, "disk.img", NULL, 0, 0);
    return 0;
}
static int sf_open(const char *path, struct fuse_file_info *fi) { (void)fi; return strcmp(path, "/disk.img") == 0 ? 0 : -ENOENT; }
static int sf_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi) {
    (void)path; (void)fi; ssize_t n = pread(backing, buf, size, off); return n < 0 ? -errno : (int)n;
}
static int sf_write(const char *path, const char *buf, size_t size, off_t off, struct fuse_file_info *fi) {
    (void)path; (void)fi; ssize_t n = pwrite(backing, buf, size, off); return n < 0 ? -errno : (int)n;
}
static int sf_fsync(const char *path, int datasync, struct fuse_file_info *fi) {
    (void)path; (void)datasync; (void)fi;
    pthread_mutex_lock(&flush_lock);
    struct timespec d = { delay_ms / 1000, (delay_ms % 1000) * 1000000L };
    nanosleep(&d, NULL);
    int r = fdatasync(backing) == 0 ? 0 : -errno;
    pthread_mutex_unlock(&flush_lock);
    return r;
}
static int sf_truncate(const char *path, off_t size, struct fuse_file_info *fi) { (void)path; (void)fi; return ftruncate(backing, size) == 0 ? 0 : -errno; }

static const struct fuse_operations ops = {
    .getattr = sf_getattr, .readdir = sf_readdir, .open = sf_open, .read = sf_read, .write = sf_write,
    .fsync = sf_fsync, .truncate = sf_truncate,
};

int main(int argc, char **argv) {
    if (argc < 4) return 2;
    backing = open(argv[1], O_RDWR | O_CLOEXEC);
    if (backing < 0) return 1;
    delay_ms = atol(argv[2]);
    /* fuse_main gets: prog mountpoint [options] */
    argv[2] = argv[0];
    return fuse_main(argc - 2, argv + 2, &ops, NULL);
}
