namespace AtomicFiles.FaultInjection;

/// <summary>A step of a transaction's protocol, or of a recovery's rollback, reported to <see cref="FaultHooks.AfterStep"/> right after it is done.</summary>
internal enum ProtocolStep
{
    /// <summary>The journal file was created (before the first temp).</summary>
    JournalCreate,

    /// <summary>A temp was created for a write and its stage line journaled. Path: the target, relative to the root.</summary>
    Stage,

    /// <summary>A delete was staged. Path: the target, relative to the root.</summary>
    PrepareDelete,

    /// <summary>An earlier staging of the same path was dropped (the last operation wins). Path: the target.</summary>
    Supersede,

    /// <summary>The journal of stage lines was flushed, before any staged temp is.</summary>
    StageJournalFlush,

    /// <summary>A staged temp was flushed to stable storage. Path: its target.</summary>
    FileFlush,

    /// <summary>The final operations and the seal were written to the journal.</summary>
    JournalWrite,

    /// <summary>The sealed journal was flushed: with <see cref="JournalDirectoryFlush"/>, the commit point.</summary>
    JournalFlush,

    /// <summary>The root directory was flushed after the journal was sealed.</summary>
    JournalDirectoryFlush,

    /// <summary>A temp was renamed over its target. Path: the target.</summary>
    Rename,

    /// <summary>A target was deleted. Path: the target.</summary>
    Delete,

    /// <summary>A directory touched by the renames and deletes was flushed. Path: the directory, relative to the root ("." for the root).</summary>
    DirectoryFlush,

    /// <summary>The journal was removed after the commit.</summary>
    JournalRemove,

    /// <summary>The root directory was flushed after the journal's removal.</summary>
    RootDirectoryFlush,

    /// <summary>A rollback emptied a sealed journal before removing anything.</summary>
    RollbackUnseal,

    /// <summary>A rollback removed a staged temp. Path: its target.</summary>
    RollbackRemove,

    /// <summary>A rollback removed the journal, last.</summary>
    RollbackJournalRemove,

    /// <summary>A recovery's rollback removed a temp its journal named. Path: the temp, as the journal names it.</summary>
    RecoveryRemove,
}
