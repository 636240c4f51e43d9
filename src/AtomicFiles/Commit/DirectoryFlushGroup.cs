using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using AtomicFiles.FaultInjection;
using AtomicFiles.Platform;
using AtomicFiles.Platform.Unix;

namespace AtomicFiles.Commit;

/// <summary>
/// Group commit of directory flushes: commits in this process that renamed into the same directory share its flushes.
/// </summary>
/// <remarks>
/// <para>The rule: a commit is acknowledged only by a directory flush that began after its own rename completed. The
/// first commit to arrive while no flush of the directory is under way leads: it flushes at once, on its own thread, so
/// a lone writer waits for nobody. A commit arriving while a flush is under way cannot rely on that flush (it may have
/// started before the rename), so it joins the next one: when the running flush ends, one of those who joined leads the
/// next flush for all of them. There is no timer; the group is whoever arrived during the previous flush.</para>
/// <para>A commit that finds no other commit of the process between its rename and its flush skips the group: it
/// flushes at once, as its leader would, and nobody relies on that flush (any commit that arrives meanwhile finds no
/// flush under way in the group and leads its own), so the lone writer pays for no lookup.</para>
/// <para>Sync callers block; async callers await the flush they joined, and when only async callers joined it, it runs
/// on a thread-pool thread, as their own flush would have. A flush that fails fails every commit that relied on it.</para>
/// <para>Directories are told apart by device and inode, so two paths to one directory share its flushes and a directory
/// replaced under a path does not. Windows flushes no directory (the flush of the renamed file through its handle commits the rename), so there the
/// platform's flush is called directly.</para>
/// </remarks>
internal sealed class DirectoryFlushGroup
{
    private static readonly ConcurrentDictionary<(ulong Device, ulong Inode), DirectoryFlushGroup> s_groups = new();

    private static readonly Action<(FileSystemPlatform Platform, DirectoryHandle Directory)> s_flush =
        static target => target.Platform.FlushDirectory(target.Directory);

    // Commits of the whole process between their rename and the end of their directory flush.
    private static int s_inFlight;

    private readonly (ulong Device, ulong Inode) _key;
    private readonly object _lock = new();

    // The flush under way, and the one gathering those who arrived during it.
    private Generation? _running;
    private Generation? _next;

    // Commits inside this group; the last to leave retires it from the table (under _lock), and a commit that finds it
    // retired looks the directory up again.
    private int _users;
    private bool _retired;

    internal DirectoryFlushGroup((ulong Device, ulong Inode) key = default) => _key = key;

    /// <summary>
    /// Flushes <paramref name="directory"/>, or waits for a flush of it that began after this call did: the rename the
    /// caller made before calling is durable when this returns.
    /// </summary>
    /// <exception cref="IOException">The flush this commit relied on failed.</exception>
    /// <exception cref="UnauthorizedAccessException">The flush this commit relied on was refused.</exception>
    internal static void Flush(FileSystemPlatform platform, DirectoryHandle directory, AtomicFileOptions options)
    {
        if (OperatingSystem.IsWindows())
        {
            platform.FlushDirectory(directory);
            return;
        }

        try
        {
            if (Interlocked.Increment(ref s_inFlight) == 1)
            {
                platform.FlushDirectory(directory);
                return;
            }

            var key = Identity(directory);
            while (!s_groups.GetOrAdd(key, static k => new DirectoryFlushGroup(k)).Run(s_flush, (platform, directory), options.Faults))
            {
            }
        }
        finally
        {
            Interlocked.Decrement(ref s_inFlight);
        }
    }

    /// <summary>Flushes the directory at <paramref name="path"/>, as <see cref="Flush(FileSystemPlatform, DirectoryHandle, AtomicFileOptions)"/> does.</summary>
    internal static void Flush(FileSystemPlatform platform, string path, AtomicFileOptions options)
    {
        using var directory = platform.OpenDirectory(path);
        Flush(platform, directory, options);
    }

