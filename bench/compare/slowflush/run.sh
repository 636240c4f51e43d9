#!/usr/bin/env bash
# The concurrent comparison on a disk whose flushes are slow: an ext4 image on a loop device over slowflush (a one-file
# FUSE filesystem whose every fsync waits SLOWFLUSH_DELAY_MS first, one flush at a time, as a device's cache flush).
# A separate measurement: the default bench (bench/compare/run.sh --concurrent) is unchanged. From the repository root:
#
#   bench/compare/slowflush/run.sh     (root: FUSE, loop device, mount; the COMPARE_* knobs of run.sh apply)
#
# Everything it sets up (FUSE mount, loop device, ext4 mount, the 1 GiB sparse image) is torn down on exit, also on failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
out="$repo/bench/compare/out"
work="$out/slowflush"
delay="${SLOWFLUSH_DELAY_MS:-5}"

missing=()
for p in fuse3 libfuse3-dev pkg-config gcc; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
mkdir -p "$work/fuse" "$work/mnt"
# shellcheck disable=SC2046
gcc -O2 -Wall -o "$out/slowflush-fs" "$here/slowflush.c" $(pkg-config --cflags --libs fuse3)

fuse_pid=""
loop=""
cleanup() {
    set +e
    mountpoint -q "$work/mnt" && umount "$work/mnt"
    [[ -n $loop ]] && losetup -d "$loop"
    mountpoint -q "$work/fuse" && fusermount3 -u "$work/fuse"
    [[ -n $fuse_pid ]] && kill "$fuse_pid" 2>/dev/null
    rm -f "$work/backing.img"
}
trap cleanup EXIT

rm -f "$work/backing.img"
truncate -s 1G "$work/backing.img"
"$out/slowflush-fs" "$work/backing.img" "$delay" "$work/fuse" -f &
fuse_pid=$!
for _ in $(seq 50); do [[ -e $work/fuse/disk.img ]] && break; sleep 0.2; done
loop="$(losetup -f --show "$work/fuse/disk.img")"
mkfs.ext4 -q -F "$loop"
mount "$loop" "$work/mnt"
mkdir -p "$work/mnt/data"
echo "slow-flush disk: ext4 on $loop over FUSE, every flush delayed $delay ms"
COMPARE_DATA_DIR="$work/mnt/data" "$repo/bench/compare/run.sh" --concurrent
