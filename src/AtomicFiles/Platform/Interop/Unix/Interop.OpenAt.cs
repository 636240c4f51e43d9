using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace AtomicFiles.Platform.Interop.Unix;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>
        /// openat(2), retried on EINTR: <paramref name="path"/> relative to the directory <paramref name="dirFd"/>.
        /// Returns the descriptor, or an invalid handle with errno set.
        /// </summary>
        internal static SafeFileHandle OpenAt(SafeHandle dirFd, string path, int flags, uint mode) =>
            RetryOnEintr((dirFd, path, flags, mode), static a => OpenAtInterruptible(a.dirFd, a.path, a.flags, a.mode));

        [LibraryImport(Libraries.Libc, EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        private static partial SafeFileHandle OpenAtInterruptible(SafeHandle dirFd, string path, int flags, uint mode);
    }
}
