using System.Runtime.InteropServices;

namespace AtomicFiles.Platform.Interop.Unix;

internal static partial class Interop
{
    internal static partial class Sys
    {
        internal const uint RENAME_EXCL = 0x4;

        /// <summary>macOS renameatx_np(2): with RENAME_EXCL, fails with EEXIST instead of replacing.</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "renameatx_np", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int RenameAtxNp(SafeHandle oldDirFd, string oldName, SafeHandle newDirFd, string newName, uint flags);
    }
}
