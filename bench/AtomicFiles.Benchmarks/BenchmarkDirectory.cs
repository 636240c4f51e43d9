namespace AtomicFiles.Benchmarks;

/// <summary>
/// A scratch directory for one benchmark class, on the filesystem the benchmarks are meant to measure:
/// <c>ATOMICFILES_BENCH_DIR</c> if set, else the system temp directory. tmpfs would make every fsync free and the
/// numbers meaningless, so point the variable at a disk-backed directory when /tmp is tmpfs.
/// </summary>
internal sealed class BenchmarkDirectory : IDisposable
{
    internal BenchmarkDirectory(string name)
    {
        var root = Environment.GetEnvironmentVariable("ATOMICFILES_BENCH_DIR") is { Length: > 0 } configured
            ? configured
            : Path.GetTempPath();
        FullPath = Path.Join(root, $"atomicfiles-bench-{name}-{Environment.ProcessId}");
        Directory.CreateDirectory(FullPath);
    }

    internal string FullPath { get; }

    internal string File(string name) => Path.Join(FullPath, name);

    public void Dispose() => Directory.Delete(FullPath, recursive: true);
}
