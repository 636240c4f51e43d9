using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace AtomicFiles.Platform.Interop.Unix;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>open(2), retried on EINTR. Returns the descriptor, or an invalid handle with errno set.</summary>
        internal static SafeFileHandle Open(string path, int flags, uint mode) =>
            RetryOnEintr((path, flags, mode), static a => OpenInterruptible(a.path, a.flags, a.mode));

        [LibraryImport(Libraries.Libc, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        private static partial SafeFileHandle OpenInterruptible(string path, int flags, uint mode);
    }
}
