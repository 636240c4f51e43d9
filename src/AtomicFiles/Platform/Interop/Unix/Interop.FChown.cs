using System.Runtime.InteropServices;

namespace AtomicFiles.Platform.Interop.Unix;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>The id fchown(2) leaves unchanged, (uid_t)-1 or (gid_t)-1.</summary>
        internal const uint KeepId = uint.MaxValue;

        /// <summary>fchown(2): <see cref="KeepId"/> for either id leaves it as it is. Returns 0, or -1 with errno set.</summary>
        [LibraryImport(Libraries.Libc, EntryPoint = "fchown", SetLastError = true)]
        internal static partial int FChown(SafeHandle fd, uint owner, uint group);
    }
}
