namespace AtomicFiles.PowerLoss.Interop;

/// <summary>The C library the harness calls directly: per-state work must not spawn losetup/mount processes.</summary>
internal static partial class Libc
{
    internal const string Name = "libc";
}
