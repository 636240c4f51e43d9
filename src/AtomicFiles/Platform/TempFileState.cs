namespace AtomicFiles.Platform;

/// <summary>What recovery found at a path with the temp-file name pattern.</summary>
internal enum TempFileState
{
    /// <summary>Nothing to do: the file vanished (published or rolled back meanwhile), or it is not a regular file.</summary>
    Skipped,

    /// <summary>A live writer holds it: never removed.</summary>
    InUse,

    /// <summary>No process holds it: its writer died before committing.</summary>
    Orphaned,
}
