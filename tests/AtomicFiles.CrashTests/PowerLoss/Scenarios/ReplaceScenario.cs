using AtomicFiles.PowerLoss.Scenarios;

namespace AtomicFiles.CrashTests.PowerLoss.Scenarios;

/// <summary>
/// AtomicFile.Create + Commit replacing four existing files of the sizes that behave differently on disk: new content
/// of 0 B, less than a block (inline data, tail packing), several blocks, and more than 1 MiB (several extents).
/// The four are replaced in <see cref="Rounds"/> sets, one after another, so the log holds enough flush windows for
/// a thousand distinct crash states.
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

    private const int Rounds = 4;

    public override void Setup(string directory)
    {
        foreach (var (path, i) in Targets(directory))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, Old(i));
        }
    }

    public override void Workload(string directory, IWorkloadMarkers markers)
    {
        var options = LibraryVariant.Options(Variant);
        foreach (var (path, i) in Targets(directory))
        {
            using (var writer = AtomicFile.Create(path, options))
            {
                writer.Write(New(i));
                writer.Commit();
            }

            markers.Mark("committed " + Path.GetRelativePath(directory, path));
        }
    }

    public override void Recover(string directory)
    {
        foreach (var round in Enumerable.Range(0, Rounds))
        {
            AtomicFile.Recover(Path.Join(directory, $"round{round}"));
        }
    }

    public override void Check(string directory, CrashCheck check)
    {
        foreach (var (path, i) in Targets(directory))
        {
            ContentChecks.OldOrNew(check, path, Old(i), New(i),
                "committed " + Path.GetRelativePath(directory, path));
        }

        ContentChecks.NoLeftovers(check, directory);
    }

    private static IEnumerable<(string Path, int File)> Targets(string directory) =>
        Enumerable.Range(0, Rounds).SelectMany(round => Files.Select((f, i) => (Path.Join(directory, $"round{round}", f.Name), i)));

    private static byte[] Old(int i) => TestContent.Bytes(Files[i].OldLength, 100 + i);

    private static byte[] New(int i) => TestContent.Bytes(Files[i].NewLength, 200 + i);
}
