using AtomicFiles.CrashTests.PowerLoss.Scenarios;
using AtomicFiles.PowerLoss.Running;
using AtomicFiles.PowerLoss.Scenarios;

namespace AtomicFiles.CrashTests.PowerLoss;

/// <summary>
/// In-flight writes torn at 512-byte sectors rather than 4 KiB blocks — a drive promises only one physical sector
/// atomically — on the Replace and Transaction scenarios, on ext4 and xfs (whose journals checksum their commits).
/// Not the library's to promise: that the filesystem mounts. ext4 refuses to mount ("Bad message", a metadata
/// checksum) a state whose torn sectors split one of its own metadata blocks written before a flush; such states are
/// printed and counted, not failed.
/// </summary>
[Collection(PowerLossGroup.Name)]
public sealed class SectorTearingPowerLossTests(PowerLossFixture fixture, ITestOutputHelper output)
{
    private const int States = 200;

    public static TheoryData<string> FileSystems => new(FileSystemKind.Ext4.Name, FileSystemKind.Xfs.Name);

    [RequiresTheory(PowerLossRequirements.All)]
    [MemberData(nameof(FileSystems))]
    public void DurabilityFull_WritesTornAt512Bytes_OldOrNewAndCommittedSurvives(string fileSystem)
    {
        var result = fixture.Simulator.Run(FileSystemKind.ByName(fileSystem), [new ReplaceScenario(""), new TransactionScenario("")], States, seed: 7, tearBytes: 512);
        ResultPrinter.Print(output, result);

        result.States.Should().BeGreaterThanOrEqualTo(States);
        result.Violations.Where(v => v.Invariant != Invariant.Mounts).Should().BeEmpty();
    }

    [RequiresFact(PowerLossRequirements.All)]
    public void NaiveTempRename_WritesTornAt512Bytes_Caught()
    {
        // The control: the finer enumeration still finds what the naive writer leaves.
        var result = fixture.Simulator.Run(FileSystemKind.Ext4NoAutoDaAlloc, [new NaiveReplaceScenario("")], 100, seed: 8, tearBytes: 512);
        ResultPrinter.Print(output, result);

        result.Violations.Should().Contain(v => v.Invariant == Invariant.OldOrNew || v.Invariant == Invariant.Durable);
    }
}
