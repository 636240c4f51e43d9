using AtomicFiles.FaultInjection;
using AtomicFiles.Commit;

namespace AtomicFiles.Tests.Commit;

/// <summary>
/// The group-commit rule of directory flushes, driven with scripted flushes that start and end on signals: a commit is
/// acknowledged only by a flush that began after it arrived, a lone caller flushes at once, callers arriving during one
/// flush share the next, and a failed flush fails everyone who relied on it. Each scenario is also run with the
/// <see cref="InjectedDefect.AcknowledgeFromRunningDirectoryFlush"/> mutant, which the same check must catch.
/// </summary>
public sealed class DirectoryFlushGroupTests
{
    // A guard against a hang, never a timing assumption: every wait below ends on a signal long before.
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    [Fact]
    public void Run_LoneCaller_FlushesOnItsOwnThreadAtOnce()
    {
        var group = new DirectoryFlushGroup();
        var flushThread = -1;

        Run(group, () => flushThread = Environment.CurrentManagedThreadId);

        flushThread.Should().Be(Environment.CurrentManagedThreadId);
    }

    [Fact]
    public async Task RunAsync_LoneCaller_FlushesSynchronouslyAndCompletes()
    {
        var group = new DirectoryFlushGroup();
        var flushes = 0;

        group.TryRunAsync(() => flushes++, null, out var pending).Should().BeTrue();

        pending.IsCompletedSuccessfully.Should().BeTrue();
        flushes.Should().Be(1);
        await pending;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Run_CallerArrivingDuringAFlush_IsAcknowledgedOnlyByTheNextFlush(bool async)
    {
        var observed = FollowerArrivingDuringAFlush(InjectedDefect.None, async);

        observed.AcknowledgedOnlyByALaterFlush.Should().BeTrue("a flush that began before the follower's rename may not cover it");
        observed.Flushes.Should().Be(2);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Run_MutantAcknowledgingFromTheRunningFlush_IsCaught(bool async)
    {
        var observed = FollowerArrivingDuringAFlush(InjectedDefect.AcknowledgeFromRunningDirectoryFlush, async);

        observed.AcknowledgedOnlyByALaterFlush.Should().BeFalse("the check above must catch the mutant");
        observed.Flushes.Should().Be(1);
    }

    [Fact]
    public async Task Run_ManyCallersArrivingDuringOneFlush_ShareTheNextFlush()
    {
        var group = new DirectoryFlushGroup();
        using var flushes = new ScriptedFlushes();
        using var waiting = new WaitingCommits();
        var leader = Task.Factory.StartNew(() => Run(group, flushes.Next), TaskCreationOptions.LongRunning);
        flushes.WaitStarted(1);

        var syncFollowers = Enumerable.Range(0, 3)
            .Select(_ => Task.Factory.StartNew(() => Run(group, flushes.Next, waiting.Hooks()), TaskCreationOptions.LongRunning))
            .ToArray();
        var asyncFollowers = Enumerable.Range(0, 3).Select(_ => RunAsync(group, flushes.Next, waiting.Hooks())).ToArray();
        waiting.WaitFor(6);

        flushes.Release(1);
        flushes.WaitStarted(2);
        flushes.Release(2);
        await Task.WhenAll([leader, .. syncFollowers, .. asyncFollowers]).WaitAsync(Hang);

        flushes.Started.Should().Be(2, "the six who arrived during the first flush all rely on the second");
    }

    [Fact]
    public async Task RunAsync_OnlyAsyncCallersWaiting_NextFlushRunsOnAPoolThread()
    {
        var group = new DirectoryFlushGroup();
        using var flushes = new ScriptedFlushes();
        var leader = Task.Factory.StartNew(() => Run(group, flushes.Next), TaskCreationOptions.LongRunning);
        flushes.WaitStarted(1);

        var followers = Enumerable.Range(0, 4).Select(_ => RunAsync(group, flushes.Next)).ToArray();
        followers.Should().OnlyContain(f => !f.IsCompleted);

        flushes.Release(1);
        flushes.WaitStarted(2);
        flushes.Release(2);
        await Task.WhenAll([leader, .. followers]).WaitAsync(Hang);

        flushes.ThreadOf(2).Should().NotBe(flushes.ThreadOf(1));
        flushes.OnPoolThread(2).Should().BeTrue();
        flushes.Started.Should().Be(2);
    }

    [Fact]
    public async Task Run_FlushFails_EveryCallerThatReliedOnItFailsAndNoOtherDoes()
    {
        var group = new DirectoryFlushGroup();
        using var flushes = new ScriptedFlushes(failing: 2);
        using var waiting = new WaitingCommits();
        var firstLeader = Task.Factory.StartNew(() => Run(group, flushes.Next), TaskCreationOptions.LongRunning);
        flushes.WaitStarted(1);
        var syncFollowers = Enumerable.Range(0, 2)
            .Select(_ => Task.Factory.StartNew(() => Run(group, flushes.Next, waiting.Hooks()), TaskCreationOptions.LongRunning))
            .ToArray();
        var asyncFollower = RunAsync(group, flushes.Next, waiting.Hooks());
        waiting.WaitFor(3);

        flushes.Release(1);
        flushes.WaitStarted(2);
        flushes.Release(2);

        await firstLeader.WaitAsync(Hang);
        foreach (var follower in syncFollowers.Append(asyncFollower))
        {
            var thrown = await FluentActions.Awaiting(() => follower.WaitAsync(Hang)).Should().ThrowAsync<IOException>();
            var error = thrown.Which.InnerException ?? thrown.Which;
            error.Message.Should().Be(ScriptedFlushes.FailureMessage);
            thrown.Which.HResult.Should().Be(ScriptedFlushes.FailureHResult);
        }

        flushes.Started.Should().Be(2);
    }

    [Fact]
    public void Run_FlushFails_TheNextCallerFlushesAfresh()
    {
        var group = new DirectoryFlushGroup();
        using var flushes = new ScriptedFlushes(failing: 1);
        flushes.Release(1);
        flushes.Release(2);

        FluentActions.Invoking(() => Run(group, flushes.Next)).Should().Throw<IOException>();
        Run(group, flushes.Next);

        flushes.Started.Should().Be(2);
    }

    /// <summary>
    /// A leader's flush is under way when a follower arrives (its rename done after that flush began). Once the first
    /// flush ends, either the follower returns (acknowledged by a flush that began before its arrival: wrong) or a
    /// second flush starts and the follower waits for it.
    /// </summary>
    private static (bool AcknowledgedOnlyByALaterFlush, int Flushes) FollowerArrivingDuringAFlush(InjectedDefect mutation, bool async)
    {
        var group = new DirectoryFlushGroup();
        using var flushes = new ScriptedFlushes();
        using var waiting = new WaitingCommits();
        var leader = Task.Factory.StartNew(() => Run(group, flushes.Next), TaskCreationOptions.LongRunning);
        flushes.WaitStarted(1);

        var hooks = waiting.Hooks(mutation);
        var follower = async
            ? RunAsync(group, flushes.Next, hooks)
            : Task.Factory.StartNew(() => Run(group, flushes.Next, hooks), TaskCreationOptions.LongRunning);
        waiting.WaitFor(1);

        follower.IsCompleted.Should().BeFalse("the follower arrived while the first flush was under way");
        flushes.Release(1);
        leader.Wait(Hang).Should().BeTrue();

        var first = WaitHandle.WaitAny([((IAsyncResult)follower).AsyncWaitHandle, flushes.StartedSignal(2)], Hang);
        first.Should().NotBe(WaitHandle.WaitTimeout);
        var acknowledgedOnlyByALaterFlush = first == 1 && !follower.IsCompleted;

        flushes.Release(2);
        follower.Wait(Hang).Should().BeTrue();
        return (acknowledgedOnlyByALaterFlush, flushes.Started);
    }

    private static void Run(DirectoryFlushGroup group, Action flush, FaultHooks? faults = null) =>
        group.Run(static f => f(), flush, faults).Should().BeTrue("a group outside the table is never retired");

    private static Task RunAsync(DirectoryFlushGroup group, Action flush, FaultHooks? faults = null)
    {
        group.TryRunAsync(flush, faults, out var pending).Should().BeTrue("a group outside the table is never retired");
        return pending.AsTask();
    }

    /// <summary>Counts the commits that joined a flush they wait for, as the group signals them.</summary>
    private sealed class WaitingCommits : IDisposable
    {
        private readonly SemaphoreSlim _joined = new(0);

        internal FaultHooks Hooks(InjectedDefect defects = InjectedDefect.None) =>
            new() { Defects = defects, WaitingForDirectoryFlush = () => _joined.Release() };

        /// <summary>Waits until <paramref name="count"/> more commits joined (<see cref="Hang"/> only guards against a hang).</summary>
        internal void WaitFor(int count)
        {
            for (var i = 0; i < count; i++)
            {
                _joined.Wait(Hang).Should().BeTrue("the callers reach the group");
            }
        }

        public void Dispose() => _joined.Dispose();
    }

    /// <summary>Flushes numbered from 1 in the order they start, each blocking until released, the chosen one failing.</summary>
    private sealed class ScriptedFlushes(int failing = 0) : IDisposable
    {
        internal const string FailureMessage = "the disk is gone";
        internal const int FailureHResult = 5;
        private const int Max = 8;

        private readonly ManualResetEventSlim[] _started = Enumerable.Range(0, Max + 1).Select(_ => new ManualResetEventSlim()).ToArray();
        private readonly ManualResetEventSlim[] _released = Enumerable.Range(0, Max + 1).Select(_ => new ManualResetEventSlim()).ToArray();
        private readonly int[] _threads = new int[Max + 1];
        private readonly bool[] _poolThreads = new bool[Max + 1];
        private int _count;

        internal int Started => Volatile.Read(ref _count);

        internal void Next()
        {
            var n = Interlocked.Increment(ref _count);
            _threads[n] = Environment.CurrentManagedThreadId;
            _poolThreads[n] = Thread.CurrentThread.IsThreadPoolThread;
            _started[n].Set();
            _released[n].Wait(Hang).Should().BeTrue();
            if (n == failing)
            {
                throw new IOException(FailureMessage) { HResult = FailureHResult };
            }
        }

        internal void WaitStarted(int n) => _started[n].Wait(Hang).Should().BeTrue($"flush {n} starts");

        internal WaitHandle StartedSignal(int n) => _started[n].WaitHandle;

        internal void Release(int n) => _released[n].Set();

        internal int ThreadOf(int n) => _threads[n];

        internal bool OnPoolThread(int n) => _poolThreads[n];

        public void Dispose()
        {
            // Let any flush still blocked end, so no thread outlives the test.
            foreach (var released in _released)
            {
                released.Set();
            }
        }
    }
}
