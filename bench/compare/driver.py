"""Runs every writer side by side, interleaved, and prints the comparison table. Started by run.sh.

Each writer is a long-lived worker process (so start-up and JIT are outside the timing) speaking one protocol:
it reads "small N" or "large N" from stdin, replaces DIR/small.bin (4 KiB) or DIR/large.bin (64 MiB) N times,
and prints the N per-write times in ms on one line. The driver asks each worker for one batch in turn — A B C …
A B C … — rotating the order every round, so machine noise falls on every writer alike. Medians of all per-write
times are reported, with their ratio to the C floor.
"""
import json
import os
import shutil
import statistics
import subprocess
import sys

OUT = sys.argv[1]
DATA = os.environ.get("COMPARE_DATA_DIR") or os.path.join(OUT, "data")
SMALL_ROUNDS = int(os.environ.get("COMPARE_SMALL_ROUNDS", "20"))
SMALL_BATCH = int(os.environ.get("COMPARE_SMALL_BATCH", "25"))
LARGE_WRITES = int(os.environ.get("COMPARE_LARGE_WRITES", "20"))
# An older build of the .NET worker (e.g. before an optimisation): its rows run in the same interleaved run.
BEFORE = os.environ.get("COMPARE_BEFORE_DLL")
ONLY = [name for name in os.environ.get("COMPARE_ONLY", "").split(",") if name]

DOTNET = ["dotnet", os.path.join(OUT, "dotnet", "AtomicFiles.Compare.dll")]
NODE = ["node", os.path.join(OUT, "node", "worker.mjs")]

# name, command, arguments after DIR, what it makes durable
WRITERS = [
    ("c-floor", [os.path.join(OUT, "floor")], [], "file + directory (the floor)"),
    ("atomicfiles-full", DOTNET + ["atomicfile-full"], [], "file + directory (Durability.Full, default)"),
    ("atomicfiles-full-async", DOTNET + ["atomicfile-full-async"], [], "file + directory (WriteAllBytesAsync / WriteAsync + CommitAsync)"),
    ("python-atomicwrites", ["/usr/bin/python3", os.path.join(os.path.dirname(__file__), "python", "worker.py")], [], "file + directory"),
    ("c-floor-nodirsync", [os.path.join(OUT, "floor")], ["nodirsync"], "file only"),
    ("atomicfiles-fileonly", DOTNET + ["atomicfile-fileonly"], [], "file only (Durability.FileOnly)"),
    ("go-renameio-v2", [os.path.join(OUT, "renameio-worker")], [], "file only (no directory fsync)"),
    ("npm-write-file-atomic@8", NODE + ["write-file-atomic"], [], "file only (no directory fsync)"),
    ("npm-atomically@2", NODE + ["atomically"], [], "file only (no directory fsync)"),
    ("dotnet-filestream-inplace", DOTNET + ["filestream"], [], "file only, NOT atomic (FileStream + fsync in place)"),
]
# Experiments, run only when named in COMPARE_ONLY.
EXPERIMENTS = [
    ("c-floor-fallocate", [os.path.join(OUT, "floor")], ["fallocate"], "file + directory, temp preallocated"),
    ("c-floor-holdold", [os.path.join(OUT, "floor")], ["holdold"], "file + directory, replaced file closed after the directory fsync"),
]


