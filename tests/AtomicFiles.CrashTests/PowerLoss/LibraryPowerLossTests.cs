using AtomicFiles.CrashTests.PowerLoss.Scenarios;
using AtomicFiles.PowerLoss.Running;
using AtomicFiles.PowerLoss.Scenarios;

namespace AtomicFiles.CrashTests.PowerLoss;

/// <summary>
/// The library with Durability.Full under a simulated power cut at every point of its protocol, on each filesystem:
/// at least 1,000 distinct crash states each, and not one may break an invariant.
/// </summary>
[Collection(PowerLossGroup.Name)]
public sealed class LibraryPowerLossTests(PowerLossFixture fixture, ITestOutputHelper output)
{
    public const int StatesPerFileSystem = 1000;

    public static TheoryData<string> FileSystems => new(FileSystemKind.All.Select(fs => fs.Name));

    /// <summary>Every library scenario, in one recorded run: each crash state is checked against all of them.</summary>
    public static PowerLossScenario[] LibraryScenarios(string variant) =>
        [new ReplaceScenario(variant), new CreateNewScenario(variant), new UpdateScenario(variant), new TransactionScenario(variant)];

    [RequiresTheory(PowerLossRequirements.All)]
    [MemberData(nameof(FileSystems))]
    public void DurabilityFull_PowerCutAnywhere_OldOrNewAndCommittedSurvives(string fileSystem)
    {
        var result = fixture.Simulator.Run(FileSystemKind.ByName(fileSystem), LibraryScenarios(""), StatesPerFileSystem, seed: 1);
        ResultPrinter.Print(output, result);

        result.States.Should().BeGreaterThanOrEqualTo(StatesPerFileSystem);
        result.Violations.Should().BeEmpty();
    }
}
