namespace AtomicFiles.PowerLoss.Interop;

internal static partial class Libc
{
    /// <summary>FICLONE: share every extent of the source (reflink): a crash image costs only the blocks it changes.</summary>
    internal const nuint Ficlone = 0x40049409;
}
