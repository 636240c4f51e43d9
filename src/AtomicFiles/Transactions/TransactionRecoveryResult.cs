namespace AtomicFiles.Transactions;

/// <summary>What recovery did with one interrupted transaction.</summary>
/// <param name="JournalPath">The journal it found (now removed, unless it was untrusted).</param>
/// <param name="Completed">True if the transaction had reached its commit point and was completed; false if it was rolled back or left alone.</param>
internal sealed record TransactionRecoveryResult(string JournalPath, bool Completed)
{
    /// <summary>
    /// Why the journal was left as it is, untouched and unapplied: this user could not have written it (see
    /// <see cref="Recovery.JournalReader"/>). <see langword="null"/> if it was completed or rolled back.
    /// </summary>
    internal string? UntrustedBecause { get; init; }

    /// <summary>
    /// Full paths of files of a completed transaction that kept their old content because their staged content no
    /// longer matched its hash after part of the transaction had been applied (see <see cref="RecoveryReport.UnpublishedFiles"/>).
    /// </summary>
    internal IReadOnlyList<string> UnpublishedFiles { get; init; } = [];

    /// <summary>Full paths of the orphaned temps removed from the root's tree (see <see cref="RecoveryReport.RemovedTempFiles"/>).</summary>
    internal IReadOnlyList<string> RemovedTempFiles { get; init; } = [];
}
