using System.Runtime.InteropServices;

namespace AtomicFiles.Platform.Interop;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>openat(2): <paramref name="path"/> relative to the directory <paramref name="dirFd"/>. Returns a file descriptor, or -1 with errno set.</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int OpenAt(SafeHandle dirFd, string path, int flags, uint mode);
    }
}
