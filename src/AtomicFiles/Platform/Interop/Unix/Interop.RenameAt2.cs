using System.Runtime.InteropServices;

namespace AtomicFiles.Platform.Interop.Unix;

internal static partial class Interop
{
    internal static partial class Sys
    {
        internal const uint RENAME_NOREPLACE = 1;

        /// <summary>Linux renameat2(2); exported by glibc 2.28 and later, missing from some musl builds.</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int RenameAt2(SafeHandle oldDirFd, string oldName, SafeHandle newDirFd, string newName, uint flags);
    }
}
