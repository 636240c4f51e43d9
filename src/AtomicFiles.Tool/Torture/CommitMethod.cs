namespace AtomicFiles.Tool.Torture;

/// <summary>The write APIs a torture writer exercises, one picked at random per commit.</summary>
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
}
