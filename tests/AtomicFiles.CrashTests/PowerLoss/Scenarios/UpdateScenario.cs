using System.Text;
using AtomicFiles.PowerLoss.Scenarios;

namespace AtomicFiles.CrashTests.PowerLoss.Scenarios;

/// <summary>AtomicFile.Update: a read-modify-write under the sidecar lock; the result is the old content transformed.</summary>
public sealed class UpdateScenario(string variant) : PowerLossScenario(variant)
{
    private const int Rounds = 4;

    private static readonly byte[] OldContent = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 400).Select(i => $"entry {i}\n")));

    public override void Setup(string directory)
    {
        for (var round = 0; round < Rounds; round++)
        {
            File.WriteAllBytes(Path.Join(directory, TargetName(round)), OldContent);
        }
    }

    public override void Workload(string directory, IWorkloadMarkers markers)
    {
        for (var round = 0; round < Rounds; round++)
        {
            AtomicFile.Update(Path.Join(directory, TargetName(round)), Transform, LibraryVariant.Options(Variant));
            markers.Mark("committed " + TargetName(round));
        }
    }

    public override void Recover(string directory) => AtomicFile.Recover(directory);

    public override void Check(string directory, CrashCheck check)
    {
        for (var round = 0; round < Rounds; round++)
        {
            ContentChecks.OldOrNew(check, Path.Join(directory, TargetName(round)), OldContent, Transform(OldContent),
                "committed " + TargetName(round));
        }
        ContentChecks.NoLeftovers(check, directory);
    }

    private static string TargetName(int round) => $"ledger{round}.txt";

    /// <summary>Appends a line and rewrites the first: the new content is neither a prefix nor a suffix of the old.</summary>
    private static byte[] Transform(byte[]? old) =>
        [.. "updated\n"u8, .. (old ?? []).AsSpan(6), .. Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(400, 200).Select(i => $"entry {i}\n")))];
}
