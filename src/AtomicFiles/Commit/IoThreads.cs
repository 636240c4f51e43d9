using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace AtomicFiles.Commit;

/// <summary>
/// Runs many blocking filesystem calls at once — the fsyncs of a commit, the closes that free replaced files — on
/// dedicated threads kept from one transaction to the next.
/// </summary>
/// <remarks>
/// <para>Why threads, and why kept: a transaction's commit fsyncs every staged file, and the filesystem can fold
/// flushes that are in flight together into one journal commit and one device cache flush, so the more of them at once
/// the better. fsync waits on the disk, not the CPU, so the thread pool, which grows slowly and sizes itself by cores,
/// would run them a few at a time. A new thread per file gives the concurrency, but starting a thread costs more than
/// a quiet fsync, so the starts would run one after another while the fsyncs they carry completed one after another.
/// The measurements behind each of these choices: docs/performance.md, "Many files in one transaction".</para>
/// <para>So the threads are started once, grow on demand up to <see cref="MaxThreads"/>, wait between transactions,
/// and end after <see cref="s_idleLifetime"/> unused. The calling thread works on its own batch too, so a batch
/// completes even if no thread can be started or all are busy with another transaction's batch.</para>
/// </remarks>
internal static class IoThreads
{
    /// <summary>The most threads kept, and so (with the callers) about the most calls in flight at once.</summary>
    internal const int MaxThreads = 128;

    private static readonly TimeSpan s_idleLifetime = TimeSpan.FromSeconds(20);

    // Last in, first out: the threads used most recently are reused, the others reach their idle lifetime and end.
    private static readonly ConcurrentStack<Worker> s_idle = new();
    private static int s_threads;

    /// <summary>
    /// Calls <paramref name="call"/> on every item, as many at once as there are items (up to <see cref="MaxThreads"/>),
    /// and returns when all calls have returned. Every item is attempted; the first exception is then rethrown.
    /// </summary>
    internal static void ForEach<T>(IReadOnlyList<T> items, Action<T> call)
    {
        if (items.Count == 0)
        {
            return;
        }

        var batch = new Batch<T>(items, call);
        var helpers = Math.Min(items.Count - 1, MaxThreads);
        while (helpers > 0 && s_idle.TryPop(out var worker))
        {
            if (worker.TryAssign(batch))
            {
                helpers--;
            }
        }

        StartThreads(helpers, batch);
        batch.Work();
        batch.WaitAndThrowIfFailed();
    }

    private static void StartThreads(int count, Batch batch)
    {
        for (var i = 0; i < count; i++)
        {
            if (Interlocked.Increment(ref s_threads) > MaxThreads)
            {
                Interlocked.Decrement(ref s_threads);
                return;
            }

            try
            {
                // UnsafeStart: the thread serves every later transaction, so it must not keep this caller's ExecutionContext.
                new Thread(new Worker(batch).Serve) { IsBackground = true, Name = "AtomicFiles I/O" }.UnsafeStart();
            }
            catch (Exception e) when (e is OutOfMemoryException or ThreadStartException)
            {
                // The caller works on its batch itself: fewer threads only means fewer calls at once.
                Interlocked.Decrement(ref s_threads);
                return;
            }
        }
    }

    /// <summary>
    /// One kept thread. Each has its own monitor, not one shared semaphore: a hundred threads woken through one lock
    /// spend their time contending for it.
    /// </summary>
    private sealed class Worker(Batch first)
    {
        private readonly object _gate = new();
        private Batch? _batch = first;
        private bool _retired;

        /// <summary>Hands an idle thread a batch; false if it has just ended for being idle too long.</summary>
        internal bool TryAssign(Batch batch)
        {
            lock (_gate)
            {
                if (_retired)
                {
                    return false;
                }

                _batch = batch;
                Monitor.Pulse(_gate);
                return true;
            }
        }

        internal void Serve()
        {
            while (true)
            {
                Batch batch;
                lock (_gate)
                {
                    while (_batch is null)
                    {
                        if (!Monitor.Wait(_gate, s_idleLifetime) && _batch is null)
                        {
                            _retired = true;
                            Interlocked.Decrement(ref s_threads);
                            return;
                        }
                    }

                    batch = _batch;
                    _batch = null;
                }

                batch.Work();

                // A batch handed over between this push and the wait above is seen there before waiting.
                s_idle.Push(this);
            }
        }
    }

    /// <summary>A set of calls that any number of threads work through, each taking the next item not yet taken.</summary>
    private abstract class Batch
    {
        private readonly object _gate = new();
        private readonly int _count;
        private int _next = -1;
        private int _remaining;
        private Exception? _firstFailure;

        protected Batch(int count)
        {
            _count = count;
            _remaining = count;
        }

        internal void Work()
        {
            int index;
            while ((index = Interlocked.Increment(ref _next)) < _count)
            {
                try
                {
                    Call(index);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _firstFailure, e, null);
                }

                if (Interlocked.Decrement(ref _remaining) == 0)
                {
                    lock (_gate)
                    {
                        Monitor.PulseAll(_gate);
                    }
                }
            }
        }

        internal void WaitAndThrowIfFailed()
        {
            // A monitor rather than an event: nothing to dispose while a late thread may still be signalling.
            lock (_gate)
            {
                while (Volatile.Read(ref _remaining) > 0)
                {
                    Monitor.Wait(_gate);
                }
            }

            if (_firstFailure is { } failure)
            {
                ExceptionDispatchInfo.Capture(failure).Throw();
            }
        }

        protected abstract void Call(int index);
    }

    private sealed class Batch<T>(IReadOnlyList<T> items, Action<T> call) : Batch(items.Count)
    {
        protected override void Call(int index) => call(items[index]);
    }
}
