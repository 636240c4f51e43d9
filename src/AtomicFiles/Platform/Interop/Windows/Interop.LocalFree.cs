using System.Runtime.InteropServices;

namespace AtomicFiles.Platform.Interop.Windows;

internal static partial class Interop
{
    internal static partial class Kernel32
    {
        [LibraryImport(Libraries.Kernel32, EntryPoint = "LocalFree")]
        internal static unsafe partial void* LocalFree(void* memory);
    }
}
