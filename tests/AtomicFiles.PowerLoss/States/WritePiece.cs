namespace AtomicFiles.PowerLoss.States;

/// <summary>
/// Part of a logged write that reaches the disk or not on its own: a multi-block write is not atomic, a power cut can
/// persist any of its blocks (drives promise at most one physical sector). <see cref="Offset"/> is within the entry.
/// </summary>
public readonly record struct WritePiece(int Entry, int Offset, int Length)
{
    /// <summary>The unit a write is torn at: the filesystems' block size here (4 KiB).</summary>
    public const int Size = 4096;

    /// <summary>"12" for a whole entry or its first piece, "12+3" for its fourth 4 KiB block, "12+1536B" for a 512-byte sector inside one.</summary>
    public override string ToString() => Offset == 0 ? $"{Entry}" : Offset % Size == 0 ? $"{Entry}+{Offset / Size}" : $"{Entry}+{Offset}B";
}
