using AtomicFiles.PowerLoss.Scenarios;

namespace AtomicFiles.CrashTests.PowerLoss.Scenarios;

/// <summary>
/// The control: the usual hand-written "atomic" write — a temp file beside the target, renamed over it, with no
/// fsync at all. On ext4 with noauto_da_alloc a power cut can publish the rename before the data: an empty target.
/// The simulator must catch this, or its zero for the library would prove nothing.
/// </summary>
public sealed class NaiveReplaceScenario(string variant) : PowerLossScenario(variant)
{
    private const string Target = "settings.json";

    private static readonly byte[] OldContent = TestContent.Bytes(8000, 600);
    private static readonly byte[] NewContent = TestContent.Bytes(9000, 601);

    public override void Setup(string directory) => File.WriteAllBytes(Path.Join(directory, Target), OldContent);

    public override void Workload(string directory, IWorkloadMarkers markers)
    {
        var target = Path.Join(directory, Target);
        File.WriteAllBytes(target + ".tmp", NewContent);
        File.Move(target + ".tmp", target, overwrite: true);
        markers.Mark("committed");
    }

    public override void Check(string directory, CrashCheck check) =>
        ContentChecks.OldOrNew(check, Path.Join(directory, Target), OldContent, NewContent, "committed");
}
