using BenchmarkDotNet.Attributes;

namespace AtomicFiles.Benchmarks;

/// <summary>
/// Commit latency of ten 4 KiB files: one transaction against ten sequential <see cref="AtomicFile.WriteAllBytes"/>
/// calls, at the same durability. The transaction pays for a journal (write, fsync, two extra directory fsyncs) and
/// wins back by flushing the ten files concurrently and each directory once.
/// </summary>
[MemoryDiagnoser]
public class TransactionBenchmarks
{
    private const int FileCount = 10;
    private readonly byte[] _content = new byte[4096];
    private string _root = null!;
    private string[] _paths = null!;
    private AtomicFileOptions _options = null!;

    [Params(Durability.Full)]
    public Durability Durability { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Random.Shared.NextBytes(_content);
        _root = Directory.CreateTempSubdirectory("atomicfiles-bench-").FullName;
        Directory.CreateDirectory(Path.Join(_root, "a"));
        Directory.CreateDirectory(Path.Join(_root, "b"));
        _paths = Enumerable.Range(0, FileCount).Select(i => Path.Join(_root, i % 2 == 0 ? "a" : "b", $"file{i}.bin")).ToArray();
        _options = new AtomicFileOptions { Durability = Durability };
        foreach (var path in _paths)
        {
            File.WriteAllBytes(path, _content);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);

    [Benchmark(Baseline = true, Description = "10 x AtomicFile.WriteAllBytes")]
    public void SequentialWrites()
    {
        foreach (var path in _paths)
        {
            AtomicFile.WriteAllBytes(path, _content, _options);
        }
    }

    [Benchmark(Description = "1 transaction of 10 files")]
    public void Transaction()
    {
        using var tx = AtomicFile.BeginTransaction(_root, _options);
        foreach (var path in _paths)
        {
            tx.WriteAllBytes(path, _content);
        }

        tx.Commit();
    }
}
