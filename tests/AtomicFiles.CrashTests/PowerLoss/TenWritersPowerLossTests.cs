using AtomicFiles.CrashTests.PowerLoss.Scenarios;
using AtomicFiles.PowerLoss.Running;
using AtomicFiles.PowerLoss.Scenarios;

namespace AtomicFiles.CrashTests.PowerLoss;

/// <summary>Ten processes committing at once (Create, CreateNew, Update, transactions in own and shared roots), one recording, the power cut anywhere.</summary>
[Collection(PowerLossGroup.Name)]
public sealed class TenWritersPowerLossTests(PowerLossFixture fixture, ITestOutputHelper output)
{
    private const int States = 200;

    [RequiresFact(PowerLossRequirements.All)]
    public void TenWriters_PowerCutAnywhere_EveryProcessesPromisesHold()
    {
        var result = fixture.Simulator.Run(FileSystemKind.Ext4, [new TenWritersScenario("")], States, seed: 10);
        ResultPrinter.Print(output, result);

        result.States.Should().BeGreaterThanOrEqualTo(States);
        result.Violations.Should().BeEmpty();
    }
}
