using AtomicFiles.Platform;

namespace AtomicFiles.Transactions;

/// <summary>A delete staged in a transaction.</summary>
/// <param name="Directory">The file's directory inside the root, held open until the transaction ends.</param>
/// <param name="FileName">The file's name in <paramref name="Directory"/>.</param>
/// <param name="Relative">The file's path relative to the root, as the journal records it.</param>
internal sealed record StagedDelete(DirectoryHandle Directory, string FileName, string Relative);
