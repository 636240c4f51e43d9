namespace AtomicFiles.Platform.Interop.Windows;

internal static partial class Interop
{
    internal static class Errors
    {
        internal const int ERROR_INVALID_FUNCTION = 1;
        internal const int ERROR_FILE_NOT_FOUND = 2;
        internal const int ERROR_PATH_NOT_FOUND = 3;
        internal const int ERROR_ACCESS_DENIED = 5;
        internal const int ERROR_SHARING_VIOLATION = 32;
        internal const int ERROR_LOCK_VIOLATION = 33;
        internal const int ERROR_NOT_SUPPORTED = 50;
        internal const int ERROR_FILE_EXISTS = 80;
        internal const int ERROR_INVALID_PARAMETER = 87;
        internal const int ERROR_DIR_NOT_EMPTY = 145;
        internal const int ERROR_ALREADY_EXISTS = 183;
        internal const int ERROR_INVALID_OWNER = 1307;

        /// <summary>The HResult .NET gives an exception for a Win32 error: FACILITY_WIN32 with the error in the low word.</summary>
        internal static int ToHResult(int error) => unchecked((int)0x80070000) | error;
    }
}
