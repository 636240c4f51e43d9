namespace AtomicFiles;

/// <summary>How far a commit goes to make the new content survive a power cut.</summary>
/// <remarks>Every level is atomic: after any crash a file holds its complete old or complete new content.</remarks>
public enum Durability
{
    /// <summary>
    /// The default. The file's data is flushed to stable storage before it replaces the target (F_FULLFSYNC on macOS,
    /// FlushFileBuffers on Windows), and the directory entry is flushed after. A returned commit survives a power cut.
    /// </summary>
    Full = 0,

    /// <summary>
    /// The file's data is flushed before the rename, the directory is not. After a power cut the target holds the
    /// complete old or the complete new content, but a returned commit may be lost.
    /// </summary>
    FileOnly = 1,

    /// <summary>
    /// Nothing is flushed. Atomic against process crashes (exceptions, kill -9); after a power cut the file may hold
    /// its old content, its new content or — on filesystems that delay allocation — be empty or zero-filled.
    /// </summary>
    None = 2,
}
