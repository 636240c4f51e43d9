namespace AtomicFiles.PowerLoss.Log;

/// <summary>Entry flags of the dm-log-writes format (Documentation/admin-guide/device-mapper/log-writes.rst).</summary>
[Flags]
public enum WriteLogEntryKind : ulong
{
    None = 0,
    Flush = 1,
    Fua = 2,
    Discard = 4,
    Mark = 8,
    Metadata = 16,
}
