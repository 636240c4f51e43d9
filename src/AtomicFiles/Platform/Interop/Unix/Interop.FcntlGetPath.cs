using System.Runtime.InteropServices;

namespace AtomicFiles.Platform.Interop.Unix;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>macOS fcntl(F_GETPATH): the path the kernel knows an open file by.</summary>
        internal const int F_GETPATH = 50;

        /// <summary>macOS MAXPATHLEN: the buffer F_GETPATH fills.</summary>
        internal const int MAXPATHLEN = 1024;

        /// <summary>macOS fcntl(F_GETPATH) into <paramref name="buffer"/> of <see cref="MAXPATHLEN"/> bytes, NUL-terminated. Returns 0, or -1 with errno set.</summary>
        internal static int FcntlGetPath(SafeHandle fd, byte[] buffer) => FcntlWithBuffer(fd, F_GETPATH, buffer);

        [LibraryImport(Libraries.Libc, EntryPoint = "fcntl", SetLastError = true)]
        private static partial int FcntlWithBuffer(SafeHandle fd, int command, byte[] buffer);
    }
}
