namespace AtomicFiles.FaultInjection;

/// <summary>
/// Deliberate defects in the commit and recovery protocols, set through <see cref="FaultHooks.Defects"/> from the test
/// assemblies only. The fault and power-loss tests run the library with each one to prove that they would catch it.
/// </summary>
[Flags]
internal enum InjectedDefect
{
    None = 0,

    /// <summary>Staged files are never flushed to stable storage (the durability options' file flush is skipped).</summary>
    SkipFileFlush = 1,

    /// <summary>Directories are never flushed after a rename (the durability options' directory flush is skipped).</summary>
    SkipDirectoryFlush = 2,

    /// <summary>
    /// A commit renames before it flushes the staged data, and waits in <see cref="FaultHooks.BetweenRenameAndFileFlush"/>
    /// in between.
    /// </summary>
    RenameBeforeFileFlush = 4,

    /// <summary>A transaction applies its renames and deletes without writing a journal first.</summary>
    SkipTransactionJournal = 8,

    /// <summary>Transaction recovery rolls back every journal, even one that reached its commit point.</summary>
    RecoveryIgnoresCommittedJournal = 16,

    /// <summary>A transaction rolling back after writing its seal leaves the seal in place while it removes its temps.</summary>
    RollbackKeepsSeal = 32,

    /// <summary>
    /// On Unix, <see cref="Locking.LockFileLock"/> locks as it does on Windows, through a FileShare.None open: .NET's own
    /// flock, which DOTNET_SYSTEM_IO_DISABLEFILELOCKING turns off and which proceeds unlocked on flock errors other
    /// than EWOULDBLOCK; and it opens the lock file read-write, through symbolic links, without checking its type or owner.
    /// </summary>
    LockThroughFileShare = 64,

    /// <summary>
    /// <see cref="Locking.LockFileLock"/> fails open: when another holder has the lock it proceeds anyway, holding a handle
    /// on another file that guards nothing, instead of waiting. The control of the tests that show a second holder waits.
    /// </summary>
    LockFailsOpen = 128,

    /// <summary>Recovery trusts every journal it finds, whoever wrote it and whatever it is: the behavior before journals were checked.</summary>
    RecoveryTrustsAnyJournal = 1 << 12,

    /// <summary>Recovery and the orphan sweep look for journals above the directory by its spelled path, not its physical one.</summary>
    RecoveryWalksLexically = 1 << 13,

    /// <summary>Recovery redoes a committed journal without checking its staged temps against their content hashes.</summary>
    RecoverySkipsContentCheck = 1 << 14,

    /// <summary>Transaction recovery removes only the temps its journal names, and sweeps no directory of the root's tree.</summary>
    RecoverySweepsOnlyJournaledTemps = 1 << 15,

    /// <summary>Recovery of a committed journal removes the journal, durably, before it redoes the renames.</summary>
    RecoveryRemovesJournalFirst = 1 << 16,

    /// <summary>Recovery rolling back a sealed journal (a staged temp was torn) removes the temps with the seal still in place.</summary>
    RecoveryRollsBackUnderSeal = 1 << 17,

    /// <summary>A transaction operation that supersedes an earlier staging of the same path leaves that staging's temp on disk.</summary>
    SupersedeKeepsTemp = 1 << 18,

    /// <summary>
    /// A commit that finds a flush of its directory under way is acknowledged by that flush, which may have begun before
    /// its rename, instead of by the next one (<see cref="Commit.DirectoryFlushGroup"/>).
    /// </summary>
    AcknowledgeFromRunningDirectoryFlush = 1 << 22,

    /// <summary>
    /// On Windows, every rename is the classic one (MoveFileEx's), as on a volume that refuses the POSIX-semantics
    /// rename: a reader of the target then blocks the replace. Exercises the fallback where the volume would not, and
    /// is the defect the readers-never-block tests catch.
    /// </summary>
    WindowsClassicRenameOnly = 1 << 19,

    /// <summary>
    /// A transaction flushes its staged temps without first flushing the journal that names them: on btrfs a power cut
    /// can then keep the temps and lose the journal, and they are never swept.
    /// </summary>
    TempsFlushedBeforeJournal = 1 << 20,

    /// <summary>
    /// A transaction flushes only its root at the commit point, not the other directories its temps are staged in: on
    /// btrfs a completed transaction's temp can then come back after a power cut, with no journal left to name it.
    /// </summary>
    StagingDirectoriesUnflushedBeforeRenames = 1 << 21,
}
