namespace AtomicFiles;

/// <summary>What <see cref="AtomicFile.Recover"/> found and did in a directory.</summary>
public sealed class RecoveryReport
{
    internal RecoveryReport(string directory, IReadOnlyList<string> removedTempFiles, IReadOnlyList<string> completedTransactions, IReadOnlyList<string> rolledBackTransactions)
    {
        Directory = directory;
        RemovedTempFiles = removedTempFiles;
        CompletedTransactions = completedTransactions;
        RolledBackTransactions = rolledBackTransactions;
    }

    /// <summary>The directory that was recovered, as a full path.</summary>
    public string Directory { get; }

    /// <summary>Full paths of orphaned temp files removed: ones left by writers that died before committing.</summary>
    public IReadOnlyList<string> RemovedTempFiles { get; }

    /// <summary>Journals of interrupted transactions that had reached their commit point and were completed.</summary>
    public IReadOnlyList<string> CompletedTransactions { get; }

    /// <summary>Journals of interrupted transactions that had not reached their commit point and were rolled back.</summary>
    public IReadOnlyList<string> RolledBackTransactions { get; }

    /// <summary>Whether there was nothing to recover.</summary>
    public bool IsClean => RemovedTempFiles.Count == 0 && CompletedTransactions.Count == 0 && RolledBackTransactions.Count == 0;
}