    /// <summary>
    /// As <see cref="Flush(FileSystemPlatform, DirectoryHandle, AtomicFileOptions)"/>, awaiting rather than blocking
    /// while another commit's flush covers this one. Called from a thread-pool thread: leading, it flushes there at once.
    /// </summary>
    internal static ValueTask FlushAsync(FileSystemPlatform platform, DirectoryHandle directory, AtomicFileOptions options)
    {
        if (OperatingSystem.IsWindows())
        {
            platform.FlushDirectory(directory);
            return ValueTask.CompletedTask;
        }

        ValueTask pending;
        DirectoryFlushGroup? group = null;
        try
        {
            if (Interlocked.Increment(ref s_inFlight) == 1)
            {
                platform.FlushDirectory(directory);
                pending = ValueTask.CompletedTask;
            }
            else
            {
                var key = Identity(directory);
                Action flush = () => platform.FlushDirectory(directory);
                do
                {
                    group = s_groups.GetOrAdd(key, static k => new DirectoryFlushGroup(k));
                }
                while (!group.TryRunAsync(flush, options.Faults, out pending));
            }
        }
        catch
        {
            Interlocked.Decrement(ref s_inFlight);
            throw;
        }

        if (pending.IsCompleted)
        {
            group?.Leave();
            Interlocked.Decrement(ref s_inFlight);
            pending.GetAwaiter().GetResult();
            return ValueTask.CompletedTask;
        }

        return AwaitAndLeave(pending, group!);
    }

    /// <summary>
    /// The protocol for one directory, blocking: <paramref name="flush"/> runs here if this call leads. False, having
    /// done nothing, if the group was retired before this call joined it.
    /// </summary>
    internal bool Run<TState>(Action<TState> flush, TState state, FaultHooks? faults = null)
    {
        Generation mine;
        bool lead;
        lock (_lock)
        {
            if (!Enter())
            {
                return false;
            }

            mine = Join(null, faults, out lead);
            if (!lead)
            {
                mine.SyncWaiters++;
            }
        }

        try
        {
            if (!lead)
            {
                faults?.WaitingForDirectoryFlush?.Invoke();

                // Each flush its own monitor: its end wakes only those who rely on it, and the start of the next wakes
                // only the one who will lead it.
                lock (mine)
                {
                    while (!mine.Done && !mine.LeaderWanted)
                    {
                        Monitor.Wait(mine);
                    }

                    lead = !mine.Done;
                    mine.LeaderWanted = false;
                }

                if (!lead)
                {
                    ThrowIfFailed(mine);
                    return true;
                }
            }

            Begin(mine);
            var error = Capture(flush, state);
            Finish(mine, error);
            if (error is not null)
            {
                ExceptionDispatchInfo.Throw(error);
            }

            return true;
        }
        finally
        {
            Leave();
        }
    }

