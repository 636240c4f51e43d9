namespace AtomicFiles.FaultInjection;

/// <summary>
/// Everything a test can do to the library from inside: deliberate defects, a callback after each protocol step, and
/// the wait that makes a rename-before-flush defect observable. Set through the internal
/// <see cref="AtomicFileOptions.Faults"/>, which only the test assemblies can reach; options a user builds have none.
/// </summary>
internal sealed class FaultHooks
{
    /// <summary>The protocol defects to inject, for the controls that prove a check would catch them.</summary>
    public InjectedDefect Defects { get; init; }

    /// <summary>
    /// Called right after each step of a transaction's commit or rollback, and after each temp a recovery's rollback
    /// removes, so fault tests can copy the disk, fail, or kill the process there. Staged files are flushed on several
    /// threads at once, so it may be called concurrently.
    /// </summary>
    public Action<ReachedStep>? AfterStep { get; init; }

    /// <summary>
    /// With <see cref="InjectedDefect.RenameBeforeFileFlush"/>, called between the renames and the late flush: a test
    /// waits there as a real program with that defect would do other work, so the filesystem can commit the rename
    /// before the data.
    /// </summary>
    public Action? BetweenRenameAndFileFlush { get; init; }

    /// <summary>
    /// Called when a commit has joined a directory flush that another commit leads (the next one, or one whose leader
    /// is about to begin it), before it blocks or its task is returned: a test knows then which flush it relies on.
    /// </summary>
    public Action? WaitingForDirectoryFlush { get; init; }
}
