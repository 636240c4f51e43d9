using AtomicFiles.PowerLoss.Scenarios;

namespace AtomicFiles.CrashTests.PowerLoss.Scenarios;

/// <summary>
/// AtomicFile.CreateNew publishing a file that does not exist (absent or complete new, never anything else), and
/// refusing one that does (which must never be modified in any crash state).
/// </summary>
public sealed class CreateNewScenario(string variant) : PowerLossScenario(variant)
{
    private const int Rounds = 4;
    private const string Existing = "existing.bin";

    private static readonly byte[] ExistingContent = TestContent.Bytes(6000, 300);
    private static readonly byte[] NewContent = TestContent.Bytes(10_000, 301);

    private static string FreshName(int round) => $"fresh{round}.bin";

    public override void Setup(string directory) => File.WriteAllBytes(Path.Join(directory, Existing), ExistingContent);

    public override void Workload(string directory, IWorkloadMarkers markers)
    {
        var options = LibraryVariant.Options(Variant);
        try
        {
            using var refused = AtomicFile.CreateNew(Path.Join(directory, Existing), options);
            refused.Write(NewContent);
            refused.Commit();
            throw new InvalidOperationException("CreateNew replaced an existing file.");
        }
        catch (IOException)
        {
            // expected: the target exists
        }

        for (var round = 0; round < Rounds; round++)
        {
            using (var writer = AtomicFile.CreateNew(Path.Join(directory, FreshName(round)), options))
            {
                writer.Write(NewContent);
                writer.Commit();
            }

            markers.Mark("committed " + FreshName(round));
        }
    }

    public override void Recover(string directory) => AtomicFile.Recover(directory);

    public override void Check(string directory, CrashCheck check)
    {
        var existing = Path.Join(directory, Existing);
        if (!File.Exists(existing) || !File.ReadAllBytes(existing).AsSpan().SequenceEqual(ExistingContent))
        {
            check.Fail(Invariant.CreateNewSafe, $"{Existing} was modified: {ContentChecks.Describe(File.Exists(existing) ? File.ReadAllBytes(existing) : null)}");
        }

        for (var round = 0; round < Rounds; round++)
        {
            var fresh = Path.Join(directory, FreshName(round));
            var content = File.Exists(fresh) ? File.ReadAllBytes(fresh) : null;
            var version = content is null ? "old" : content.AsSpan().SequenceEqual(NewContent) ? "new" : "other";
            check.Observe(fresh, version);
            if (version == "other")
            {
                check.Fail(Invariant.CreateNewSafe, $"{FreshName(round)} is {ContentChecks.Describe(content)}, neither absent nor complete new");
            }
            else if (version == "old" && check.IsAfter("committed " + FreshName(round)))
            {
                check.Fail(Invariant.Durable, $"{FreshName(round)} is absent after its CreateNew returned");
            }
        }

        ContentChecks.NoLeftovers(check, directory);
    }
}
