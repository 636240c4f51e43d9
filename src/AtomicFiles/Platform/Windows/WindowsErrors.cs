using System.Runtime.InteropServices;
using static AtomicFiles.Platform.Interop.Windows.Interop;

namespace AtomicFiles.Platform.Windows;

/// <summary>Win32 errors turned into the exceptions, and HResults, the BCL would throw for them.</summary>
internal static class WindowsErrors
{
    /// <summary>Another handle's share mode or byte-range lock refuses this one: the file is held, not missing or forbidden.</summary>
    internal static bool IsSharingConflict(int error) => error is Errors.ERROR_SHARING_VIOLATION or Errors.ERROR_LOCK_VIOLATION;

    /// <summary>Whether <paramref name="e"/> carries the Win32 error <paramref name="error"/> in its HResult.</summary>
    internal static bool Is(Exception e, int error) => e.HResult == Errors.ToHResult(error);

    /// <summary>Whether <paramref name="e"/> is a sharing conflict (see <see cref="IsSharingConflict(int)"/>).</summary>
    internal static bool IsSharingConflict(Exception e) => Is(e, Errors.ERROR_SHARING_VIOLATION) || Is(e, Errors.ERROR_LOCK_VIOLATION);

    /// <summary>Whether <paramref name="e"/> says a file already exists where one was to be created.</summary>
    internal static bool IsAlreadyExists(Exception e) => Is(e, Errors.ERROR_FILE_EXISTS) || Is(e, Errors.ERROR_ALREADY_EXISTS);

    internal static Exception ToException(int error, string action, string path)
    {
        var message = $"{action} '{path}' failed: {Marshal.GetPInvokeErrorMessage(error)} (Windows error {error}).";
        Exception exception = error switch
        {
            Errors.ERROR_ACCESS_DENIED => new UnauthorizedAccessException(message),
            Errors.ERROR_FILE_NOT_FOUND => new FileNotFoundException(message, path),
            Errors.ERROR_PATH_NOT_FOUND => new DirectoryNotFoundException(message),
            _ => new IOException(message),
        };
        exception.HResult = Errors.ToHResult(error);
        return exception;
    }
}
