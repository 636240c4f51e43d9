using System.Runtime.InteropServices;
using static AtomicFiles.Platform.Interop.Interop;

namespace AtomicFiles.Platform.Unix;

/// <summary>Turns an errno into the exception type a .NET user expects for it, with the path and the failed step in the message.</summary>
internal static class UnixErrors
{
    internal static int LastErrno => Marshal.GetLastPInvokeError();

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
