using System.Runtime.InteropServices;

namespace AtomicFiles.Platform.Interop.Unix;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>linkat(2) with no flags: a new name for the file at the old name, which is not followed if it is a symbolic link.</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "linkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int LinkAt(SafeHandle oldDirFd, string oldName, SafeHandle newDirFd, string newName, int flags);
    }
}
