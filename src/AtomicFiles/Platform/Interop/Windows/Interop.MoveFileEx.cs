using System.Runtime.InteropServices;

namespace AtomicFiles.Platform.Interop.Windows;

internal static partial class Interop
{
    internal static partial class Kernel32
    {
        internal const uint MOVEFILE_REPLACE_EXISTING = 0x1;
        internal const uint MOVEFILE_WRITE_THROUGH = 0x8;

        // Never MOVEFILE_COPY_ALLOWED: a copy is not atomic. The temp is in the target's directory, so a copy
        // would never be needed anyway.
        [LibraryImport(Libraries.Kernel32, EntryPoint = "MoveFileExW", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
        [return: MarshalAs(UnmanagedType.Bool)]
        internal static partial bool MoveFileEx(string existingFileName, string newFileName, uint flags);
    }
}
