using System.Runtime.InteropServices;

namespace AtomicFiles.Platform.Interop;

internal static partial class Interop
{
    internal static partial class Sys
    {
        internal const uint RENAME_EXCL = 0x4;

        /// <summary>macOS renamex_np(2): with RENAME_EXCL, fails with EEXIST instead of replacing.</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "renamex_np", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int RenamexNp(string oldPath, string newPath, uint flags);
    }
}
