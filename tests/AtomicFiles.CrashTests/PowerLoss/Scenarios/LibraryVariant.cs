namespace AtomicFiles.CrashTests.PowerLoss.Scenarios;

/// <summary>
/// The library configuration a scenario's variant names: "" (Durability.Full, the default), a <see cref="Durability"/>
/// level ("None", "FileOnly"), or a deliberate protocol defect (a <see cref="CommitMutation"/> name) to prove the
/// simulator catches it.
/// </summary>
internal static class LibraryVariant
{
    /// <param name="variant">The scenario's variant.</param>
    /// <param name="transactionStep">Called at each step of a transaction's protocol (internal test hook).</param>
    public static AtomicFileOptions Options(string variant, Action<string>? transactionStep = null) => new()
    {
        Durability = variant.Length > 0 && Enum.TryParse<Durability>(variant, out var durability) ? durability : Durability.Full,
        Mutation = variant.Length > 0 && !Enum.TryParse<Durability>(variant, out _) ? Enum.Parse<CommitMutation>(variant) : CommitMutation.None,
        TransactionStepHook = transactionStep,
    };
}
