using System.Runtime.InteropServices;

namespace AtomicFiles.Platform.Interop.Unix;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>renameat(2): both names relative to directory descriptors.</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "renameat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int RenameAt(SafeHandle oldDirFd, string oldName, SafeHandle newDirFd, string newName);
    }
}
