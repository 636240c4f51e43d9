namespace AtomicFiles;

/// <summary>
/// What <see cref="AtomicFile.Recover"/> found and did in a directory, or, from <see cref="AtomicFile.RecoverDryRun"/>
/// (<see cref="IsDryRun"/>), what it would do.
/// </summary>
public sealed class RecoveryReport
{
    internal RecoveryReport(
        string directory,
        IReadOnlyList<string> removedTempFiles,
        IReadOnlyList<string> completedTransactions,
        IReadOnlyList<string> rolledBackTransactions,
        IReadOnlyList<string> untrustedJournals,
        IReadOnlyList<string> unpublishedFiles)
    {
        UnpublishedFiles = unpublishedFiles;
        UntrustedJournals = untrustedJournals;
        Directory = directory;
        RemovedTempFiles = removedTempFiles;
        CompletedTransactions = completedTransactions;
        RolledBackTransactions = rolledBackTransactions;
    }

    /// <summary>
    /// Whether this report comes from <see cref="AtomicFile.RecoverDryRun"/>: nothing was changed, and each list says
    /// what <see cref="AtomicFile.Recover"/> would do (the temps it would remove, the transactions it would complete or
    /// roll back).
    /// </summary>
    public bool IsDryRun { get; internal init; }

    /// <summary>The directory that was recovered, as a full path (resolved as the kernel does if the given path had a <c>..</c> segment).</summary>
    public string Directory { get; }

    /// <summary>Full paths of orphaned temp files removed: ones left by writers that died before committing.</summary>
    public IReadOnlyList<string> RemovedTempFiles { get; }

    /// <summary>Journals of interrupted transactions that had reached their commit point and were completed.</summary>
    public IReadOnlyList<string> CompletedTransactions { get; }

    /// <summary>Journals of interrupted transactions that had not reached their commit point and were rolled back.</summary>
    public IReadOnlyList<string> RolledBackTransactions { get; }

    /// <summary>
    /// Journals found in the directory or above it that were left exactly as they are — neither completed nor rolled
    /// back nor removed — because this user could not have written them: not a regular file with one link, owned by
    /// this user and writable by nobody else (on Unix). Typically another user's, in a shared directory; each is
    /// logged with the reason. Its owner's own <see cref="AtomicFile.Recover"/> or next transaction recovers it.
    /// </summary>
    public IReadOnlyList<string> UntrustedJournals { get; }

    /// <summary>
    /// Full paths of files that a completed transaction could not publish: a power cut damaged their staged content
    /// (possible with <see cref="Durability.None"/>, or a disk that loses acknowledged writes) after the transaction
    /// had already applied some of its other files. Each was left with its old content, while the transaction's other
    /// files are new, and is logged as an error. A damaged file is never published; when nothing had been applied yet,
    /// the whole transaction is rolled back instead and listed in <see cref="RolledBackTransactions"/>.
    /// </summary>
    public IReadOnlyList<string> UnpublishedFiles { get; }

    /// <summary>Whether there was nothing to recover and nothing was left alone (no <see cref="UntrustedJournals"/>).</summary>
    public bool IsClean => RemovedTempFiles.Count == 0 && CompletedTransactions.Count == 0 && RolledBackTransactions.Count == 0 && UntrustedJournals.Count == 0
        && UnpublishedFiles.Count == 0;

    /// <summary>
    /// What was done, for a log or a console: "DIR: nothing to recover.", or the directory followed by one indented line
    /// per completed or rolled-back transaction, removed temp file, untrusted journal and unpublished file. A dry run
    /// says "dry run, nothing changed" after the directory and "would" on each line.
    /// </summary>
    public override string ToString()
    {
        var directory = IsDryRun ? Directory + " (dry run, nothing changed)" : Directory;
        if (IsClean)
        {
            return $"{directory}: nothing to recover.";
        }

        var text = new System.Text.StringBuilder().Append(directory).Append(':');
        Append(text, IsDryRun ? "would complete transaction" : "completed transaction", CompletedTransactions);
        Append(text, IsDryRun ? "would roll back transaction" : "rolled back transaction", RolledBackTransactions);
        Append(text, IsDryRun ? "would remove orphaned temp" : "removed orphaned temp", RemovedTempFiles);
        Append(text, IsDryRun ? "would leave untrusted journal" : "left untrusted journal", UntrustedJournals);
        Append(text, IsDryRun ? "would leave unpublished (its staged content was damaged)" : "left unpublished (its staged content was damaged)", UnpublishedFiles);
        return text.ToString();
    }

    private static void Append(System.Text.StringBuilder text, string what, IReadOnlyList<string> paths)
    {
        foreach (var path in paths)
        {
            text.AppendLine().Append("  ").Append(what).Append(": ").Append(path);
        }
    }
}
