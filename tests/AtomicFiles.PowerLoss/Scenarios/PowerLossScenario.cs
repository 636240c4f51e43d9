namespace AtomicFiles.PowerLoss.Scenarios;

/// <summary>
/// One thing to cut the power under: the only class a new scenario needs (a user can point the simulator at their own
/// persistence code with one). The harness gives each scenario its own directory on the recorded filesystem.
/// <list type="number">
/// <item><see cref="Setup"/> writes the old state, in the harness process, before recording starts.</item>
/// <item><see cref="Workload"/> runs in a child process while every block write is recorded; it calls
/// <see cref="IWorkloadMarkers.Mark"/> at each moment that promises something (e.g. "Commit returned").</item>
/// <item>For each crash state, after the kernel mounted it: <see cref="Recover"/>, then <see cref="Check"/>, which
/// reports violations and what each target held (for the harness's monotonicity check).</item>
/// </list>
/// The child creates the scenario from its type name and <see cref="Variant"/>, so a scenario needs a public
/// constructor taking that one string.
/// </summary>
public abstract class PowerLossScenario
{
    protected PowerLossScenario(string variant) => Variant = variant;

    /// <summary>What this instance varies (a durability level, a deliberate defect); passed to the child.</summary>
    public string Variant { get; }

    public virtual string Name => GetType().Name.Replace("Scenario", "", StringComparison.Ordinal) +
                                  (Variant.Length == 0 ? "" : $"[{Variant}]");

    /// <summary>Writes the old state into <paramref name="directory"/> (it exists and is empty).</summary>
    public abstract void Setup(string directory);

    /// <summary>The recorded work, in the child process. Reports each promise through <paramref name="markers"/>.</summary>
    public abstract void Workload(string directory, IWorkloadMarkers markers);

    /// <summary>What the application does after a crash before reading (e.g. AtomicFile.Recover). Default: nothing.</summary>
    public virtual void Recover(string directory)
    {
    }

    /// <summary>Checks one mounted crash state: report violations and observations on <paramref name="check"/>.</summary>
    public abstract void Check(string directory, CrashCheck check);
}
