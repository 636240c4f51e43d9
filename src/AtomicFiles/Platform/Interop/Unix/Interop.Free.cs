using System.Runtime.InteropServices;

namespace AtomicFiles.Platform.Interop.Unix;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>free(3), for memory libc allocated for us (<see cref="RealPath"/>).</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "free")]
        internal static partial void Free(IntPtr pointer);
    }
}
