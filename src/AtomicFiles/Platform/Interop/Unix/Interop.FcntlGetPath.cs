using System.Runtime.InteropServices;

namespace AtomicFiles.Platform.Interop;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>macOS fcntl(F_GETPATH): the path the kernel knows an open file by.</summary>
        internal const int F_GETPATH = 50;

        /// <summary>macOS MAXPATHLEN: the buffer F_GETPATH fills.</summary>
        internal const int MAXPATHLEN = 1024;

        [LibraryImport(Libraries.Libc, EntryPoint = "fcntl", SetLastError = true)]
        internal static partial int FcntlGetPath(SafeHandle fd, int command, byte[] buffer);
    }
}
