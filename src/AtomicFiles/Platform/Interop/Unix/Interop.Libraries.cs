namespace AtomicFiles.Platform.Interop;

internal static partial class Interop
{
    internal static class Libraries
    {
        // Resolved by the runtime to libc.so.6 on glibc, the musl loader on Alpine, libSystem on macOS.
        internal const string Libc = "libc";

        internal const string Kernel32 = "kernel32.dll";

        internal const string Advapi32 = "advapi32.dll";
    }
}
