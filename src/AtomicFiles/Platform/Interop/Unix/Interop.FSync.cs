using System.Runtime.InteropServices;

namespace AtomicFiles.Platform.Interop.Unix;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>fsync(2), retried on EINTR. Returns 0, or -1 with errno set.</summary>
        internal static int FSync(SafeHandle fd) => RetryOnEintr(fd, static fd => FSyncInterruptible(fd));

        // Our own binding on purpose: FileStream.Flush(true) and RandomAccess.FlushToDisk ignore fsync's
        // result on this runtime, EIO included. A durability library must see that error.
        [LibraryImport(Libraries.Libc, EntryPoint = "fsync", SetLastError = true)]
        private static partial int FSyncInterruptible(SafeHandle fd);
    }
}
