using AtomicFiles.Tests.Support;
using System.Security.Cryptography;

namespace AtomicFiles.Tests.Commit;

/// <summary>
/// Readers racing a writer see a complete version every time: never empty, never partial, never mixed. On Windows the
/// readers read as the library documents, with <see cref="AtomicFile.ReadAllBytes(string)"/> (sharing delete).
/// </summary>
public sealed class ConcurrentReaderTests : IDisposable
{
    private const int Versions = 1000;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ReadersInLoop_WhileWriterCommits1000Versions_NeverSeeAPartialFile()
    {
        var path = _dir.File("state.bin");
        AtomicFile.WriteAllBytes(path, Version(0));
        var replaces = new ReplaceSignals();
        var options = new AtomicFileOptions { Logger = replaces };
        var violations = RaceReaders(path, version => AtomicFile.WriteAllBytes(path, Version(version), options), replaces, out var reads);

        violations.Should().BeEmpty();
        reads.Should().BeGreaterThan(Versions, "the readers must actually have raced the writer");
        if (replaces.FellBack == 0)
        {
            // Unix, and Windows' POSIX-semantics rename (NTFS): a reader never holds up a replace.
            replaces.Retries.Should().Be(0, "readers sharing delete never block a POSIX-semantics replace");
        }
    }

    [Fact]
    public void Control_NaiveInPlaceWriter_IsCaughtByTheSameReaders()
    {
        var path = _dir.File("state.bin");
        File.WriteAllBytes(path, Version(0));
        var violations = RaceReaders(path, version => File.WriteAllBytes(path, Version(version)), new ReplaceSignals(), out _);

        violations.Should().NotBeEmpty("File.WriteAllBytes truncates then writes in place, so readers see empty or partial files");
    }

    /// <summary>
    /// Two reader threads read in a loop while <paramref name="commit"/> writes versions 1..1000; returns what they saw
    /// wrong. Where the volume refuses the POSIX-semantics rename (Wine, FAT, ReFS), a replace is the classic rename that any
    /// open handle on the target blocks, and the engine's promise is to retry until WindowsRetryTimeout: at the writer's
    /// first retry the readers stop opening the file until that commit is through, so it must then succeed.
    /// </summary>
    private static List<string> RaceReaders(string path, Action<int> commit, ReplaceSignals replaces, out long reads)
    {
        var violations = new System.Collections.Concurrent.ConcurrentBag<string>();
        long readCount = 0;
        using var stop = new CancellationTokenSource();

        var readers = Enumerable.Range(0, 2).Select(_ => RaceLoop.Start(
            () =>
            {
                replaces.WaitUntilNoCommitRetries(stop.Token);
                byte[] bytes;
                try
                {
                    bytes = OperatingSystem.IsWindows() ? AtomicFile.ReadAllBytes(path) : File.ReadAllBytes(path);
                }
                catch (FileNotFoundException)
                {
                    violations.Add("missing");
                    return;
                }
                catch (IOException e)
                {
                    // A file shrinking under the reader, or a lock the writer left on the published file.
                    violations.Add("read failed: " + e.Message);
                    return;
                }

                Interlocked.Increment(ref readCount);
                if (Check(bytes) is { } problem)
                {
                    violations.Add(problem);
                }
            },
            stop.Token)).ToArray();

        try
        {
            for (var version = 1; version <= Versions; version++)
            {
                commit(version);
                replaces.CommitDone();
            }
        }
        catch (IOException e)
        {
            // On Windows a reader's share mode can refuse the writer (the naive one's open for writing, a replace
            // over a file open without share-delete): the readers made the commit fail, which is a violation too.
            violations.Add("commit failed: " + e.Message);
        }
        catch (UnauthorizedAccessException e)
        {
            violations.Add("commit failed: " + e.Message);
        }
        finally
        {
            stop.Cancel();
            replaces.CommitDone();
            Task.WaitAll(readers);
        }

        reads = readCount;
        return [.. violations];
    }

    /// <summary>A version: 4-byte number, filler whose length varies with the number, then the SHA-256 of both.</summary>
    private static byte[] Version(int version)
    {
        var body = new byte[4 + 1000 + (version % 7) * 3000];
        BitConverter.TryWriteBytes(body, version);
        body.AsSpan(4).Fill((byte)version);
        return [.. body, .. SHA256.HashData(body)];
    }

    private static string? Check(byte[] bytes)
    {
        if (bytes.Length < 4 + 32)
        {
            return $"short file of {bytes.Length} bytes";
        }

        var body = bytes.AsSpan(0, bytes.Length - 32);
        return SHA256.HashData(body).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - 32)) ? null : $"torn file of {bytes.Length} bytes";
    }
}
