namespace AtomicFiles.Tool.Torture;

/// <summary>What a torture run does.</summary>
/// <param name="Directory">Where the files go; must exist.</param>
/// <param name="Duration">How long to run at most.</param>
/// <param name="Writers">How many single-file writer processes run at once.</param>
/// <param name="FileSize">Bytes per committed version.</param>
/// <param name="Launcher">How to start a writer.</param>
internal sealed record TortureSettings(string Directory, TimeSpan Duration, int Writers, int FileSize, TortureWriterLauncher Launcher)
{
    internal const int DefaultWriters = 4;
    internal const int DefaultTransactionWriters = 2;
    internal const int DefaultFileSize = 64 * 1024;
    internal static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(10);

    /// <summary>How many transaction writer processes run beside <see cref="Writers"/>; 0 for none.</summary>
    internal int TransactionWriters { get; init; } = DefaultTransactionWriters;

    /// <summary>Stop once this many kills are done, even before <see cref="Duration"/>; <see langword="null"/> for no limit.</summary>
    internal long? MaxKills { get; init; }

    /// <summary>
    /// Each writer is killed at a random moment between 0 and this long after it reported ready: short enough for
    /// many kills, long enough that most land in the middle of commits.
    /// </summary>
    internal TimeSpan MaxWriterLifetime { get; init; } = TimeSpan.FromMilliseconds(250);
}
