namespace AtomicFiles.PowerLoss.States;

/// <summary>
/// What the disk may hold after a power cut: every entry before <see cref="DurableEnd"/> (all up to the last completed
/// flush) plus the subset <see cref="Tail"/> of the writes (pieces of writes) issued after that flush, in log order.
/// </summary>
public sealed class CrashState
{
    internal CrashState(int id, int durableEnd, int windowEnd, IReadOnlyList<WritePiece> tail, int? prefixLength)
    {
        Id = id;
        DurableEnd = durableEnd;
        WindowEnd = windowEnd;
        Tail = tail;
        PrefixLength = prefixLength;
    }

    public int Id { get; }

    /// <summary>Entries [0, DurableEnd) are all on disk: the last flush before the cut had completed.</summary>
    public int DurableEnd { get; }

    /// <summary>The next flush's index (or the log's end): the cut happened before that flush completed.</summary>
    public int WindowEnd { get; }

    /// <summary>The pieces of in-flight writes that reached the disk (any subset may, in any order).</summary>
    public IReadOnlyList<WritePiece> Tail { get; }

    /// <summary>
    /// For a state that is exactly the log up to some point, nothing reordered (the disk wrote in order and stopped):
    /// how many write pieces of the log it holds. Orders such states for the monotonicity check; null for the others.
    /// </summary>
    public int? PrefixLength { get; }

    /// <summary>
    /// Whether a cut consistent with this state can have happened after a marker taken when the log held
    /// <paramref name="markerEntryCount"/> entries: the cut lies before the next flush, so some such cut is later than
    /// the marker iff that flush is at or beyond it. Then everything the marker promised must be on disk.
    /// </summary>
    public bool IsAfter(int markerEntryCount) => WindowEnd >= markerEntryCount;

    public override string ToString() =>
        PrefixLength is { } n ? $"#{Id} in-order prefix ({n} pieces, entries < {DurableEnd} + [{string.Join(',', Tail)}])"
            : $"#{Id} entries < {DurableEnd} + [{string.Join(',', Tail)}] (before flush {WindowEnd})";
}
