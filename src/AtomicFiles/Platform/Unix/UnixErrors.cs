using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using static AtomicFiles.Platform.Interop.Unix.Interop;

namespace AtomicFiles.Platform.Unix;

/// <summary>
/// Turns a failed libc call into the exception type a .NET user expects for its errno, with the path and the failed
/// step in the message: <see cref="CheckIo(long, string, string)"/> where any failure is an error, <see cref="ToException"/>
/// where some errno values are answers rather than errors.
/// </summary>
internal static class UnixErrors
{
    internal static int LastErrno => Marshal.GetLastPInvokeError();

    /// <summary>Throws for the errno of a call that returned a negative <paramref name="result"/>; returns it otherwise.</summary>
    /// <param name="result">What the call returned: negative (-1) on failure, with errno set.</param>
    /// <param name="action">The step that failed, for the message ("Renaming the temp file over").</param>
    /// <param name="path">What it failed on.</param>
    internal static long CheckIo(long result, string action, string path) =>
        result >= 0 ? result : throw ToException(LastErrno, action, path);

    /// <summary>Throws for the errno of a call that returned an invalid descriptor, releasing it; returns it otherwise.</summary>
    internal static SafeFileHandle CheckIo(SafeFileHandle handle, string action, string path)
    {
        if (!handle.IsInvalid)
        {
            return handle;
        }

        var errno = LastErrno;
        handle.Dispose();
        throw ToException(errno, action, path);
    }

    internal static Exception ToException(int errno, string action, string path)
    {
        var message = $"{action} '{path}' failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).";
        Exception exception = errno switch
        {
            Errno.EACCES or Errno.EPERM => new UnauthorizedAccessException(message),
            Errno.ENOENT => new FileNotFoundException(message, path),
            Errno.ENOTDIR => new DirectoryNotFoundException(message),
            _ when errno == Errno.ENAMETOOLONG => new PathTooLongException(message),
            _ => new IOException(message),
        };

        // Like the BCL on Unix: HResult carries the raw errno, so callers can tell EEXIST from ENOSPC.
        exception.HResult = errno;
        return exception;
    }
}