    /// <summary>
    /// The protocol for one directory, awaiting: <paramref name="flush"/> runs here, synchronously, if this call leads.
    /// False, having done nothing, if the group was retired before this call joined it. True: this call is counted in the
    /// group until the caller leaves it (<see cref="Leave"/>) once <paramref name="pending"/> is complete.
    /// </summary>
    internal bool TryRunAsync(Action flush, FaultHooks? faults, out ValueTask pending)
    {
        Generation mine;
        bool lead;
        lock (_lock)
        {
            if (!Enter())
            {
                pending = default;
                return false;
            }

            mine = Join(flush, faults, out lead);
            if (!lead)
            {
                mine.Completion ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        if (!lead)
        {
            pending = new ValueTask(mine.Completion!.Task);
            faults?.WaitingForDirectoryFlush?.Invoke();
            return true;
        }

        var error = Capture(static f => f(), flush);
        Finish(mine, error);
        pending = error is null ? ValueTask.CompletedTask : ValueTask.FromException(error);
        return true;
    }

    /// <summary>Counts a commit out; the last one out retires the group, unless another came in meanwhile.</summary>
    internal void Leave()
    {
        if (Interlocked.Decrement(ref _users) != 0)
        {
            return;
        }

        lock (_lock)
        {
            if (Volatile.Read(ref _users) == 0 && !_retired)
            {
                // Retired is out of the table: a group made outside it (a test's) stays usable.
                _retired = s_groups.TryRemove(KeyValuePair.Create(_key, this));
            }
        }
    }

    private static (ulong Device, ulong Inode) Identity(DirectoryHandle directory)
    {
        var status = UnixFileStatus.Get(directory.Handle, directory.Path);
        return (status.Device, status.Inode);
    }

    private static async ValueTask AwaitAndLeave(ValueTask pending, DirectoryFlushGroup group)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        finally
        {
            group.Leave();
            Interlocked.Decrement(ref s_inFlight);
        }
    }

    private static Exception? Capture<TState>(Action<TState> flush, TState state)
    {
        try
        {
            flush(state);
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    /// <summary>
    /// A flush each waiter gets its own exception for (one exception object must not be thrown on several threads at
    /// once), of the same type and HResult, with the flush's own as the inner exception.
    /// </summary>
    private static void ThrowIfFailed(Generation flush)
    {
        switch (flush.Error)
        {
            case null:
                return;
            case UnauthorizedAccessException e:
                throw new UnauthorizedAccessException(e.Message, e) { HResult = e.HResult };
            case IOException e:
                throw new IOException(e.Message, e) { HResult = e.HResult };
            case var e:
                throw new IOException($"Flushing the directory failed: {e.Message}", e);
        }
    }

    /// <summary>Under the lock: counts this commit in, unless the group has left the table.</summary>
    private bool Enter()
    {
        if (_retired)
        {
            return false;
        }

        Interlocked.Increment(ref _users);
        return true;
    }

    /// <summary>Under the lock: the flush this commit relies on, and whether it must start that flush itself.</summary>
    private Generation Join(Action? flush, FaultHooks? faults, out bool lead)
    {
        if (_running is null)
        {
            lead = true;
            return _running = new Generation { Started = true };
        }

        lead = false;
        if (!_running.Started || ((faults?.Defects ?? InjectedDefect.None) & InjectedDefect.AcknowledgeFromRunningDirectoryFlush) != 0)
        {
            // Not begun yet (its leader is waking up): it begins after this rename, so it covers it.
            return _running;
        }

        _next ??= new Generation();
        _next.Action ??= flush;
        return _next;
    }

    /// <summary>Marks <paramref name="mine"/> begun: from now on a newcomer cannot rely on it.</summary>
    private void Begin(Generation mine)
    {
        if (!mine.Started)
        {
            lock (_lock)
            {
                mine.Started = true;
            }
        }
    }

    /// <summary>Reports the flush <paramref name="mine"/> to its waiters, and starts the next.</summary>
    private void Finish(Generation mine, Exception? error)
    {
        Generation? next;
        bool nextHasBlockedCaller;
        lock (_lock)
        {
            next = _running = _next;
            _next = null;
            nextHasBlockedCaller = next is { SyncWaiters: > 0 };
        }

        // The next flush first: its leader wakes while this one's waiters are told.
        if (next is not null && nextHasBlockedCaller)
        {
            // A blocked caller leads it on its own thread.
            lock (next)
            {
                next.LeaderWanted = true;
                Monitor.Pulse(next);
            }
        }
        else if (next is not null)
        {
            // Only async callers wait for it: a pool thread leads it, as each one's own flush would have run there.
            ThreadPool.UnsafeQueueUserWorkItem(
                generation =>
                {
                    Begin(generation);
                    Finish(generation, Capture(static f => f(), generation.Action!));
                },
                next,
                preferLocal: false);
        }

        lock (mine)
        {
            mine.Error = error;
            mine.Done = true;
            Monitor.PulseAll(mine);
        }

        if (mine.Completion is { } completion)
        {
            if (error is not null)
            {
                completion.SetException(error);
            }
            else
            {
                completion.SetResult();
            }
        }
    }

    /// <summary>One directory flush and the commits that rely on it; its own monitor for the blocked ones.</summary>
    private sealed class Generation
    {
        /// <summary>How to flush, for a pool thread leading on behalf of async callers: the first async joiner's.</summary>
        internal Action? Action { get; set; }

        /// <summary>Blocked callers that joined (never decremented: it only decides who leads, once).</summary>
        internal int SyncWaiters { get; set; }

        /// <summary>Whether the flush has begun: until then a newcomer may still rely on it.</summary>
        internal bool Started { get; set; }

        /// <summary>Set when the flush before ended: the first blocked waiter to see it leads this one.</summary>
        internal bool LeaderWanted { get; set; }

        internal bool Done { get; set; }

        internal Exception? Error { get; set; }

        /// <summary>What async waiters await; created by the first of them.</summary>
        internal TaskCompletionSource? Completion { get; set; }
    }
}
