using Microsoft.Win32.SafeHandles;

namespace AtomicFiles.Locking;

/// <summary>
/// The Windows lock: the lock file opened with <see cref="FileShare.None"/>, an exclusive share mode the OS enforces
/// on every open and drops when the process dies. Not used on Unix, where .NET implements the share mode as a
/// best-effort flock that DOTNET_SYSTEM_IO_DISABLEFILELOCKING turns off and most flock errors skip (see
/// <see cref="UnixLockFile"/>), except as the <see cref="FaultInjection.InjectedDefect.LockThroughFileShare"/> defect.
/// </summary>
internal static class ShareModeLock
{
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

    // Windows: ERROR_SHARING_VIOLATION or ERROR_LOCK_VIOLATION. Unix (the injected defect only): EWOULDBLOCK from .NET's flock.
    private static bool IsLockConflict(IOException e) =>
        e is not FileNotFoundException and not DirectoryNotFoundException
        && (OperatingSystem.IsWindows()
            ? Platform.Windows.WindowsErrors.IsSharingConflict(e)
            : e.HResult == Platform.Interop.Unix.Interop.Errno.EWOULDBLOCK);
}
