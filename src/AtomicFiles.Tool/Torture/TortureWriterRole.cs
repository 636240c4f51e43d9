namespace AtomicFiles.Tool.Torture;

/// <summary>What a torture writer process commits.</summary>
internal enum TortureWriterRole
{
    /// <summary>Single files: the shared files and its CreateNew chain, by a random single-file method per commit.</summary>
    Files,

    /// <summary>Transactions over the transaction set: one version into all five files, all or nothing.</summary>
    Transactions,
}