TX_ROUNDS = int(os.environ.get("COMPARE_TX_ROUNDS", "15"))
TX_FILES = int(os.environ.get("COMPARE_TX_FILES", "100"))
TX_FLOOR = [os.path.join(OUT, "txfloor")]
# Many files at once (--tx): name, command, arguments after DIR, the request kind, what it does. Every row is
# durable as Durability.Full is: each file and each directory its rename touched are fsynced.
TX_WRITERS = [
    ("c-floor-seq", TX_FLOOR, [], "seq", "N × the C floor, one after another"),
    ("c-floor-tx", TX_FLOOR, [], "tx", "C, transaction protocol, N fsyncs at once (one thread each)"),
    ("c-floor-tx-2threads", TX_FLOOR, ["2"], "tx", "C, transaction protocol, fsyncs from 2 threads"),
    ("c-floor-tx-writeback", TX_FLOOR, ["1000", "writeback"], "tx", "C, as c-floor-tx, each temp's writeback started right after its write"),
    ("c-floor-tx-1thread-writeback", TX_FLOOR, ["1", "writeback"], "tx", "C, writeback started early, fsyncs one after another"),
    ("c-floor-tx-2threads-writeback", TX_FLOOR, ["2", "writeback"], "tx", "C, writeback started early, fsyncs from 2 threads"),
    ("c-floor-tx-8threads-writeback", TX_FLOOR, ["8", "writeback"], "tx", "C, writeback started early, fsyncs from 8 threads"),
    ("c-floor-tx-early-root-fsync", TX_FLOOR, ["1000", "early-root-fsync"], "tx", "C, as c-floor-tx, the root's fsync beside the files' (one commit wait less)"),
    ("c-floor-tx-holdold", TX_FLOOR, ["1000", "holdold-parallel-close"], "tx", "C, as c-floor-tx, the replaced files held open over the renames and closed all at once at the end"),
    ("c-floor-tx-kept-threads", TX_FLOOR, ["1000", "holdold-kept-threads"], "tx", "C, as c-floor-tx-holdold, on threads started once and kept (the library's protocol)"),
    ("atomicfiles-seq", DOTNET + ["atomicfile-full"], [], "seq", "N × AtomicFile.WriteAllBytes (Full)"),
    ("atomicfiles-tx", DOTNET + ["atomicfile-full"], [], "tx", "one AtomicFileTransaction of N files (Full)"),
]


CONC_THREADS = [int(t) for t in os.environ.get("COMPARE_CONC_THREADS", "1,4,16,64").split(",")]
CONC_ROUNDS = int(os.environ.get("COMPARE_CONC_ROUNDS", "10"))
# Replaces per batch, shared among the T threads (each does max(2, CONC_OPS / T)).
CONC_OPS = int(os.environ.get("COMPARE_CONC_OPS", "256"))
CONC_FLOOR = [os.path.join(OUT, "concfloor")]
# Concurrent writers (--concurrent): name, command, arguments after DIR, what it does. T threads each durably replace
# their own 4 KiB file (file + directory fsynced) N times, all in one directory.
CONC_WRITERS = [
    ("c-floor-unshared", CONC_FLOOR, [], "C, each thread fsyncs the directory itself"),
    ("c-floor-shared", CONC_FLOOR, ["shared"], "C, directory fsyncs shared (group commit, pthreads)"),
    ("atomicfiles-full", DOTNET + ["atomicfile-full"], [], "AtomicFile.WriteAllBytes (Full) from T threads"),
    ("atomicfiles-full-async", DOTNET + ["atomicfile-full-async"], [], "AtomicFile.WriteAllBytesAsync (Full) from T tasks"),
]
# Experiments on batching the file flushes, run only when named in COMPARE_ONLY.
CONC_EXPERIMENTS = [
    ("c-floor-shared-fdatasync", CONC_FLOOR, ["shared", "fdatasync"], "C, shared directory fsyncs, fdatasync for the file"),
    ("c-floor-shared-writeback", CONC_FLOOR, ["shared", "writeback"], "C, shared directory fsyncs, the file's writeback started at its write"),
]


