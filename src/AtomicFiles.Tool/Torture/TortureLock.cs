using System.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace AtomicFiles.Tool.Torture;

/// <summary>
/// The torture's own cross-process coordination (writers taking turns on a shared file, the transaction set's
/// turnstile): a lock file opened with <see cref="FileShare.None"/>, released by the OS when its holder is killed.
/// The torture checks the library, so it coordinates with public .NET only, not with the library's locks.
/// </summary>
/// <remarks>
/// .NET implements <see cref="FileShare.None"/> as a share mode on Windows and as flock(LOCK_EX|LOCK_NB) on Unix. The
/// Unix flock is advisory and can be switched off (DOTNET_SYSTEM_IO_DISABLEFILELOCKING, System.IO.DisableFileLocking):
/// then the torture refuses to run, rather than report races between its own writers as the library's violations. .NET
/// also goes on unlocked where the filesystem refuses flock (some network filesystems): run the torture on a local one.
/// Neither OS offers a cancellable blocking wait on such a lock, so a waiter polls with a growing delay.
/// </remarks>
internal sealed class TortureLock : IDisposable
{
    private const int ErrorSharingViolation = 32;
    private const int ErrorLockViolation = 33;
    private const int LinuxEWouldBlock = 11;
    private const int BsdEWouldBlock = 35;

    private static readonly TimeSpan s_firstPoll = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan s_maxPoll = TimeSpan.FromMilliseconds(50);

    private readonly SafeFileHandle _handle;

    private TortureLock(SafeFileHandle handle) => _handle = handle;

    /// <summary>Waits until this process holds the lock file <paramref name="lockPath"/>, creating it if needed.</summary>
    /// <param name="lockPath">The lock file; it stays after release, so every waiter locks the same file.</param>
    /// <param name="timeout">How long to wait for another holder; <see cref="Timeout.InfiniteTimeSpan"/> to wait for ever.</param>
    /// <exception cref="TimeoutException">Another process held the lock past <paramref name="timeout"/>.</exception>
    /// <exception cref="InvalidOperationException">File locking is switched off in .NET on this Unix system.</exception>
    internal static TortureLock Acquire(string lockPath, TimeSpan timeout)
    {
        ThrowIfUnavailable();
        var started = Stopwatch.GetTimestamp();
        var delay = s_firstPoll;
        while (true)
        {
            try
            {
                return new TortureLock(File.OpenHandle(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException e) when (IsHeldByAnother(e))
            {
            }

            var remaining = timeout == Timeout.InfiniteTimeSpan ? s_maxPoll : timeout - Stopwatch.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.###} s waiting for the lock '{lockPath}'; another process holds it.");
            }

            Thread.Sleep(delay < remaining ? delay : remaining);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, s_maxPoll.Ticks));
        }
    }

    public void Dispose() => _handle.Dispose();

    /// <summary>Fails before the torture starts where .NET's file locking is switched off.</summary>
    /// <exception cref="InvalidOperationException">File locking is switched off in .NET on this Unix system.</exception>
    internal static void ThrowIfUnavailable()
    {
        if (!OperatingSystem.IsWindows() && LockingDisabled())
        {
            throw new InvalidOperationException(
                "the torture coordinates its writers with file locks, which DOTNET_SYSTEM_IO_DISABLEFILELOCKING or System.IO.DisableFileLocking switch off; unset it.");
        }
    }

    // What .NET throws when the share mode (Windows) or its flock (Unix: EWOULDBLOCK) finds another holder.
    private static bool IsHeldByAnother(IOException e) =>
        e is not FileNotFoundException and not DirectoryNotFoundException
        && (OperatingSystem.IsWindows()
            ? (e.HResult & 0xFFFF) is ErrorSharingViolation or ErrorLockViolation
            : e.HResult == (OperatingSystem.IsLinux() ? LinuxEWouldBlock : BsdEWouldBlock));

    // As .NET reads it: the runtime switch first, then the environment variable.
    private static bool LockingDisabled() =>
        AppContext.TryGetSwitch("System.IO.DisableFileLocking", out var disabled)
            ? disabled
            : Environment.GetEnvironmentVariable("DOTNET_SYSTEM_IO_DISABLEFILELOCKING") is { } value
              && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase));
}
