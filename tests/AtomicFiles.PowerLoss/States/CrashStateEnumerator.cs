using AtomicFiles.PowerLoss.Log;

namespace AtomicFiles.PowerLoss.States;

/// <summary>
/// Enumerates distinct crash states of a log, CrashMonkey style: first every prefix (the disk wrote in order and
/// stopped), then every subset of small unflushed tails (the disk reordered its in-flight writes), then seeded random
/// subsets of larger tails until the target count — reproducible from the seed. In-flight writes are split into
/// 4 KiB pieces (<see cref="WritePiece"/>): a cut can tear a multi-block write.
/// </summary>
public static class CrashStateEnumerator
{
    /// <summary>Tails with at most this many pieces are enumerated exhaustively (2^N subsets).</summary>
    public const int ExhaustiveTailWrites = 6;

    /// <param name="log">The recorded writes and flushes.</param>
    /// <param name="target">How many distinct states to return at most.</param>
    /// <param name="seed">Seeds the random subsets of large tails.</param>
    /// <param name="tearBytes">
    /// The unit in-flight writes are torn at: <see cref="WritePiece.Size"/> (a filesystem block), or 512 for drives that
    /// promise only one 512-byte sector atomically.
    /// </param>
    public static IReadOnlyList<CrashState> Enumerate(WriteLog log, int target, int seed, int tearBytes = WritePiece.Size)
    {
        var entries = log.Entries;
        var states = new List<CrashState>();
        var seen = new HashSet<string>();
        var piecesBefore = 0;

        // A window: the writes issued between one flush and the next; a cut inside it keeps everything before it.
        var windows = Windows(entries, tearBytes);

        void Add(Window window, IReadOnlyList<WritePiece> tail, int? prefixLength)
        {
            // All of a window's writes on disk is the same image as the next window with none of its own: keep the
            // later one, whose cut lies after more markers.
            if (tail.Count == window.Writes.Count && window != windows[^1])
            {
                return;
            }

            if (states.Count < target && seen.Add(window.DurableEnd + ":" + string.Join(',', tail)))
            {
                states.Add(new CrashState(states.Count, window.DurableEnd, window.End, tail, prefixLength));
            }
        }

        foreach (var window in windows)
        {
            for (var k = 0; k <= window.Writes.Count; k++)
            {
                Add(window, window.Writes.Take(k).ToArray(), piecesBefore + k);
            }

            piecesBefore += window.Writes.Count;
        }

        foreach (var window in windows.Where(w => w.Writes.Count is > 1 and <= ExhaustiveTailWrites))
        {
            for (var mask = 1; mask < (1 << window.Writes.Count); mask++)
            {
                Add(window, window.Writes.Where((_, bit) => (mask & (1 << bit)) != 0).ToArray(), null);
            }
        }

        var random = new Random(seed);
        var large = windows.Where(w => w.Writes.Count > ExhaustiveTailWrites).ToArray();
        for (var attempt = 0; large.Length > 0 && states.Count < target && attempt < target * 20; attempt++)
        {
            var window = large[random.Next(large.Length)];
            var cut = random.Next(1, window.Writes.Count + 1);
            Add(window, window.Writes.Take(cut).Where(p => entries[p.Entry].IsFua || random.Next(2) == 0).ToArray(), null);
        }

        return states;
    }

    private sealed record Window(int DurableEnd, int End, IReadOnlyList<WritePiece> Writes);

    private static List<Window> Windows(IReadOnlyList<WriteLogEntry> entries, int tearBytes)
    {
        var windows = new List<Window>();
        var start = 0;
        for (var i = 0; i <= entries.Count; i++)
        {
            if (i == entries.Count || entries[i].IsFlush)
            {
                windows.Add(new Window(start, i, Enumerable.Range(start, i - start).Where(j => entries[j].IsWrite).SelectMany(j => Pieces(entries[j], tearBytes)).ToArray()));
                start = i + 1;
            }
        }

        return windows;
    }

    private static IEnumerable<WritePiece> Pieces(WriteLogEntry entry, int tearBytes)
    {
        for (var offset = 0L; offset < entry.Length; offset += tearBytes)
        {
            yield return new WritePiece(entry.Index, (int)offset, (int)Math.Min(tearBytes, entry.Length - offset));
        }
    }
}
