namespace AtomicFiles.Platform.Interop.Unix;

internal static partial class Interop
{
    internal static class Libraries
    {
        // Resolved by the runtime to libc.so.6 on glibc, the musl loader on Alpine, libSystem on macOS.
        internal const string Libc = "libc";
    }
}
