using System.Diagnostics;

namespace AtomicFiles.Tests.Transactions;

/// <summary>BeginTransaction and Recover wait for a root's lock as long as <see cref="AtomicFileOptions.LockTimeout"/> says, not a fixed 30 s.</summary>
public sealed class TransactionLockTimeoutTests : IDisposable
{
    private static readonly AtomicFileOptions s_short = new() { LockTimeout = TimeSpan.FromMilliseconds(200) };

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void BeginTransaction_RootHeldPastLockTimeout_ThrowsTimeoutNamingTheRoot()
    {
        // flock conflicts between open file descriptions, so a transaction of this very process holds the root too.
        using var holder = AtomicFile.BeginTransaction(_dir.Path);
        var waited = Stopwatch.StartNew();

        var act = () => AtomicFile.BeginTransaction(_dir.Path, s_short);

        act.Should().Throw<TimeoutException>().WithMessage($"*'{holder.RootDirectory}'*");
        waited.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(150)).And.BeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void BeginTransaction_ZeroLockTimeoutAndRootHeld_ThrowsAtOnce()
    {
        using var holder = AtomicFile.BeginTransaction(_dir.Path);
        var waited = Stopwatch.StartNew();

        var act = () => AtomicFile.BeginTransaction(_dir.Path, new AtomicFileOptions { LockTimeout = TimeSpan.Zero });

        act.Should().Throw<TimeoutException>();
        waited.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void BeginTransaction_RootReleasedWithinLockTimeout_Begins()
    {
        var holder = AtomicFile.BeginTransaction(_dir.Path);
        using var release = Task.Delay(100).ContinueWith(_ => holder.Dispose(), TaskScheduler.Default);

        using var tx = AtomicFile.BeginTransaction(_dir.Path, new AtomicFileOptions { LockTimeout = TimeSpan.FromSeconds(20) });

        tx.RootDirectory.Should().Be(holder.RootDirectory);
    }

    [Fact]
    public void Recover_TransactionInFlightPastLockTimeout_ThrowsTimeoutNamingTheRootAndSweepsNothing()
    {
        // A staged file: the live transaction's journal now exists, so Recover must wait for its root.
        using var holder = AtomicFile.BeginTransaction(_dir.Path);
        holder.WriteAllText("a.txt", "staged");
        var staged = _dir.Entries().Where(name => name.EndsWith(".tmp", StringComparison.Ordinal)).ToList();

        var act = () => AtomicFile.Recover(_dir.Path, s_short);

        act.Should().Throw<TimeoutException>().WithMessage($"*'{holder.RootDirectory}'*");
        _dir.Entries().Should().Contain(staged);
        holder.Commit();
        File.ReadAllText(_dir.File("a.txt")).Should().Be("staged");
    }

    [Fact]
    public void Recover_InSubdirectoryWhileTransactionOfParentInFlight_ThrowsTimeoutNamingTheParentRoot()
    {
        var sub = Directory.CreateDirectory(_dir.File("sub")).FullName;
        using var holder = AtomicFile.BeginTransaction(_dir.Path);
        holder.WriteAllText(Path.Join("sub", "b.txt"), "staged");

        var act = () => AtomicFile.Recover(sub, s_short);

        act.Should().Throw<TimeoutException>().WithMessage($"*'{holder.RootDirectory}'*");
    }
}
