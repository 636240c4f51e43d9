using System.Runtime.InteropServices;

namespace AtomicFiles.Platform.Interop.Unix;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>geteuid(2): the effective user id, the one the kernel checks file access and ownership rules against. Never fails.</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "geteuid")]
        internal static partial uint GetEUid();
    }
}
