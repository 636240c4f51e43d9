using System.Runtime.InteropServices;

namespace AtomicFiles.PowerLoss.Interop;

internal static partial class Libc
{
    internal const int SigTerm = 15;

    /// <summary>kill(2) with SIGTERM: qemu-storage-daemon shuts down cleanly (unmounts its FUSE export) on it.</summary>
    [LibraryImport(Name, EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);
}
