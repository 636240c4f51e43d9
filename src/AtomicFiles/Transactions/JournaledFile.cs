using AtomicFiles.Platform;

namespace AtomicFiles.Transactions;

/// <summary>
/// A journaled operation, opened: its directory inside the root, the target's name there, and for a replace the
/// staged temp's name and its content hash (none in a version 1 journal).
/// </summary>
internal sealed record JournaledFile(DirectoryHandle Directory, string FileName, string? TempName, string? ContentHash);
