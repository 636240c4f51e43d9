using System.Runtime.InteropServices;

namespace AtomicFiles.PowerLoss.Interop;

internal static partial class Libc
{
    /// <summary>MNT_DETACH: the lazy unmount the stale-state sweep falls back to.</summary>
    internal const int MntDetach = 2;

    /// <summary>umount2(2).</summary>
    [LibraryImport(Name, EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Umount2(string target, int flags);
}
