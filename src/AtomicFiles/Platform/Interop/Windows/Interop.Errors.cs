namespace AtomicFiles.Platform.Interop;

internal static partial class Interop
{
    internal static class Errors
    {
        internal const int ERROR_FILE_NOT_FOUND = 2;
        internal const int ERROR_PATH_NOT_FOUND = 3;
        internal const int ERROR_ACCESS_DENIED = 5;
        internal const int ERROR_SHARING_VIOLATION = 32;
        internal const int ERROR_LOCK_VIOLATION = 33;
        internal const int ERROR_FILE_EXISTS = 80;
        internal const int ERROR_ALREADY_EXISTS = 183;
    }
}
