using System.Text;
using AtomicFiles.PowerLoss.Scenarios;

namespace AtomicFiles.CrashTests.PowerLoss.Scenarios;

/// <summary>AtomicFile.Update: a read-modify-write under the sidecar lock; the result is the old content transformed.</summary>
public sealed class UpdateScenario(string variant) : PowerLossScenario(variant)
{
    private const string Target = "ledger.txt";

    private static readonly byte[] OldContent = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 400).Select(i => $"entry {i}\n")));

    public override void Setup(string directory) => File.WriteAllBytes(Path.Join(directory, Target), OldContent);

    public override void Workload(string directory, IWorkloadMarkers markers)
    {
        AtomicFile.Update(Path.Join(directory, Target), Transform, LibraryVariant.Options(Variant));
        markers.Mark("committed");
    }

    public override void Recover(string directory) => AtomicFile.Recover(directory);

    public override void Check(string directory, CrashCheck check)
    {
        ContentChecks.OldOrNew(check, Path.Join(directory, Target), OldContent, Transform(OldContent),
            LibraryVariant.PromisesDurability(Variant) ? "committed" : "(no durability promised)");
        ContentChecks.NoLeftovers(check, directory);
    }

    /// <summary>Appends a line and rewrites the first: the new content is neither a prefix nor a suffix of the old.</summary>
    private static byte[] Transform(byte[]? old) =>
        [.. "updated\n"u8, .. (old ?? []).AsSpan(6), .. Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(400, 200).Select(i => $"entry {i}\n")))];
}
