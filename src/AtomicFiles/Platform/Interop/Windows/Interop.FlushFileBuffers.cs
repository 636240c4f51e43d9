using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace AtomicFiles.Platform.Interop.Windows;

internal static partial class Interop
{
    internal static partial class Kernel32
    {
        [LibraryImport(Libraries.Kernel32, EntryPoint = "FlushFileBuffers", SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        internal static partial bool FlushFileBuffers(SafeFileHandle file);
    }
}
