using System.Buffers.Binary;

namespace AtomicFiles.PowerLoss.Log;

/// <summary>
/// Reads a dm-log-writes log as QEMU's blklogwrites writes it: sector 0 is the super block (magic, version,
/// nr_entries, sector size); then each entry is one sector holding {sector, nr_sectors, flags, data_len} (little
/// endian u64s) followed by nr_sectors sectors of data (written-zeroes requests log their zeroes too; discards and
/// flushes carry none). Sector numbers are in units of the log's sector size.
/// </summary>
public sealed class WriteLog
{
    private const ulong Magic = 0x6a736677736872;

    private WriteLog(string path, int sectorSize, IReadOnlyList<WriteLogEntry> entries)
    {
        Path = path;
        SectorSize = sectorSize;
        Entries = entries;
    }

    public string Path { get; }

    public int SectorSize { get; }

    public IReadOnlyList<WriteLogEntry> Entries { get; }

    /// <summary>
    /// Parses every complete entry. The super block's nr_entries is only rewritten on a flush, so the entries after
    /// the last flush are found by walking to the end of the file rather than trusted from it.
    /// </summary>
    /// <param name="path">The log file.</param>
    /// <param name="sectorSizeBeforeFirstFlush">
    /// blklogwrites writes the super block on the first flush only: a log read earlier (a marker taken before any
    /// flush) has none yet, and is read with this sector size (the recorder's log-sector-size). Zero: require it.
    /// </param>
    public static WriteLog Read(string path, int sectorSizeBeforeFirstFlush = 0)
    {
        using var handle = File.OpenHandle(path);
        var length = RandomAccess.GetLength(handle);
        var super = new byte[32];
        var hasSuper = length >= super.Length && RandomAccess.Read(handle, super, 0) == super.Length &&
                       BinaryPrimitives.ReadUInt64LittleEndian(super) == Magic;
        if (!hasSuper && sectorSizeBeforeFirstFlush == 0)
        {
            throw new InvalidDataException($"{path} is not a dm-log-writes log (no super block).");
        }

        var sectorSize = hasSuper ? (int)BinaryPrimitives.ReadUInt32LittleEndian(super.AsSpan(24)) : sectorSizeBeforeFirstFlush;
        if (sectorSize < 512 || (sectorSize & (sectorSize - 1)) != 0)
        {
            throw new InvalidDataException($"{path}: sector size {sectorSize} is not a power of two ≥ 512.");
        }

        var entries = new List<WriteLogEntry>();
        var header = new byte[32];
        long offset = sectorSize;
        while (offset + sectorSize <= length && RandomAccess.Read(handle, header, offset) == header.Length)
        {
            var sector = (long)BinaryPrimitives.ReadUInt64LittleEndian(header);
            var sectors = (long)BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(8));
            var flags = (WriteLogEntryKind)BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(16));
            var dataLength = (flags & WriteLogEntryKind.Discard) != 0 ? 0 : sectors * sectorSize;
            if (offset + sectorSize + dataLength > length)
            {
                break; // an entry still being written when the file was read (a marker count taken mid-run)
            }

            entries.Add(new WriteLogEntry(entries.Count, sector * sectorSize, sectors * sectorSize, flags, offset + sectorSize));
            offset += sectorSize + dataLength;
        }

        return new WriteLog(path, sectorSize, entries);
    }

    /// <summary>How many complete entries the log holds now: the position a marker records.</summary>
    public static int CountEntries(string path, int sectorSizeBeforeFirstFlush) => Read(path, sectorSizeBeforeFirstFlush).Entries.Count;
}
