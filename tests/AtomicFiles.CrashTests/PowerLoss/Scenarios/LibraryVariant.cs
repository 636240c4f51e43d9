using AtomicFiles.FaultInjection;

namespace AtomicFiles.CrashTests.PowerLoss.Scenarios;

/// <summary>
/// The library configuration a scenario's variant names: "" (Durability.Full, the default), a <see cref="Durability"/>
/// level ("None", "FileOnly"), or a deliberate protocol defect (an <see cref="InjectedDefect"/> name) to prove the
/// simulator catches it.
/// </summary>
internal static class LibraryVariant
{
    private static readonly TimeSpan s_renameBeforeFlushWindow = TimeSpan.FromMilliseconds(20);

    /// <param name="variant">The scenario's variant.</param>
    /// <param name="transactionStep">Called at each step of a transaction's protocol (internal test hook).</param>
    public static AtomicFileOptions Options(string variant, Action<ReachedStep>? transactionStep = null) => new()
    {
        Durability = variant.Length > 0 && Enum.TryParse<Durability>(variant, out var durability) ? durability : Durability.Full,
        Faults = new()
        {
            Defects = variant.Length > 0 && !Enum.TryParse<Durability>(variant, out _) ? Enum.Parse<InjectedDefect>(variant) : InjectedDefect.None,
            AfterStep = transactionStep,

            // A real program with this defect does other work between its renames and its flush, and the filesystem
            // commits the rename before the data sooner or later; back to back, the window is microseconds and a
            // recording rarely lands a journal commit inside it (docs/power-loss.md, "Controls and mutants").
            BetweenRenameAndFileFlush = () => Thread.Sleep(s_renameBeforeFlushWindow),
        },
    };
}
