using BenchmarkDotNet.Attributes;

namespace AtomicFiles.Benchmarks;

/// <summary>
/// 64 MiB written through a stream in 1 MiB chunks, then made durable. The target: the atomic writer reaches at
/// least 0.95 × the throughput of a plain FileStream write + fsync, and allocates nothing per write.
/// </summary>
[MemoryDiagnoser]
public class StreamingBenchmarks
{
    private const int Length = 64 * 1024 * 1024;
    private const int Chunk = 1024 * 1024;

    private BenchmarkDirectory _directory = null!;
    private string _path = null!;
    private byte[] _content = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = new BenchmarkDirectory("streaming");
        _path = _directory.File("target.bin");
        _content = new byte[Length];
        Random.Shared.NextBytes(_content);
        File.WriteAllBytes(_path, _content);
    }

    [GlobalCleanup]
    public void Cleanup() => _directory.Dispose();

    /// <summary>In place, not atomic: the throughput ceiling.</summary>
    [Benchmark(Baseline = true, Description = "FileStream write + fsync (in place)")]
    public void FileStreamFsync() => Baselines.FileStreamFsync(_path, _content, Chunk);

    [Benchmark(Description = "FileStream + fsync + File.Move")]
    public void FileStreamFsyncMove() => Baselines.FileStreamFsyncMove(_path, _content, Chunk);

    [Benchmark(Description = "AtomicFileWriter Write + Commit (Full)")]
    public void AtomicWriter()
    {
        using var writer = AtomicFile.Create(_path);
        Baselines.WriteChunked(writer, _content, Chunk);
        writer.Commit();
    }

    [Benchmark(Description = "AtomicFileWriter WriteAsync + CommitAsync (Full)")]
    public async Task AtomicWriterAsync()
    {
        var writer = AtomicFile.Create(_path);
        await using (writer.ConfigureAwait(false))
        {
            await Baselines.WriteChunkedAsync(writer, _content, Chunk).ConfigureAwait(false);
            await writer.CommitAsync().ConfigureAwait(false);
        }
    }
}
