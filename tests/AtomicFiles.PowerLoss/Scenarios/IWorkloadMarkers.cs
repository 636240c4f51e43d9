namespace AtomicFiles.PowerLoss.Scenarios;

/// <summary>The workload's side of a marker: the harness records how far the write log got at this instant.</summary>
public interface IWorkloadMarkers
{
    /// <summary>
    /// Blocks until the harness has recorded the marker: every flush that completed before this call is then behind
    /// it in the log, and <see cref="CrashCheck.IsAfter"/> of any later crash state is true.
    /// </summary>
    void Mark(string name);
}
