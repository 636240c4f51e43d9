using AtomicFiles.PowerLoss.Running;
using AtomicFiles.PowerLoss.Scenarios;

namespace AtomicFiles.CrashTests.PowerLoss;

/// <summary>
/// Durability.FileOnly, as README describes it: every file is flushed before it is published, so content is never
/// torn and transactions stay all-or-nothing; only the directories are not flushed, so a returned commit may be lost
/// (invariant 3, Durable), and nothing else.
/// </summary>
[Collection(PowerLossGroup.Name)]
public sealed class FileOnlyPowerLossTests(PowerLossFixture fixture, ITestOutputHelper output)
{
    private const int States = 200;

    public static TheoryData<string> FileSystems =>
        new(FileSystemKind.Ext4NoAutoDaAlloc.Name, FileSystemKind.Btrfs.Name);

    [RequiresTheory(PowerLossRequirements.All)]
    [MemberData(nameof(FileSystems))]
    public void DurabilityFileOnly_PowerCutAnywhere_ContentWholeOnlyDurabilityMayBeLost(string fileSystem)
    {
        var result = fixture.Simulator.Run(FileSystemKind.ByName(fileSystem), LibraryPowerLossTests.LibraryScenarios("FileOnly"), States, seed: 9);
        ResultPrinter.Print(output, result);

        result.States.Should().BeGreaterThanOrEqualTo(States);
        result.Violations.Where(v => v.Invariant != Invariant.Durable).Should().BeEmpty();
    }
}
