namespace AtomicFiles.Tool.Torture;

/// <summary>The outcome of a torture run.</summary>
internal sealed record TortureResult
{
    /// <summary>The violations kept for display; <see cref="ViolationCount"/> counts them all.</summary>
    internal const int MaxSamples = 20;

    internal required TortureSettings Settings { get; init; }

    internal required TimeSpan Elapsed { get; init; }

    /// <summary>Writers killed with SIGKILL (TerminateProcess on Windows) at a random moment while committing.</summary>
    internal required long Kills { get; init; }

    /// <summary>Of <see cref="Kills"/>, those of transaction writers.</summary>
    internal required long TransactionKills { get; init; }

    /// <summary>Commits the writers reported as returned, by method.</summary>
    internal required IReadOnlyDictionary<CommitMethod, long> Commits { get; init; }

    /// <summary>Verification passes: one after every kill, and a final one.</summary>
    internal required long Verifications { get; init; }

    /// <summary>File reads checked across all verifications.</summary>
    internal required long FilesVerified { get; init; }

    internal required long ViolationCount { get; init; }

    /// <summary>Of <see cref="ViolationCount"/>, those in the transaction set or reported by transaction writers.</summary>
    internal required long TransactionViolationCount { get; init; }

    /// <summary>Checks of the transaction set (Recover, then read all five files): one after every kill of a transaction writer, and a final one.</summary>
    internal required long TransactionChecks { get; init; }

    /// <summary>Transactions interrupted by a kill that the checks' Recover completed: they had passed their commit point.</summary>
    internal required long TransactionsCompletedByRecover { get; init; }

    /// <summary>Transactions interrupted by a kill that the checks' Recover rolled back.</summary>
    internal required long TransactionsRolledBackByRecover { get; init; }

    internal required IReadOnlyList<TortureViolation> SampleViolations { get; init; }

    /// <summary>Temp files in the directory tree after the last writer died and the final check, before Recover.</summary>
    internal required int TempsBeforeRecover { get; init; }

    /// <summary>Temp files Recover removed.</summary>
    internal required int TempsRemoved { get; init; }

    /// <summary>Temp files still there after Recover: must be zero.</summary>
    internal required int TempsLeft { get; init; }

    /// <summary>Writer starts that failed for a moment and were tried again (<see cref="WriterStartRetry"/>).</summary>
    internal required int WriterStartsRetried { get; init; }

    internal long TotalCommits => Commits.Values.Sum();

    /// <summary>Nothing was killed or nothing verified: the run proves nothing, whatever it found.</summary>
    internal bool Inconclusive => Kills == 0 || FilesVerified == 0;

    internal bool Passed => ViolationCount == 0 && TempsLeft == 0 && !Inconclusive;
}
