using Microsoft.Extensions.Time.Testing;

namespace AtomicFiles.Tests.Support;

/// <summary>
/// A fake clock (<see cref="AtomicFileOptions.TimeProvider"/>) that tells the test each time the library goes to sleep
/// on it — a lock waiter that found the lock held, a retry backing off — so a test waits for "now waiting" instead of
/// for a stretch of wall-clock time, and decides itself, with <see cref="FakeTimeProvider.Advance"/>, when the sleep ends.
/// </summary>
internal sealed class SleepSignallingClock : FakeTimeProvider
{
    private readonly SemaphoreSlim _sleeps = new(0);
    private int _sleepCount;

    /// <summary>How many sleeps the library has begun on this clock.</summary>
    internal int Sleeps => Volatile.Read(ref _sleepCount);

    /// <summary>The library sleeps through a timer; it is signalled once the timer is set, so an <see cref="FakeTimeProvider.Advance"/> after the signal always wakes it.</summary>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        Interlocked.Increment(ref _sleepCount);
        _sleeps.Release();
        return timer;
    }

    /// <summary>Completes when the library begins its next sleep (each sleep completes one call).</summary>
    internal Task NextSleep() => _sleeps.WaitAsync();

    /// <summary>
    /// Whether <paramref name="work"/> went to sleep on this clock before it finished: a waiter for a held lock must; one
    /// that found no lock to wait for (or a lock that fails open) finishes first. Decided by which happens, not by a delay.
    /// </summary>
    internal async Task<bool> SleepsBeforeFinishing(Task work) => await Task.WhenAny(NextSleep(), work).ConfigureAwait(false) != work;
}
