using System.Text;
using AtomicFiles.Tests.Support;

namespace AtomicFiles.Tests.Transactions;

/// <summary>BeginTransactionAsync, the transaction's async staging, and their cancellation.</summary>
public sealed class TransactionAsyncTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task BeginTransactionAsync_AsyncStagingAndCommit_AppliesAll()
    {
        TransactionFileSet.CreateOld(_dir.Path);

        var tx = await AtomicFile.BeginTransactionAsync(_dir.Path);
        await using (tx)
        {
            await tx.WriteAllTextAsync("a.txt", "new a");
            await tx.WriteAllBytesAsync(Path.Join("sub", "b.txt"), Encoding.UTF8.GetBytes("new b"));
            await tx.WriteAllTextAsync(Path.Join("sub", "deep", "c.txt"), "new c", new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            tx.Delete("gone.txt");
            await tx.CommitAsync();
        }

        TransactionFileSet.Classify(_dir.Path).Should().Be("new");
        TransactionFileSet.Leftovers(_dir.Path).Should().BeEmpty();
    }

    [Fact]
    public async Task BeginTransactionAsync_RootHeldByAnotherTransaction_IsCancelledWithoutTakingIt()
    {
        using var holder = AtomicFile.BeginTransaction(_dir.Path);
        using var cancellation = new CancellationTokenSource();
        var clock = new SleepSignallingClock();

        var waiting = AtomicFile.BeginTransactionAsync(_dir.Path, new AtomicFileOptions { LockTimeout = Timeout.InfiniteTimeSpan, TimeProvider = clock }, cancellation.Token);
        (await clock.SleepsBeforeFinishing(waiting)).Should().BeTrue("the root is held");
        await cancellation.CancelAsync();

        await FluentActions.Awaiting(() => waiting).Should().ThrowAsync<OperationCanceledException>();
        holder.Dispose();
        using var next = AtomicFile.BeginTransaction(_dir.Path, new AtomicFileOptions { LockTimeout = TimeSpan.Zero });
    }

    [Fact]
    public async Task WriteAllTextAsync_CancelledBeforeItStarts_StagesNothingAndTheTransactionGoesOn()
    {
        File.WriteAllText(_dir.File("a.txt"), "old");
        var tx = await AtomicFile.BeginTransactionAsync(_dir.Path);
        await using (tx)
        {
            await FluentActions.Awaiting(() => tx.WriteAllTextAsync("a.txt", "new", new CancellationToken(canceled: true))).Should().ThrowAsync<OperationCanceledException>();
            tx.WriteAllText("b.txt", "b");
            tx.Commit();
        }

        File.ReadAllText(_dir.File("a.txt")).Should().Be("old");
        File.ReadAllText(_dir.File("b.txt")).Should().Be("b");
    }
}
