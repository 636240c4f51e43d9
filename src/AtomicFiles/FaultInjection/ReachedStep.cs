namespace AtomicFiles.FaultInjection;

/// <summary>A protocol step just done, and the path it was done to, if any.</summary>
/// <param name="Step">The step.</param>
/// <param name="Path">The file or directory, relative to the transaction root; <see langword="null"/> for a step on the journal or the root.</param>
internal readonly record struct ReachedStep(ProtocolStep Step, string? Path = null)
{
    /// <summary>Whether the step belongs to a transaction's own rollback.</summary>
    internal bool IsRollback => Step is ProtocolStep.RollbackUnseal or ProtocolStep.RollbackRemove or ProtocolStep.RollbackJournalRemove;

    /// <summary>The step as traces and test names show it, e.g. "rename sub/b.txt" or "journal fsync".</summary>
    public override string ToString()
    {
        var name = Step switch
        {
            ProtocolStep.JournalCreate => "journal create",
            ProtocolStep.Stage => "stage",
            ProtocolStep.PrepareDelete => "prepare delete",
            ProtocolStep.Supersede => "supersede",
            ProtocolStep.StageJournalFlush => "stage journal fsync",
            ProtocolStep.FileFlush => "fsync",
            ProtocolStep.JournalWrite => "journal write",
            ProtocolStep.JournalFlush => "journal fsync",
            ProtocolStep.JournalDirectoryFlush => "journal directory fsync",
            ProtocolStep.Rename => "rename",
            ProtocolStep.Delete => "delete",
            ProtocolStep.DirectoryFlush => "directory fsync",
            ProtocolStep.JournalRemove => "journal remove",
            ProtocolStep.RootDirectoryFlush => "root directory fsync",
            ProtocolStep.RollbackUnseal => "rollback unseal",
            ProtocolStep.RollbackRemove => "rollback remove",
            ProtocolStep.RollbackJournalRemove => "rollback journal remove",
            ProtocolStep.RecoveryRemove => "recovery remove",
            _ => Step.ToString(),
        };
        return Path is null ? name : $"{name} {Path}";
    }
}
