using AtomicFiles.Tests.Support;

namespace AtomicFiles.Tests.Commit;

/// <summary>
/// Many writers committing into one directory at once share its flushes (<see cref="AtomicFiles.Commit.DirectoryFlushGroup"/>):
/// every commit still returns, each file holds its writer's last content, no temp is left, also through two
/// spellings of the directory, and transactions in the same directory join the same flushes.
/// </summary>
public sealed class ConcurrentWritersTests : IDisposable
{
    private const int Writers = 16;
    private const int WritesEach = 8;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [RequiresFact(Requirement.SymbolicLinks)]
    public void WriteAllBytes_ManyThreadsInOneDirectory_EveryFileHoldsItsLastContent()
    {
        var link = _dir.Path + "-link";
        Directory.CreateSymbolicLink(link, _dir.Path);
        try
        {
            var threads = Enumerable.Range(0, Writers).Select(t => new Thread(() =>
            {
                // Half the writers name the directory through a link: the same directory, the same flushes.
                var path = Path.Join(t % 2 == 0 ? _dir.Path : link, $"file{t}.bin");
                for (var i = 0; i < WritesEach; i++)
                {
                    AtomicFile.WriteAllBytes(path, Content(t, i));
                }
            })).ToArray();
            foreach (var thread in threads)
            {
                thread.Start();
            }

            foreach (var thread in threads)
            {
                thread.Join();
            }
        }
        finally
        {
            File.Delete(link);
        }

        ExpectLastContents();
    }

    [Fact]
    public async Task WriteAllBytesAsync_ManyTasksInOneDirectory_EveryFileHoldsItsLastContent()
    {
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < WritesEach; i++)
            {
                await AtomicFile.WriteAllBytesAsync(_dir.File($"file{t}.bin"), Content(t, i));
            }
        })));

        ExpectLastContents();
    }

    [Fact]
    public async Task Transactions_BesideSingleWritesInOneRoot_AllCommitDurably()
    {
        var sub = Directory.CreateDirectory(_dir.File("sub")).FullName;
        var singles = Enumerable.Range(0, Writers).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < WritesEach; i++)
            {
                await AtomicFile.WriteAllBytesAsync(Path.Join(sub, $"file{t}.bin"), Content(t, i));
            }
        }));
        var transactions = Task.Run(() =>
        {
            for (var i = 0; i < WritesEach; i++)
            {
                using var tx = AtomicFile.BeginTransaction(_dir.Path);
                tx.WriteAllBytes(Path.Join(sub, "tx-a.bin"), Content(100, i));
                tx.WriteAllBytes(_dir.File("tx-b.bin"), Content(101, i));
                tx.Commit();
            }
        });

        await Task.WhenAll([.. singles, transactions]);

        File.ReadAllBytes(Path.Join(sub, "tx-a.bin")).Should().Equal(Content(100, WritesEach - 1));
        File.ReadAllBytes(_dir.File("tx-b.bin")).Should().Equal(Content(101, WritesEach - 1));
        for (var t = 0; t < Writers; t++)
        {
            File.ReadAllBytes(Path.Join(sub, $"file{t}.bin")).Should().Equal(Content(t, WritesEach - 1));
        }

        TempFiles.In(sub).Should().BeEmpty();
    }

    private static byte[] Content(int writer, int write) => System.Text.Encoding.ASCII.GetBytes($"writer {writer} write {write}");

    private void ExpectLastContents()
    {
        for (var t = 0; t < Writers; t++)
        {
            File.ReadAllBytes(_dir.File($"file{t}.bin")).Should().Equal(Content(t, WritesEach - 1));
        }

        TempFiles.In(_dir.Path).Should().BeEmpty();
        _dir.Entries().Should().HaveCount(Writers);
    }
}
