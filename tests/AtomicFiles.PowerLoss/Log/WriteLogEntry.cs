namespace AtomicFiles.PowerLoss.Log;

/// <summary>
/// One logged request: a write of <see cref="Length"/> bytes at <see cref="DiskOffset"/> whose data sits at
/// <see cref="DataOffset"/> in the log file, or a flush (no data), or a discard.
/// </summary>
public readonly record struct WriteLogEntry(int Index, long DiskOffset, long Length, WriteLogEntryKind Flags, long DataOffset)
{
    public bool IsFlush => (Flags & WriteLogEntryKind.Flush) != 0;

    /// <summary>A FUA write is durable when it completes, like a write followed by its own flush.</summary>
    public bool IsFua => (Flags & WriteLogEntryKind.Fua) != 0;

    /// <summary>Data that changes the disk image (discards are treated as no-ops: see docs/power-loss.md, limits).</summary>
    public bool IsWrite => Length > 0 && (Flags & (WriteLogEntryKind.Discard | WriteLogEntryKind.Mark)) == 0;
}
