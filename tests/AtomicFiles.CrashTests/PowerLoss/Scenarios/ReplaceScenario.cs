using AtomicFiles.PowerLoss.Scenarios;

namespace AtomicFiles.CrashTests.PowerLoss.Scenarios;

/// <summary>
/// AtomicFile.Create + Commit replacing four existing files of the sizes that behave differently on disk: new content
/// of 0 B, less than a block (inline data, tail packing), several blocks, and more than 1 MiB (several extents).
/// </summary>
public sealed class ReplaceScenario(string variant) : PowerLossScenario(variant)
{
    private static readonly (string Name, int OldLength, int NewLength)[] Files =
    [
        ("empty.bin", 3000, 0),
        ("small.bin", 100, 200),
        ("blocks.bin", 5000, (3 * 4096) + 17),
        ("large.bin", 1200 * 1024, (1536 * 1024) + 5),
    ];

    public override void Setup(string directory)
    {
        for (var i = 0; i < Files.Length; i++)
        {
            File.WriteAllBytes(Path.Join(directory, Files[i].Name), Old(i));
        }
    }

    public override void Workload(string directory, IWorkloadMarkers markers)
    {
        var options = LibraryVariant.Options(Variant);
        for (var i = 0; i < Files.Length; i++)
        {
            using (var writer = AtomicFile.Create(Path.Join(directory, Files[i].Name), options))
            {
                writer.Write(New(i));
                writer.Commit();
            }

            markers.Mark("committed " + Files[i].Name);
        }
    }

    public override void Recover(string directory) => AtomicFile.Recover(directory);

    public override void Check(string directory, CrashCheck check)
    {
        for (var i = 0; i < Files.Length; i++)
        {
            ContentChecks.OldOrNew(check, Path.Join(directory, Files[i].Name), Old(i), New(i),
                LibraryVariant.PromisesDurability(Variant) ? "committed " + Files[i].Name : "(no durability promised)");
        }

        ContentChecks.NoLeftovers(check, directory);
    }

    private static byte[] Old(int i) => TestContent.Bytes(Files[i].OldLength, 100 + i);

    private static byte[] New(int i) => TestContent.Bytes(Files[i].NewLength, 200 + i);
}
