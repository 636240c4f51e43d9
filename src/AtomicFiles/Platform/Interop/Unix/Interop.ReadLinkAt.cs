using System.Runtime.InteropServices;

namespace AtomicFiles.Platform.Interop.Unix;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>readlinkat(2): the bytes of a symbolic link's target, not NUL-terminated. Returns their count, or -1 with errno set.</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "readlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial nint ReadLinkAt(SafeHandle dirFd, string path, byte[] buffer, nint size);
    }
}
