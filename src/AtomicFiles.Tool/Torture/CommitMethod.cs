namespace AtomicFiles.Tool.Torture;

/// <summary>
/// The write APIs a torture writer exercises: a file writer picks one of the single-file methods at random per commit;
/// a transaction writer only commits <see cref="Transaction"/>s.
/// </summary>
internal enum CommitMethod
{
    /// <summary>A streaming writer: <c>AtomicFile.Create</c>, written in chunks, then Commit.</summary>
    Create,

    /// <summary><c>AtomicFile.WriteAllBytes</c>.</summary>
    WriteAllBytes,

    /// <summary><c>AtomicFile.CreateNew</c>, on a fresh name.</summary>
    CreateNew,

    /// <summary><c>AtomicFile.Update</c>: read-modify-write under its cross-process lock.</summary>
    Update,

    /// <summary><c>AtomicFile.BeginTransaction</c>: one version written into every file of the transaction set, then Commit.</summary>
    Transaction,
}
