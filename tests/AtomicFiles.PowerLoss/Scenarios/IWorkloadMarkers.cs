using AtomicFiles.PowerLoss.Recording;

namespace AtomicFiles.PowerLoss.Scenarios;

/// <summary>The workload's side of the harness: markers (the harness records how far the write log got) and the neighbour.</summary>
public interface IWorkloadMarkers
{
    /// <summary>
    /// Blocks until the harness has recorded the marker: every flush that completed before this call is then behind
    /// it in the log, and <see cref="CrashCheck.IsAfter"/> of any later crash state is true.
    /// </summary>
    void Mark(string name);

    /// <summary>The neighbouring application that fsyncs beside the workload; call CommitNow to make it commit at a chosen instant.</summary>
    BackgroundFsyncs Neighbour { get; }
}
