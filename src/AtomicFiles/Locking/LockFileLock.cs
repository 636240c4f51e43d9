using AtomicFiles.FaultInjection;
using AtomicFiles.Platform;
using Microsoft.Win32.SafeHandles;

namespace AtomicFiles.Locking;

/// <summary>
/// An exclusive, cross-process lock held on a lock file (never on the data file: a rename replaces that file's
/// inode, and a lock on the old inode would guard nothing). The lock file is kept after release — deleting it would
/// let a waiter lock an unlinked inode while a newcomer locks a fresh one.
/// </summary>
/// <remarks>
/// flock(LOCK_EX|LOCK_NB) taken by the library itself on Unix (<see cref="UnixLockFile"/>), which never proceeds
/// unlocked; an exclusive share mode on Windows (<see cref="ShareModeLock"/>). Both are released by the OS when the
/// process dies, so a killed holder never leaves a stale lock.
/// </remarks>
internal sealed class LockFileLock : IDisposable
{
    /// <summary>rw-rw-rw-: a new lock file's mode when there is no data file to take it from, so the umask alone decides.</summary>
    internal const UnixFileMode DefaultCreateMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    private static readonly TimeSpan s_firstPoll = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan s_maxPoll = TimeSpan.FromMilliseconds(50);

    private readonly SafeFileHandle _handle;

    private LockFileLock(SafeFileHandle handle, string path)
    {
        _handle = handle;
        Path = path;
    }

    internal string Path { get; }

    /// <summary>Waits until this process holds the lock file <paramref name="lockName"/> in <paramref name="directory"/>, creating it if needed.</summary>
    /// <param name="directory">The directory of the lock file, held open: the lock file is opened in it, never through a changed path.</param>
    /// <param name="lockName">The lock file's name.</param>
    /// <param name="guardedPath">What the lock guards, for messages.</param>
    /// <param name="createMode">The permissions a new lock file gets on Unix, before the umask (ignored on Windows).</param>
    /// <param name="timeout">How long to wait for another holder; <see cref="Timeout.InfiniteTimeSpan"/> to wait for ever.</param>
    /// <param name="timeProvider">The clock the wait is measured and slept on (tests pass a fake one).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <param name="defects">Deliberate defects, for the tests' controls.</param>
    /// <exception cref="TimeoutException">Another holder kept the lock past <paramref name="timeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    /// <exception cref="IOException">The lock could not be taken for another reason than another holder (it never proceeds unlocked), or the lock file is not a regular file.</exception>
    /// <exception cref="UnauthorizedAccessException">The lock file cannot be opened, or another user planted it in a shared sticky directory.</exception>
    internal static LockFileLock Acquire(
        DirectoryHandle directory, string lockName, string guardedPath, UnixFileMode createMode, TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken, InjectedDefect defects = InjectedDefect.None)
    {
        var lockPath = directory.Join(lockName);
        var backoff = new Backoff(timeout, timeProvider);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryAcquire(directory, lockName, createMode, defects) is { } handle)
            {
                return new LockFileLock(handle, lockPath);
            }

            // Polling, because neither OS offers a cancellable blocking wait; the backoff keeps an idle waiter cheap. The
            // sleep is a timer of the time provider's, so a test's fake clock decides when the next attempt comes.
            Task.Delay(backoff.NextDelay(lockPath, guardedPath), timeProvider, cancellationToken).GetAwaiter().GetResult();
        }
    }

    /// <summary>Waits, without blocking a thread, until this process holds the lock file <paramref name="lockName"/> in <paramref name="directory"/>.</summary>
    /// <inheritdoc cref="Acquire(DirectoryHandle, string, string, UnixFileMode, TimeSpan, TimeProvider, CancellationToken, InjectedDefect)" path="/param"/>
    /// <inheritdoc cref="Acquire(DirectoryHandle, string, string, UnixFileMode, TimeSpan, TimeProvider, CancellationToken, InjectedDefect)" path="/exception"/>
    internal static async Task<LockFileLock> AcquireAsync(
        DirectoryHandle directory, string lockName, string guardedPath, UnixFileMode createMode, TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken, InjectedDefect defects = InjectedDefect.None)
    {
        var lockPath = directory.Join(lockName);
        var backoff = new Backoff(timeout, timeProvider);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryAcquire(directory, lockName, createMode, defects) is { } handle)
            {
                return new LockFileLock(handle, lockPath);
            }

            await Task.Delay(backoff.NextDelay(lockPath, guardedPath), timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until this process holds the lock at the absolute <paramref name="lockPath"/>, as <see cref="Acquire(DirectoryHandle, string, string, UnixFileMode, TimeSpan, TimeProvider, CancellationToken, InjectedDefect)"/> does.</summary>
    internal static LockFileLock Acquire(string lockPath, string guardedPath, UnixFileMode createMode, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var directory = FileSystemPlatform.Current.OpenDirectory(System.IO.Path.GetDirectoryName(lockPath)!);
        return Acquire(directory, System.IO.Path.GetFileName(lockPath), guardedPath, createMode, timeout, TimeProvider.System, cancellationToken);
    }

    public void Dispose() => _handle.Dispose();

    /// <summary>Takes the lock if it is free; <see langword="null"/> if another holder has it.</summary>
    private static SafeFileHandle? TryAcquire(DirectoryHandle directory, string lockName, UnixFileMode createMode, InjectedDefect defects)
    {
        var handle = OperatingSystem.IsWindows() || (defects & InjectedDefect.LockThroughFileShare) != 0
            ? ShareModeLock.TryAcquire(directory.Join(lockName))
            : UnixLockFile.TryAcquire(directory, lockName, createMode);
        return handle is null && (defects & InjectedDefect.LockFailsOpen) != 0
            ? File.OpenHandle(directory.Join(lockName + ".unguarded"), FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete)
            : handle;
    }

    /// <summary>The polling schedule of one wait: doubling delays, never past the deadline.</summary>
    private struct Backoff(TimeSpan timeout, TimeProvider timeProvider)
    {
        private readonly long _started = timeProvider.GetTimestamp();
        private TimeSpan _delay = s_firstPoll;

        /// <summary>How long to sleep before the next attempt.</summary>
        /// <exception cref="TimeoutException">The deadline has passed.</exception>
        internal TimeSpan NextDelay(string lockPath, string guardedPath)
        {
            var delay = _delay;
            _delay = TimeSpan.FromTicks(Math.Min(_delay.Ticks * 2, s_maxPoll.Ticks));
            if (timeout == Timeout.InfiniteTimeSpan)
            {
                return delay;
            }

            var remaining = timeout - timeProvider.GetElapsedTime(_started);
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.###} s waiting for the lock on '{guardedPath}' ({lockPath}); another writer holds it.");
            }

            return delay < remaining ? delay : remaining;
        }
    }
}
