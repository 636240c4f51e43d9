"""Python's atomicwrites (Debian python3-atomicwrites) under the worker protocol of driver.py.

atomic_write fsyncs the temp file, renames it over the target and fsyncs the directory: full durability.
"""
import os
import sys
import time

from atomicwrites import atomic_write


def main() -> None:
    directory = sys.argv[1]
    large = bytes(97 + i % 26 for i in range(26)) * ((64 << 20) // 26 + 1)
    large = large[: 64 << 20]
    for line in sys.stdin:
        kind, count = line.split()
        data = large if kind == "large" else large[:4096]
        path = os.path.join(directory, kind + ".bin")
        times = []
        for _ in range(int(count)):
            start = time.perf_counter()
            with atomic_write(path, mode="wb", overwrite=True) as f:
                f.write(data)
            times.append("%.4f" % ((time.perf_counter() - start) * 1e3))
        sys.stdout.write(" ".join(times) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
