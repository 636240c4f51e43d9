namespace AtomicFiles;

/// <summary>Timing that makes a <see cref="CommitMutation"/> defect observable in a power-loss recording.</summary>
internal static class CommitMutationWindow
{
    /// <summary>
    /// A <see cref="CommitMutation.RenameBeforeFileFlush"/> commit waits here between its renames and its flush. A
    /// real program with this defect does other work there, and the filesystem commits the rename before the data
    /// sooner or later; back to back, the window is microseconds and a recording only rarely lands a journal commit
    /// inside it (the power-loss control then failed in 15 recordings of one run).
    /// </summary>
    internal static void AfterRenameBeforeFlush() => Thread.Sleep(TimeSpan.FromMilliseconds(20));
}
