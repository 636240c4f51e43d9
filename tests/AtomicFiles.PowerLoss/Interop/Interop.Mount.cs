using System.Runtime.InteropServices;

namespace AtomicFiles.PowerLoss.Interop;

internal static partial class Libc
{
    /// <summary>mount(2): one syscall per crash state instead of a mount(8) process.</summary>
    [LibraryImport(Name, EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Mount(string source, string target, string fileSystemType, nuint flags, string? data);
}
