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
/// <para>Sync callers block; async callers await the flush they joined, and when only async callers joined it, it runs
/// on a thread-pool thread, as their own flush would have. A flush that fails fails every commit that relied on it.</para>
/// <para>Directories are told apart by device and inode, so two paths to one directory share its flushes and a directory
/// replaced under a path does not. Windows flushes no directory (the flush of the renamed file through its handle commits the rename), so there the
/// platform's flush is called directly.</para>
/// </remarks>
internal sealed class DirectoryFlushGroup
{
    private static readonly Dictionary<(ulong Device, ulong Inode), DirectoryFlushGroup> s_groups = [];

    private readonly object _lock = new();

    // The flush under way, and the one gathering those who arrived during it.
    private Generation? _running;
    private Generation? _next;

    // Commits inside Flush or FlushAsync of this group, guarded by s_groups: an idle group leaves the table.
    private int _users;

    /// <summary>Commits waiting for a flush to start or end (test observation only).</summary>
    internal int Waiting
    {
        get
        {
            lock (_lock)
            {
                return (_running is { } running ? Volatile.Read(ref running.Waiters) : 0) + (_next is { } next ? Volatile.Read(ref next.Waiters) : 0);
            }
        }
    }

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

        var key = Identity(directory);
        var group = Acquire(key);
        try
        {
            group.Run(() => platform.FlushDirectory(directory), options.Defects);
        }
        finally
        {
            Release(key, group);
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

        var key = Identity(directory);
        var group = Acquire(key);
        ValueTask pending;
        try
        {
            pending = group.RunAsync(() => platform.FlushDirectory(directory), options.Defects);
        }
        catch
        {
            Release(key, group);
            throw;
        }

        if (pending.IsCompleted)
        {
            Release(key, group);
            pending.GetAwaiter().GetResult();
            return ValueTask.CompletedTask;
        }

        return AwaitAndRelease(pending, key, group);
    }

    /// <summary>The protocol for one directory, blocking: <paramref name="flush"/> runs here if this call leads.</summary>
    internal void Run(Action flush, InjectedDefect defects = InjectedDefect.None)
    {
        Generation mine;
        bool lead;
        lock (_lock)
        {
            mine = Join(flush, defects, out lead);
            if (!lead)
            {
                Interlocked.Increment(ref mine.Waiters);
                mine.SyncWaiters++;
            }
        }

        if (!lead)
        {
            // Each flush its own monitor: its end wakes only those who rely on it, and the start of the next wakes only
            // the one who will lead it (under load every needless wake-up costs a scarce CPU slice).
            lock (mine)
            {
                while (!mine.Done && !mine.LeaderWanted)
                {
                    Monitor.Wait(mine);
                }

                lead = !mine.Done;
                mine.LeaderWanted = false;
            }

            Interlocked.Decrement(ref mine.Waiters);
            if (!lead)
            {
                ThrowIfFailed(mine);
                return;
            }
        }

        Lead(mine, flush, rethrow: true);
    }

    /// <summary>The protocol for one directory, awaiting: <paramref name="flush"/> runs here, synchronously, if this call leads.</summary>
    internal ValueTask RunAsync(Action flush, InjectedDefect defects = InjectedDefect.None)
    {
        Generation mine;
        lock (_lock)
        {
            mine = Join(flush, defects, out var lead);
            if (!lead)
            {
                Interlocked.Increment(ref mine.Waiters);
                mine.Completion ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return new ValueTask(mine.Completion.Task);
            }
        }

        Lead(mine, flush, rethrow: true);
        return ValueTask.CompletedTask;
    }

    private static (ulong Device, ulong Inode) Identity(DirectoryHandle directory)
    {
        var status = UnixFileStatus.Get(directory.Handle, directory.Path);
        return (status.Device, status.Inode);
    }

    private static DirectoryFlushGroup Acquire((ulong, ulong) key)
    {
        lock (s_groups)
        {
            if (!s_groups.TryGetValue(key, out var group))
            {
                s_groups.Add(key, group = new DirectoryFlushGroup());
            }

            group._users++;
            return group;
        }
    }

    private static void Release((ulong, ulong) key, DirectoryFlushGroup group)
    {
        lock (s_groups)
        {
            if (--group._users == 0)
            {
                s_groups.Remove(key);
            }
        }
    }

    private static async ValueTask AwaitAndRelease(ValueTask pending, (ulong, ulong) key, DirectoryFlushGroup group)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        finally
        {
            Release(key, group);
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

    /// <summary>Under the lock: the flush this commit relies on, and whether it must start that flush itself.</summary>
    private Generation Join(Action flush, InjectedDefect defects, out bool lead)
    {
        if (_running is null)
        {
            lead = true;
            return _running = new Generation { Started = true };
        }

        lead = false;
        if (!_running.Started || (defects & InjectedDefect.AcknowledgeFromRunningDirectoryFlush) != 0)
        {
            // Not begun yet (its leader is waking up): it begins after this rename, so it covers it.
            return _running;
        }

        _next ??= new Generation { Action = flush };
        return _next;
    }

    /// <summary>Runs <paramref name="flush"/> as the flush <paramref name="mine"/>, reports it to its waiters, and starts the next.</summary>
    private void Lead(Generation mine, Action flush, bool rethrow)
    {
        if (!mine.Started)
        {
            lock (_lock)
            {
                mine.Started = true;
            }
        }

        Exception? error = null;
        try
        {
            flush();
        }
        catch (Exception e)
        {
            error = e;
        }

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
            ThreadPool.UnsafeQueueUserWorkItem(generation => Lead(generation, generation.Action!, rethrow: false), next, preferLocal: false);
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

        if (rethrow && error is not null)
        {
            ExceptionDispatchInfo.Throw(error);
        }
    }

    /// <summary>One directory flush and the commits that rely on it; its own monitor for the blocked ones.</summary>
    private sealed class Generation
    {
        internal int Waiters;

        /// <summary>How to flush: the first joiner's, for a pool thread leading on behalf of async callers.</summary>
        internal Action? Action { get; init; }

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