class Worker:
    def __init__(self, name, command, extra, durability):
        self.name = name
        self.durability = durability
        self.dir = os.path.join(DATA, name)
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        self.proc = subprocess.Popen(command + [self.dir] + extra, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, bufsize=1)
        self.samples = {"small": [], "large": []}

    def run(self, kind, count, keep=True):
        self.proc.stdin.write(f"{kind} {count}\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit(f"{self.name} died (exit code {self.proc.wait()})")
        times = [float(t) for t in line.split()]
        if len(times) != count:
            raise SystemExit(f"{self.name} answered {len(times)} times for {count} writes")
        if keep:
            self.samples.setdefault(kind, []).extend(times)

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def interleave(workers, kind, rounds, batch):
    for r in range(rounds):
        shift = r % len(workers)
        for worker in workers[shift:] + workers[:shift]:
            worker.run(kind, batch)
        print(f"  {kind}: round {r + 1}/{rounds}", file=sys.stderr, end="\r")
    print(file=sys.stderr)


def tx_main():
    """N files of 4 KiB: sequential writes against one transaction, the library against the C floors."""
    rows = TX_WRITERS
    if BEFORE:
        rows = rows + [("before:" + name, ["dotnet", BEFORE] + command[2:], extra, kind, what)
                       for name, command, extra, kind, what in TX_WRITERS if name.startswith("atomicfiles-")]
    rows = [r for r in rows if not ONLY or r[0] in ONLY or r[0] == "c-floor-seq"]
    workers = [(Worker(name, command, extra, what), f"{kind}{TX_FILES}") for name, command, extra, kind, what in rows]
    try:
        for worker, kind in workers:  # warm-up: JIT, page cache, the files' first creation
            worker.run(kind, 2, keep=False)
        for r in range(TX_ROUNDS):
            shift = r % len(workers)
            for worker, kind in workers[shift:] + workers[:shift]:
                worker.run(kind, 1)
            print(f"  {TX_FILES} files: round {r + 1}/{TX_ROUNDS}", file=sys.stderr, end="\r")
        print(file=sys.stderr)
    finally:
        for worker, _ in workers:
            worker.close()

    medians = {w.name: statistics.median(sum(w.samples.values(), [])) for w, _ in workers}
    seq = medians["c-floor-seq"]
    lib_seq = medians.get("atomicfiles-seq")
    print(f"\n{TX_FILES} × 4 KiB, every file and directory fsynced: {TX_ROUNDS} interleaved rounds, one batch of "
          f"{TX_FILES} files per writer per round. Medians of the batch times.\n")
    print("| writer | what | ms per batch | speed-up vs C sequential | speed-up vs AtomicFiles sequential |")
    print("|---|---|---:|---:|---:|")
    for w, _ in workers:
        m = medians[w.name]
        vs_lib = f"{lib_seq / m:.2f}" if lib_seq else "—"
        print(f"| {w.name} | {w.durability} | {m:.1f} | {seq / m:.2f} | {vs_lib} |")
    # The same ratio per round (both measured within a few hundred ms of each other) is steadier than a ratio of medians.
    names = [w.name for w, _ in workers]
    if "atomicfiles-seq" in names:
        by = {w.name: w.samples for w, _ in workers}
        flat = {n: sum(by[n].values(), []) for n in names}
        print("\nPer-round ratios, median (sequential time / batch time, in the same round):")
        for n in names:
            if n.endswith("-seq"):
                continue
            base = "c-floor-seq" if n.startswith("c-") else "atomicfiles-seq" if not n.startswith("before:") else "before:atomicfiles-seq"
            if base in flat:
                ratios = [a / b for a, b in zip(flat[base], flat[n])]
                print(f"  {n} vs {base}: {statistics.median(ratios):.2f}× (min {min(ratios):.2f}, max {max(ratios):.2f})")
        for floor in ("c-floor-tx", "c-floor-tx-kept-threads"):
            if "atomicfiles-tx" in flat and floor in flat:
                ratios = [a / b for a, b in zip(flat["atomicfiles-tx"], flat[floor])]
                print(f"  atomicfiles-tx time / {floor} time: {statistics.median(ratios):.2f}×")


def batch(worker, kind, count):
    """One concurrent batch: the worker answers one time, in ms, for all of it."""
    worker.proc.stdin.write(f"{kind} {count}\n")
    worker.proc.stdin.flush()
    line = worker.proc.stdout.readline()
    if not line:
        raise SystemExit(f"{worker.name} died (exit code {worker.proc.wait()})")
    return float(line)


def concurrent_main():
    """T threads × N replaces of their own file in one directory: the library and the C floors without and with sharing."""
    rows = CONC_WRITERS
    if BEFORE:
        rows = rows + [("before:" + name, ["dotnet", BEFORE] + command[2:], extra, what)
                       for name, command, extra, what in CONC_WRITERS if name.startswith("atomicfiles-")]
    rows = [r for r in rows if not ONLY or r[0] in ONLY or r[0] == "c-floor-unshared"]
    rows += [r for r in CONC_EXPERIMENTS if r[0] in ONLY]
    workers = [Worker(*r) for r in rows]
    samples = {}  # (T, writer) -> batch times, one per round
    try:
        for threads in CONC_THREADS:
            per_thread = max(2, CONC_OPS // threads)
            kind = f"conc{threads}"
            for worker in workers:  # warm-up: JIT, the files' first creation, the threads
                batch(worker, kind, 2)
            for r in range(CONC_ROUNDS):
                shift = r % len(workers)
                for worker in workers[shift:] + workers[:shift]:
                    samples.setdefault((threads, worker.name), []).append(batch(worker, kind, per_thread))
                print(f"  {threads} threads: round {r + 1}/{CONC_ROUNDS}", file=sys.stderr, end="\r")
            print(file=sys.stderr)
    finally:
        for worker in workers:
            worker.close()

    print(f"\nConcurrent writers: T threads × N replaces (4 KiB, file + directory fsynced) of their own file in one "
          f"directory, {max(2, CONC_OPS // max(CONC_THREADS))}-{max(2, CONC_OPS // min(CONC_THREADS))} per thread "
          f"({CONC_OPS} per batch); {CONC_ROUNDS} interleaved rounds. Throughput from the median batch time; "
          f"ratio = the unshared C floor's batch time / the writer's, in the same round (median, min-max).\n")
    print("| writer | what | " + " | ".join(f"T={t} ops/s | × floor" for t in CONC_THREADS) + " |")
    print("|---|---|" + "---:|---:|" * len(CONC_THREADS))
    for w in workers:
        cells = []
        for t in CONC_THREADS:
            times = samples[(t, w.name)]
            floor = samples[(t, "c-floor-unshared")]
            ops = t * max(2, CONC_OPS // t)
            ratios = [f / m for f, m in zip(floor, times)]
            cells.append(f"{ops / (statistics.median(times) / 1000):.0f}")
            cells.append(f"{statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})")
        print(f"| {w.name} | {w.durability} | " + " | ".join(cells) + " |")


def main():
    if "--tx" in sys.argv:
        tx_main()
        return
    if "--concurrent" in sys.argv:
        concurrent_main()
        return
    writers = WRITERS
    if BEFORE:
        writers = writers + [("before:" + name, ["dotnet", BEFORE] + command[2:], extra, durability)
                             for name, command, extra, durability in WRITERS if name.startswith("atomicfiles-")]
    writers = [w for w in writers if not ONLY or w[0] in ONLY or w[0] == "c-floor"]
    writers += [w for w in EXPERIMENTS if w[0] in ONLY]
    workers = [Worker(*w) for w in writers]
    try:
        for worker in workers:  # warm-up: JIT, page cache, the files' first creation
            worker.run("small", 10, keep=False)
            worker.run("large", 1, keep=False)
        interleave(workers, "small", SMALL_ROUNDS, SMALL_BATCH)
        interleave(workers, "large", LARGE_WRITES, 1)
    finally:
        for worker in workers:
            worker.close()

    floor = {kind: statistics.median(workers[0].samples[kind]) for kind in ("small", "large")}
    rows = []
    for w in workers:
        small = statistics.median(w.samples["small"])
        large = statistics.median(w.samples["large"])
        rows.append({
            "writer": w.name,
            "durability": w.durability,
            "small_ms": small,
            "small_ratio": small / floor["small"],
            "large_ms": large,
            "large_ratio": large / floor["large"],
            "large_mib_s": 64 / (large / 1000),
        })

    n_small = SMALL_ROUNDS * SMALL_BATCH
    print(f"\n4 KiB replace: {n_small} writes per writer ({SMALL_ROUNDS} interleaved rounds of {SMALL_BATCH}); "
          f"64 MiB replace: {LARGE_WRITES} writes per writer, interleaved. Medians; ratio = time / C floor's time.\n")
    print("| writer | durability | 4 KiB ms/op | × floor | 64 MiB ms/op | × floor | 64 MiB MiB/s |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['writer']} | {r['durability']} | {r['small_ms']:.4f} | {r['small_ratio']:.2f} | "
              f"{r['large_ms']:.1f} | {r['large_ratio']:.2f} | {r['large_mib_s']:.0f} |")
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump(rows, f, indent=2)


if __name__ == "__main__":
    main()
