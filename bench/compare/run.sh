#!/usr/bin/env bash
# Side-by-side comparison of AtomicFiles with a C floor and its peers. One command, from the repository root:
#
#   bench/compare/run.sh            install what is missing, build every writer, run the interleaved comparison,
#                                   then the 1 GiB allocation check
#   bench/compare/run.sh --strace   also count the syscalls of one 4 KiB replace: library vs C floor
#   bench/compare/run.sh --tx       only the many-files comparison: 100 × 4 KiB as 100 sequential writes and as one
#                                   transaction, library and C floors (COMPARE_TX_ROUNDS, default 15; COMPARE_TX_FILES, 100)
#   bench/compare/run.sh --concurrent  only the concurrent-writers comparison: T threads × N replaces of their own file in
#                                   one directory, library and C floors without and with shared directory fsyncs
#                                   (COMPARE_CONC_THREADS, default 1,4,16,64; COMPARE_CONC_ROUNDS, 10; COMPARE_CONC_OPS, 256 per batch)
#
# Knobs (environment): COMPARE_DATA_DIR (where the files are written; default bench/compare/out/data — must be on a
# real disk, not tmpfs), COMPARE_SMALL_ROUNDS (20) × COMPARE_SMALL_BATCH (25) 4 KiB writes, COMPARE_LARGE_WRITES (20),
# COMPARE_ONLY (comma-separated writer names; the C floor always runs; c-floor-fallocate only when named), COMPARE_BEFORE_DLL (an older build of
# AtomicFiles.Compare.dll, e.g. before an optimisation: its atomicfiles rows join the same interleaved run as "before:…").
# Everything built or installed goes to bench/compare/out/ (git-ignored): no peer source, node_modules or binary is
# ever committed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="$here/out"
mkdir -p "$out"

want_strace=0
want_tx=0
want_concurrent=0
[[ "${1:-}" == "--strace" ]] && want_strace=1
[[ "${1:-}" == "--tx" ]] && want_tx=1
[[ "${1:-}" == "--concurrent" ]] && want_concurrent=1

# --- install -------------------------------------------------------------------------------------------------
packages=(gcc golang-go golang-github-google-renameio-dev python3-atomicwrites nodejs npm)
# The concurrent comparison runs no peer: the C floors and the library only.
[[ $want_concurrent == 1 ]] && packages=(gcc)
[[ $want_strace == 1 ]] && packages+=(strace)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
# node and npm may come from elsewhere than Debian (e.g. NodeSource): only the commands matter.
command -v node >/dev/null && command -v npm >/dev/null && missing=("${missing[@]/nodejs}") && missing=("${missing[@]/npm}")
read -ra missing <<<"${missing[*]}"
if ((${#missing[@]})); then
    if [[ $(id -u) != 0 ]]; then
        echo "missing packages: ${missing[*]} — run as root, or install them first" >&2
        exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

if [[ $want_concurrent == 0 ]]; then
mkdir -p "$out/node"
cp "$here/node/worker.mjs" "$out/node/"
if [[ ! -d "$out/node/node_modules/atomically" || ! -d "$out/node/node_modules/write-file-atomic" ]]; then
    echo '{"private":true,"type":"module"}' >"$out/node/package.json"
    (cd "$out/node" && npm install --no-audit --no-fund --loglevel=error write-file-atomic@8 atomically@2)
fi
fi

# --- build ---------------------------------------------------------------------------------------------------
gcc -O2 -Wall -o "$out/floor" "$here/floor/floor.c"
gcc -O2 -Wall -pthread -o "$out/txfloor" "$here/floor/txfloor.c"
gcc -O2 -Wall -pthread -o "$out/concfloor" "$here/floor/concfloor.c"
if [[ $want_concurrent == 0 ]]; then
rm -rf "$out/go" && cp -r "$here/go" "$out/go"
(cd "$out/go" && GOFLAGS=-mod=mod GOPROXY=off GOCACHE="$out/go-cache" go build -o "$out/renameio-worker" .)
fi
dotnet build "$here/dotnet/AtomicFiles.Compare.csproj" -c Release -o "$out/dotnet" -nologo -v quiet >/dev/null

# --- run -----------------------------------------------------------------------------------------------------
data="${COMPARE_DATA_DIR:-$out/data}"
mkdir -p "$data"
fstype="$(stat -f -c %T "$data")"
echo "data directory: $data ($fstype); $(nproc) cores; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
[[ $fstype == tmpfs ]] && echo "WARNING: tmpfs makes every fsync free; the figures mean nothing there" >&2

if [[ $want_concurrent == 1 ]]; then
    /usr/bin/python3 "$here/driver.py" "$out" --concurrent
    echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
    exit 0
fi

if [[ $want_tx == 1 ]]; then
    /usr/bin/python3 "$here/driver.py" "$out" --tx
    echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
    exit 0
fi

/usr/bin/python3 "$here/driver.py" "$out"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "Allocation (dotnet AtomicFiles.Compare.dll alloc):"
dotnet "$out/dotnet/AtomicFiles.Compare.dll" alloc "$data"

if [[ $want_strace == 1 ]]; then
    # Counts for 300 writes minus counts for 100 writes, over 200: the syscalls of one write, start-up cancelled out.
    count() { # writer-command...
        local n
        for n in 100 300; do
            printf 'small 10\nsmall %d\n' "$n" | strace -f -qq -c -o "$out/strace-$n.txt" "$@" "$data/strace" >/dev/null
        done
        /usr/bin/python3 - "$out/strace-100.txt" "$out/strace-300.txt" <<'PY'
import re, sys
def parse(path):
    counts = {}
    for line in open(path):
        m = re.match(r"\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)\s*$", line)
        if m and m.group(2) != "total":
            counts[m.group(2)] = int(m.group(1))
    return counts
a, b = parse(sys.argv[1]), parse(sys.argv[2])
per = {k: (b.get(k, 0) - a.get(k, 0)) / 200 for k in set(a) | set(b)}
per = {k: v for k, v in per.items() if v >= 0.05}
print("  total %.2f per write: %s" % (sum(per.values()), ", ".join("%s %.2g" % (k, v) for k, v in sorted(per.items(), key=lambda kv: -kv[1]))))
PY
    }
    rm -rf "$data/strace" && mkdir -p "$data/strace"
    echo
    echo "Syscalls per 4 KiB replace (strace -f -c, 300 writes minus 100 writes):"
    echo "C floor:";             count "$out/floor"
    echo "AtomicFiles (Full):";  count dotnet "$out/dotnet/AtomicFiles.Compare.dll" atomicfile-full
    rm -rf "$data/strace"
fi
