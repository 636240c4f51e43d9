using BenchmarkDotNet.Attributes;

namespace AtomicFiles.Benchmarks;

/// <summary>
/// Commit latency of 10 and 100 4 KiB files: one transaction against as many sequential
/// <see cref="AtomicFile.WriteAllBytes"/> calls, at the same durability (issue 6: 100 files ≥ 3× faster). The
/// transaction pays for a journal (write, fsync, two extra directory fsyncs) and wins back by flushing the files
/// concurrently, each directory once, and freeing the replaced files all at once after the renames.
/// </summary>
[MemoryDiagnoser]
public class TransactionBenchmarks
{
    private readonly byte[] _content = new byte[4096];
    private BenchmarkDirectory _directory = null!;
    private string _root = null!;
    private string[] _paths = null!;
    private AtomicFileOptions _options = null!;

    [Params(Durability.Full)]
    public Durability Durability { get; set; }

    [Params(10, 100)]
    public int FileCount { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Random.Shared.NextBytes(_content);
        // On the filesystem being measured (ATOMICFILES_BENCH_DIR), like the other suites.
        _directory = new BenchmarkDirectory($"transaction-{FileCount}");
        _root = _directory.FullPath;
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
    public void Cleanup() => _directory.Dispose();

    [Benchmark(Baseline = true, Description = "N x AtomicFile.WriteAllBytes")]
    public void SequentialWrites()
    {
        foreach (var path in _paths)
        {
            AtomicFile.WriteAllBytes(path, _content, _options);
        }
    }

    [Benchmark(Description = "1 transaction of N files")]
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
