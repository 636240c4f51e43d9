using BenchmarkDotNet.Attributes;

namespace AtomicFiles.Benchmarks;

/// <summary>
/// Read-modify-write of a 4 KiB file: <see cref="AtomicFile.Update"/> (cross-process lock, read, durable replace)
/// beside doing the same by hand without the lock.
/// </summary>
[MemoryDiagnoser]
public class UpdateBenchmarks
{
    private const int Size = 4 * 1024;

    private BenchmarkDirectory _directory = null!;
    private string _path = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = new BenchmarkDirectory("update");
        _path = _directory.File("target.bin");
        File.WriteAllBytes(_path, new byte[Size]);
    }

    [GlobalCleanup]
    public void Cleanup() => _directory.Dispose();

    /// <summary>Not atomic, not durable, no lock: two concurrent updaters lose one update.</summary>
    [Benchmark(Baseline = true, Description = "File.ReadAllBytes + File.WriteAllBytes (no lock, not atomic)")]
    public void ReadWrite() => File.WriteAllBytes(_path, Increment(File.ReadAllBytes(_path)));

    [Benchmark(Description = "File.ReadAllBytes + FileStream + fsync + File.Move (no lock)")]
    public void ReadFileStreamFsyncMove()
    {
        var next = Increment(File.ReadAllBytes(_path));
        Baselines.FileStreamFsyncMove(_path, next, next.Length);
    }

    /// <summary>The same durable replace without the lock: beside Update, shows what the lock costs.</summary>
    [Benchmark(Description = "File.ReadAllBytes + AtomicFile.WriteAllBytes Full (no lock)")]
    public void ReadAtomicWrite() => AtomicFile.WriteAllBytes(_path, Increment(File.ReadAllBytes(_path)));

    [Benchmark(Description = "AtomicFile.Update Full")]
    public void AtomicUpdate() => AtomicFile.Update(_path, current => Increment(current!));

    private static byte[] Increment(byte[] content)
    {
        content[0]++;
        return content;
    }
}
