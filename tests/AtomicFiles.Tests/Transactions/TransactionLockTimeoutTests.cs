using AtomicFiles.Tests.Support;

namespace AtomicFiles.Tests.Transactions;

/// <summary>
/// BeginTransaction and Recover wait for a root's lock as long as <see cref="AtomicFileOptions.LockTimeout"/> says, not a
/// fixed 30 s. Time is a fake clock the tests advance once the waiter sleeps on it: nothing here depends on the wall clock.
/// </summary>
public sealed class TransactionLockTimeoutTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMilliseconds(200);

    private readonly TempDirectory _dir = new();
    private readonly SleepSignallingClock _clock = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task BeginTransaction_RootHeldPastLockTimeout_ThrowsTimeoutNamingTheRoot()
    {
        // flock conflicts between open file descriptions, so a transaction of this very process holds the root too.
        using var holder = AtomicFile.BeginTransaction(_dir.Path);

        var waiter = Task.Run(() => AtomicFile.BeginTransaction(_dir.Path, Options(s_timeout)).Dispose());

        (await _clock.SleepsBeforeFinishing(waiter)).Should().BeTrue("the root is held");
        _clock.Advance(s_timeout - TimeSpan.FromMilliseconds(1));
        (await _clock.SleepsBeforeFinishing(waiter)).Should().BeTrue("the timeout has not passed yet");
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await FluentActions.Awaiting(() => waiter).Should().ThrowAsync<TimeoutException>().WithMessage($"*'{holder.RootDirectory}'*");
    }

    [Fact]
    public void BeginTransaction_ZeroLockTimeoutAndRootHeld_ThrowsWithoutWaiting()
    {
        using var holder = AtomicFile.BeginTransaction(_dir.Path);

        var act = () => AtomicFile.BeginTransaction(_dir.Path, Options(TimeSpan.Zero));

        act.Should().Throw<TimeoutException>();
        _clock.Sleeps.Should().Be(0);
    }

    [Fact]
    public async Task BeginTransaction_RootReleasedWithinLockTimeout_Begins()
    {
        var holder = AtomicFile.BeginTransaction(_dir.Path);
        var waiter = Task.Run(() => AtomicFile.BeginTransaction(_dir.Path, Options(TimeSpan.FromSeconds(20))));
        (await _clock.SleepsBeforeFinishing(waiter)).Should().BeTrue("the root is held");

        holder.Dispose();
        _clock.Advance(TimeSpan.FromSeconds(1));

        using var tx = await waiter;
        tx.RootDirectory.Should().Be(holder.RootDirectory);
    }

    [Fact]
    public async Task Recover_TransactionInFlightPastLockTimeout_ThrowsTimeoutNamingTheRootAndSweepsNothing()
    {
        // A staged file: the live transaction's journal now exists, so Recover must wait for its root.
        using var holder = AtomicFile.BeginTransaction(_dir.Path);
        holder.WriteAllText("a.txt", "staged");
        var staged = _dir.Entries().Where(name => name.EndsWith(".tmp", StringComparison.Ordinal)).ToList();

        await RecoverPastTimeout(_dir.Path).Should().ThrowAsync<TimeoutException>().WithMessage($"*'{holder.RootDirectory}'*");

        _dir.Entries().Should().Contain(staged);
        holder.Commit();
        File.ReadAllText(_dir.File("a.txt")).Should().Be("staged");
    }

    [Fact]
    public async Task Recover_InSubdirectoryWhileTransactionOfParentInFlight_ThrowsTimeoutNamingTheParentRoot()
    {
        var sub = Directory.CreateDirectory(_dir.File("sub")).FullName;
        using var holder = AtomicFile.BeginTransaction(_dir.Path);
        holder.WriteAllText(Path.Join("sub", "b.txt"), "staged");

        await RecoverPastTimeout(sub).Should().ThrowAsync<TimeoutException>().WithMessage($"*'{holder.RootDirectory}'*");
    }

    private AtomicFileOptions Options(TimeSpan lockTimeout) => new() { LockTimeout = lockTimeout, TimeProvider = _clock };

    /// <summary>Recovers <paramref name="directory"/> on another thread and lets the clock run past the timeout once it waits.</summary>
    private Func<Task> RecoverPastTimeout(string directory) => async () =>
    {
        var recovery = Task.Run(() => AtomicFile.Recover(directory, Options(s_timeout)));
        (await _clock.SleepsBeforeFinishing(recovery)).Should().BeTrue("a transaction holds the root");
        _clock.Advance(s_timeout);
        await recovery;
    };
}
