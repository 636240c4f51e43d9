using System.Runtime.InteropServices;

namespace AtomicFiles.Platform.Interop.Unix;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>
        /// realpath(3) with a null buffer: the canonical path, resolved by the kernel's rules (a <c>..</c> after a link
        /// climbs from the link's target), in memory the caller releases with <see cref="Free"/>; zero with errno set.
        /// </summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "realpath", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial IntPtr RealPath(string path, IntPtr resolved);
    }
}
