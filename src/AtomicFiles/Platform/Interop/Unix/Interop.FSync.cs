using System.Runtime.InteropServices;

namespace AtomicFiles.Platform.Interop;

internal static partial class Interop
{
    internal static partial class Sys
    {
        // Our own binding on purpose: FileStream.Flush(true) and RandomAccess.FlushToDisk ignore fsync's
        // result on this runtime, EIO included. A durability library must see that error.
        [LibraryImport(Libraries.Libc, EntryPoint = "fsync", SetLastError = true)]
        internal static partial int FSync(int fd);
    }
}
