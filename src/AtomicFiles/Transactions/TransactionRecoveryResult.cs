namespace AtomicFiles.Transactions;

/// <summary>What recovery did with one interrupted transaction.</summary>
/// <param name="JournalPath">The journal it found (now removed).</param>
/// <param name="Completed">True if the transaction had reached its commit point and was completed; false if it was rolled back.</param>
internal sealed record TransactionRecoveryResult(string JournalPath, bool Completed);
