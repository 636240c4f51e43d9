using AtomicFiles.Commit;

namespace AtomicFiles.Transactions;

/// <summary>A write staged in a transaction.</summary>
/// <param name="File">The temp beside its target.</param>
/// <param name="Stream">What the caller writes to: disposed at commit so buffered bytes reach the temp.</param>
/// <param name="Content">The stream under <paramref name="Stream"/> that writes the temp and hashes what it writes.</param>
/// <param name="Relative">The target's path relative to the root, as the journal records it.</param>
internal sealed record StagedReplace(StagedFile File, Stream Stream, StagedContentStream Content, string Relative);
