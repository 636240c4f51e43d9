namespace AtomicFiles.Platform;

/// <summary>What the library needs to know about whatever is at a path before it writes there.</summary>
/// <param name="Kind">Regular file, directory, symbolic link or something else.</param>
/// <param name="Mode">Unix permission bits (07777); 0 on Windows.</param>
/// <param name="Uid">Unix owner; 0 on Windows.</param>
/// <param name="Gid">Unix group; 0 on Windows.</param>
internal readonly record struct ExistingFile(FileKind Kind, uint Mode, uint Uid, uint Gid);

internal enum FileKind
{
    RegularFile,
    Directory,
    SymbolicLink,
    Other,
}
