namespace AtomicFiles.Transactions;

/// <summary>What a journal says.</summary>
/// <param name="Operations">The replaces and deletes, in the order they were recorded.</param>
/// <param name="IsCommitted">Complete and intact: the transaction reached its commit point and must be completed.</param>
internal sealed record ParsedJournal(IReadOnlyList<JournalOperation> Operations, bool IsCommitted)
{
    /// <summary>
    /// Why the journal is damaged (torn, corrupted, forged), for the log; <see langword="null"/> if it is intact, or
    /// merely unsealed — what a transaction that crashed before its commit point leaves.
    /// </summary>
    internal string? Defect { get; init; }

    /// <summary>Every temp a readable line names (staged or replacing): what a rollback removes, and what an orphan sweep must leave alone.</summary>
    internal IReadOnlyList<string> Temps { get; init; } = [];

    /// <summary>The format version of the header: 1 or 2; 0 if there was no header.</summary>
    internal int Version { get; init; }
}
