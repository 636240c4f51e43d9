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
        var deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        var delay = FirstPollMilliseconds;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryAcquire(lockPath) is { } handle)
            {
                return new FileLock(handle, lockPath);
            }

            if (Environment.TickCount64 >= deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.###} s waiting for the lock on '{guardedPath}' ({lockPath}); another writer holds it.");
            }

            // Polling, because neither OS offers a cancellable blocking wait; the backoff keeps an idle waiter cheap.
            cancellationToken.WaitHandle.WaitOne(delay);
            delay = Math.Min(delay * 2, MaxPollMilliseconds);
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

    // Unix: EWOULDBLOCK from flock (11 on Linux, 35 on macOS). Windows: ERROR_SHARING_VIOLATION or ERROR_LOCK_VIOLATION.
    private static bool IsLockConflict(IOException e) =>
        e is not FileNotFoundException and not DirectoryNotFoundException
        && (OperatingSystem.IsWindows()
            ? (e.HResult & 0xFFFF) is 32 or 33
            : e.HResult == Platform.Interop.Interop.Errno.EWOULDBLOCK);
}
