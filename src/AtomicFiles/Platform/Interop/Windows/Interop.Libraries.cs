namespace AtomicFiles.Platform.Interop.Windows;

internal static partial class Interop
{
    internal static class Libraries
    {
        internal const string Kernel32 = "kernel32.dll";

        internal const string Advapi32 = "advapi32.dll";
    }
}
