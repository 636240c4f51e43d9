using System.Runtime.InteropServices;

namespace AtomicFiles.Platform.Interop.Unix;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>unlinkat(2) without AT_REMOVEDIR: removes a name that is not a directory; a symbolic link itself, never its target.</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "unlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int UnlinkAt(SafeHandle dirFd, string name, int flags);
    }
}
