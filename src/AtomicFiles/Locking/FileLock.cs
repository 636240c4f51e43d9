using Microsoft.Win32.SafeHandles;

namespace AtomicFiles.Locking;

/// <summary>
/// An exclusive, cross-process lock held on a lock file (never on the data file: a rename replaces that file's
/// inode, and a lock on the old inode would guard nothing). The lock file is kept after release — deleting it would
/// let a waiter lock an unlinked inode while a newcomer locks a fresh one.
/// </summary>
/// <remarks>
/// Built on <see cref="FileShare.None"/>: flock(LOCK_EX|LOCK_NB) on Unix, an exclusive share mode on Windows. Both are
/// released by the OS when the process dies, so a killed holder never leaves a stale lock.
/// </remarks>
internal sealed class FileLock : IDisposable
{
    private const int FirstPollMilliseconds = 1;
    private const int MaxPollMilliseconds = 50;

    private readonly SafeFileHandle _handle;

    private FileLock(SafeFileHandle handle, string path)
    {
        _handle = handle;
        Path = path;
    }

    internal string Path { get; }

    /// <summary>Waits until this process holds the lock at <paramref name="lockPath"/>, creating the lock file if needed.</summary>
    /// <exception cref="TimeoutException">Another holder kept the lock past <paramref name="timeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    internal static FileLock Acquire(string lockPath, string guardedPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var backoff = new Backoff(timeout);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryAcquire(lockPath) is { } handle)
            {
                return new FileLock(handle, lockPath);
            }

            // Polling, because neither OS offers a cancellable blocking wait; the backoff keeps an idle waiter cheap.
            cancellationToken.WaitHandle.WaitOne(backoff.NextDelay(lockPath, guardedPath));
        }
    }

    /// <summary>Waits, without blocking a thread, until this process holds the lock at <paramref name="lockPath"/>.</summary>
    /// <inheritdoc cref="Acquire" path="/exception"/>
    internal static async Task<FileLock> AcquireAsync(string lockPath, string guardedPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var backoff = new Backoff(timeout);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryAcquire(lockPath) is { } handle)
            {
                return new FileLock(handle, lockPath);
            }

            await Task.Delay(backoff.NextDelay(lockPath, guardedPath), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Takes the lock if it is free; <see langword="null"/> if another holder has it.</summary>
    internal static SafeFileHandle? TryAcquire(string lockPath)
    {
        try
        {
            return File.OpenHandle(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (IsLockConflict(e))
        {
            return null;
        }
    }

    public void Dispose() => _handle.Dispose();

    /// <summary>The polling schedule of one wait: doubling delays, never past the deadline.</summary>
    private struct Backoff(TimeSpan timeout)
    {
        private readonly long _deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        private int _delay = FirstPollMilliseconds;

        /// <summary>How long to sleep before the next attempt.</summary>
        /// <exception cref="TimeoutException">The deadline has passed.</exception>
        internal int NextDelay(string lockPath, string guardedPath)
        {
            var remaining = _deadline - Environment.TickCount64;
            if (remaining <= 0)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.###} s waiting for the lock on '{guardedPath}' ({lockPath}); another writer holds it.");
            }

            var delay = (int)Math.Min(_delay, remaining);
            _delay = Math.Min(_delay * 2, MaxPollMilliseconds);
            return delay;
        }
    }

    // Unix: EWOULDBLOCK from flock (11 on Linux, 35 on macOS). Windows: ERROR_SHARING_VIOLATION or ERROR_LOCK_VIOLATION.
    private static bool IsLockConflict(IOException e) =>
        e is not FileNotFoundException and not DirectoryNotFoundException
        && (OperatingSystem.IsWindows()
            ? (e.HResult & 0xFFFF) is 32 or 33
            : e.HResult == Platform.Interop.Interop.Errno.EWOULDBLOCK);
}
