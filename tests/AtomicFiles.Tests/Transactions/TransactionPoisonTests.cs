using AtomicFiles.Tests.Support;

namespace AtomicFiles.Tests.Transactions;

/// <summary>
/// A transaction in which a staged write failed never commits, not even in part, even when the caller catches the
/// failure and commits anyway: the writes fail with a real ENOSPC on a 64 KiB tmpfs, part-way through.
/// </summary>
public sealed class TransactionPoisonTests : IDisposable
{
    private const string LockFile = ".atomicfiles-transaction.lock";

    // Four times the filesystem: every way of staging it runs out of space part-way.
    private static readonly byte[] s_content = Enumerable.Range(0, 256 * 1024).Select(i => (byte)('a' + (i % 26))).ToArray();

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, bool> FailingStages()
    {
        var data = new TheoryData<string, bool>();
        foreach (var stage in new[] { "WriteAllBytes", "Create: Write", "Create: Write in pieces", "Create: WriteAsync" })
        {
            data.Add(stage, false);
            data.Add(stage, true);
        }

        return data;
    }

    [RequiresTheory(Requirement.Linux | Requirement.Root)]
    [MemberData(nameof(FailingStages))]
    public async Task Commit_AfterStagedWriteFailedWithDiskFull_ThrowsNamingTheFileAndRollsBackEveryFile(string stage, bool commitAsync)
    {
        using var disk = NewRoot();
        var tx = AtomicFile.BeginTransaction(disk.Path);
        using (tx)
        {
            tx.WriteAllText("b.txt", "new b");
            tx.Delete("c.txt");
            await FailStage(tx, stage);

            var commit = commitAsync ? tx.Invoking(t => t.CommitAsync()) : tx.Invoking(t => Task.Run(t.Commit));
            var thrown = await commit.Should().ThrowAsync<IOException>()
                .WithMessage($"An earlier write to '{disk.File("a.bin")}' failed, so the transaction in '{disk.Path}' was rolled back and nothing was published*");
            thrown.Which.InnerException!.Message.Should().Contain("No space left on device");
            tx.IsCommitted.Should().BeFalse();
        }

        ShouldHoldTheOldSetAndNothingElse(disk);
        using var next = AtomicFile.BeginTransaction(disk.Path, new AtomicFileOptions { LockTimeout = TimeSpan.Zero });
    }

    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public async Task Stage_AfterStagedWriteFailedWithDiskFull_ThrowsInvalidOperationAndCommitStillRollsBack()
    {
        using var disk = NewRoot();
        using var tx = AtomicFile.BeginTransaction(disk.Path);
        await FailStage(tx, "WriteAllBytes");

        tx.Invoking(t => t.WriteAllText("b.txt", "new b")).Should().Throw<InvalidOperationException>()
            .WithMessage($"An earlier write to '{disk.File("a.bin")}' failed*can no longer commit*").Which.InnerException!.Message.Should().Contain("No space left on device");
        tx.Invoking(t => t.Create("d.txt")).Should().Throw<InvalidOperationException>().WithMessage("An earlier write*");
        tx.Invoking(t => t.Delete("c.txt")).Should().Throw<InvalidOperationException>().WithMessage("An earlier write*");

        tx.Invoking(t => t.Commit()).Should().Throw<IOException>().WithMessage("An earlier write*rolled back*");
        ShouldHoldTheOldSetAndNothingElse(disk);
    }

    /// <summary>
    /// The stream handed out keeps the bytes it could not write in its buffer; rolling back must not give up on the
    /// other temps and the journal when flushing them fails again.
    /// </summary>
    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public async Task Dispose_AfterBufferedStagedWriteFailedWithDiskFull_RemovesEveryTempAndTheJournal()
    {
        using var disk = NewRoot();
        var tx = AtomicFile.BeginTransaction(disk.Path);
        tx.WriteAllText("b.txt", "new b");
        await FailStage(tx, "Create: Write in pieces");

        tx.Dispose();

        ShouldHoldTheOldSetAndNothingElse(disk);
    }

    private TinyTmpfs NewRoot()
    {
        var disk = new TinyTmpfs(_dir.File("tiny"));
        File.WriteAllText(disk.File("a.bin"), "old a");
        File.WriteAllText(disk.File("b.txt"), "old b");
        File.WriteAllText(disk.File("c.txt"), "old c");
        return disk;
    }

    /// <summary>Stages <see cref="s_content"/> as a.bin in the way <paramref name="stage"/> names, until it throws; the caller goes on regardless.</summary>
    private static async Task FailStage(AtomicFileTransaction tx, string stage)
    {
        try
        {
            switch (stage)
            {
                case "WriteAllBytes":
                    tx.WriteAllBytes("a.bin", s_content);
                    break;
                case "Create: Write":
                    using (var stream = tx.Create("a.bin"))
                    {
                        stream.Write(s_content);
                    }

                    break;
                case "Create: Write in pieces":
                    // Left undisposed, as a caller that gives up on the stream would: it still buffers a piece.
                    var buffered = tx.Create("a.bin");
                    foreach (var piece in s_content.Chunk(1000))
                    {
                        buffered.Write(piece);
                    }

                    break;
                case "Create: WriteAsync":
                    var stream2 = tx.Create("a.bin");
                    await using (stream2)
                    {
                        await stream2.WriteAsync(s_content);
                    }

                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(stage), stage, null);
            }
        }
        catch (IOException e)
        {
            e.Message.Should().Contain("No space left on device");
            return;
        }

        throw new InvalidOperationException($"'{stage}' of {s_content.Length} bytes did not fail: the tmpfs is larger than the test assumes.");
    }

    private static void ShouldHoldTheOldSetAndNothingElse(TinyTmpfs disk)
    {
        File.ReadAllText(disk.File("a.bin")).Should().Be("old a");
        File.ReadAllText(disk.File("b.txt")).Should().Be("old b");
        File.ReadAllText(disk.File("c.txt")).Should().Be("old c");
        disk.Entries().Should().Equal([LockFile, "a.bin", "b.txt", "c.txt"], "the rollback removes every temp and the journal");
    }
}
