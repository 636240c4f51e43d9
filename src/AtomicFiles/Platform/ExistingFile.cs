namespace AtomicFiles.Platform;

/// <summary>What the library needs to know about whatever is at a path before it writes there.</summary>
/// <param name="Kind">Regular file, directory, symbolic link or something else.</param>
/// <param name="Mode">Unix permission bits (07777); 0 on Windows.</param>
/// <param name="Uid">Unix owner; 0 on Windows.</param>
/// <param name="Gid">Unix group; 0 on Windows.</param>
/// <param name="Device">The filesystem it lives on (st_dev on Unix, the volume on Windows): equal devices can rename into each other.</param>
internal readonly record struct ExistingFile(FileKind Kind, uint Mode, uint Uid, uint Gid, ulong Device);

internal enum FileKind
{
    RegularFile,
    Directory,
    SymbolicLink,
    Other,
}
