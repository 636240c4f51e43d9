namespace AtomicFiles.Transactions;

/// <summary>What a journal says.</summary>
/// <param name="Operations">In the order they are applied.</param>
/// <param name="IsCommitted">Complete and intact: the transaction reached its commit point and must be completed.</param>
internal sealed record ParsedJournal(IReadOnlyList<JournalOperation> Operations, bool IsCommitted)
{
    /// <summary>
    /// Why the journal is damaged (torn, corrupted, forged), for the log; <see langword="null"/> if it is intact, or
    /// merely unsealed — what a transaction that crashed before its commit point leaves.
    /// </summary>
    internal string? Defect { get; init; }
}
