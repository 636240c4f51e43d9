namespace AtomicFiles.Tool.Torture;

/// <summary>
/// A snapshot of a running torture, for live display and for a caller that stops once it has seen enough.
/// <see cref="TransactionViolations"/> counts those of <see cref="Violations"/> found in the transaction set.
/// </summary>
internal sealed record TortureProgress(TimeSpan Elapsed, long Kills, long TransactionKills, long Commits, long FilesVerified, long Violations, long TransactionViolations);
