using System.Runtime.InteropServices;

namespace AtomicFiles.PowerLoss.Interop;

internal static partial class Libc
{
    /// <summary>ioctl(2) with an integer argument (LOOP_CTL_GET_FREE, LOOP_CLR_FD, FICLONE's source fd).</summary>
    [LibraryImport(Name, EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int Ioctl(int fd, nuint request, nint argument);
}
