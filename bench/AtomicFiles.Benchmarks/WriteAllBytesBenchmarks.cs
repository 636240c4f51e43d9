using BenchmarkDotNet.Attributes;

namespace AtomicFiles.Benchmarks;

/// <summary>
/// Replacing an existing file with 4 KiB or 1 MiB, in one call. Allocation per call is the figure to watch:
/// the target is at most 1 KiB beyond the caller's buffer for 4 KiB.
/// </summary>
[MemoryDiagnoser]
public class WriteAllBytesBenchmarks
{
    private static readonly AtomicFileOptions s_fileOnly = new() { Durability = Durability.FileOnly };
    private static readonly AtomicFileOptions s_none = new() { Durability = Durability.None };

    private BenchmarkDirectory _directory = null!;
    private string _path = null!;
    private byte[] _content = null!;

    [Params(4 * 1024, 1024 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = new BenchmarkDirectory("writeall");
        _path = _directory.File("target.bin");
        _content = new byte[Size];
        Random.Shared.NextBytes(_content);
        File.WriteAllBytes(_path, _content);
    }

    [GlobalCleanup]
    public void Cleanup() => _directory.Dispose();

    /// <summary>Not atomic, not durable: a crash can leave the file empty or torn.</summary>
    [Benchmark(Baseline = true, Description = "File.WriteAllBytes (not atomic, no fsync)")]
    public void FileWriteAllBytes() => File.WriteAllBytes(_path, _content);

    [Benchmark(Description = "FileStream + fsync + File.Move (file durability)")]
    public void FileStreamFsyncMove() => Baselines.FileStreamFsyncMove(_path, _content, _content.Length);

    /// <summary>No fsync at all: beside File.WriteAllBytes, this isolates what the library itself costs.</summary>
    [Benchmark(Description = "AtomicFile.WriteAllBytes None (no fsync)")]
    public void AtomicNone() => AtomicFile.WriteAllBytes(_path, _content, s_none);

    [Benchmark(Description = "AtomicFile.WriteAllBytes FileOnly")]
    public void AtomicFileOnly() => AtomicFile.WriteAllBytes(_path, _content, s_fileOnly);

    [Benchmark(Description = "AtomicFile.WriteAllBytes Full")]
    public void AtomicFull() => AtomicFile.WriteAllBytes(_path, _content);

    [Benchmark(Description = "AtomicFile.WriteAllBytesAsync Full")]
    public Task AtomicFullAsync() => AtomicFile.WriteAllBytesAsync(_path, _content);
}
