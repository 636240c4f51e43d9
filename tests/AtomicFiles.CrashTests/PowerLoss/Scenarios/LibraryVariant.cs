namespace AtomicFiles.CrashTests.PowerLoss.Scenarios;

/// <summary>
/// The library configuration a scenario's variant names: "" (Durability.Full, the default), a <see cref="Durability"/>
/// level ("None", "FileOnly"), or a deliberate protocol defect (a <see cref="CommitMutation"/> name) to prove the
/// simulator catches it.
/// </summary>
internal static class LibraryVariant
{
    public static AtomicFileOptions Options(string variant) =>
        variant.Length == 0 ? AtomicFileOptions.Default
        : Enum.TryParse<Durability>(variant, out var durability) ? new AtomicFileOptions { Durability = durability }
        : new AtomicFileOptions { Mutation = Enum.Parse<CommitMutation>(variant) };
}
