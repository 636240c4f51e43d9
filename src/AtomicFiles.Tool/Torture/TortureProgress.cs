namespace AtomicFiles.Tool.Torture;

/// <summary>A snapshot of a running torture, for live display.</summary>
internal sealed record TortureProgress(TimeSpan Elapsed, long Kills, long TransactionKills, long Commits, long FilesVerified, long Violations);
