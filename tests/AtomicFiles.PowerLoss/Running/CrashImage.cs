using AtomicFiles.PowerLoss.Devices;
using AtomicFiles.PowerLoss.Log;
using AtomicFiles.PowerLoss.States;

namespace AtomicFiles.PowerLoss.Running;

/// <summary>Builds a disk image as a crash left it: a reflink clone of the base with the chosen logged writes applied.</summary>
public static class CrashImage
{
    /// <summary>
    /// Clones <paramref name="baseImage"/> to <paramref name="image"/>, then writes <paramref name="entries"/> whole and
    /// then <paramref name="pieces"/> (parts of entries), each in order.
    /// </summary>
    public static void Build(
        string baseImage, WriteLog log, byte[] logBytes, IEnumerable<WriteLogEntry> entries, string image, IEnumerable<WritePiece>? pieces = null)
    {
        Reflink.Clone(baseImage, image);
        using var handle = File.OpenHandle(image, FileMode.Open, FileAccess.Write);
        foreach (var piece in entries.Select(e => new WritePiece(e.Index, 0, (int)e.Length)).Concat(pieces ?? []))
        {
            var entry = log.Entries[piece.Entry];
            if (entry.DataOffset + entry.Length > logBytes.Length)
            {
                throw new InvalidDataException($"Entry {entry.Index} runs past the end of {log.Path}.");
            }

            RandomAccess.Write(handle, logBytes.AsSpan((int)entry.DataOffset + piece.Offset, piece.Length), entry.DiskOffset + piece.Offset);
        }
    }

    /// <summary>The first byte offset where two images differ (null: identical), read in 1 MiB chunks.</summary>
    public static long? FirstDifference(string a, string b)
    {
        using var first = File.OpenHandle(a);
        using var second = File.OpenHandle(b);
        var length = Math.Max(RandomAccess.GetLength(first), RandomAccess.GetLength(second));
        var x = new byte[1 << 20];
        var y = new byte[1 << 20];
        for (long offset = 0; offset < length; offset += x.Length)
        {
            var n = RandomAccess.Read(first, x, offset);
            var m = RandomAccess.Read(second, y, offset);
            var mismatch = x.AsSpan(0, n).CommonPrefixLength(y.AsSpan(0, m));
            if (mismatch < Math.Max(n, m))
            {
                return offset + mismatch;
            }
        }

        return null;
    }
}
