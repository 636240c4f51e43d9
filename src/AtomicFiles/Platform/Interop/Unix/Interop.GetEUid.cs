using System.Runtime.InteropServices;

namespace AtomicFiles.Platform.Interop;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>geteuid(2): the user whose permissions the process's file operations are checked against.</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "geteuid")]
        internal static partial uint GetEUid();
    }
}
