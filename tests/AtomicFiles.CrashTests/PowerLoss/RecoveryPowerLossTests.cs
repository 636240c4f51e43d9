using AtomicFiles.CrashTests.PowerLoss.Scenarios;
using AtomicFiles.FaultInjection;
using AtomicFiles.PowerLoss.Running;
using AtomicFiles.PowerLoss.Scenarios;

namespace AtomicFiles.CrashTests.PowerLoss;

/// <summary>
/// Power cuts during recovery: on crash states of the transaction scenario that leave a journal, recovery (the
/// public Recover on some roots, BeginTransaction's own on the others) is recorded and cut in its turn; each nested
/// state is recovered twice and must be all old or all new, new after "committed", with no temp or journal left.
/// </summary>
[Collection(PowerLossGroup.Name)]
public sealed class RecoveryPowerLossTests(PowerLossFixture fixture, ITestOutputHelper output)
{
    public const int NestedStatesPerFileSystem = 300;

    /// <summary>Per recorded recovery, so that a dozen or more outer states are cut.</summary>
    private const int NestedStatesPerRecovery = 25;

    /// <summary>States per filesystem with two recoveries cut (both recoveries' states count).</summary>
    private const int SecondCutStates = 240;

    private const int SecondCutStatesPerRecovery = 20;

    public static TheoryData<string> FileSystems => new(FileSystemKind.Ext4.Name, FileSystemKind.Xfs.Name, FileSystemKind.Btrfs.Name);

    public static TheoryData<string> SecondCutFileSystems => new(FileSystemKind.Ext4.Name, FileSystemKind.Btrfs.Name);

    [RequiresTheory(PowerLossRequirements.All)]
    [MemberData(nameof(FileSystems))]
    public void PowerCutDuringRecovery_AllOrNothingNoLeftoversIdempotent(string fileSystem)
    {
        var result = fixture.Simulator.RunNested(FileSystemKind.ByName(fileSystem), [new TransactionScenario("")], NestedStatesPerFileSystem, NestedStatesPerRecovery, seed: 5);
        ResultPrinter.Print(output, result);

        result.States.Should().BeGreaterThanOrEqualTo(NestedStatesPerFileSystem);
        result.Violations.Should().BeEmpty();
    }

    /// <summary>
    /// A cut during the second recovery: on each of a few outer states, the first recovery is cut, and the recovery of
    /// one of its cut states that still leaves a journal is recorded and cut in its turn. Sampled: a few outer states,
    /// twenty states per recovery.
    /// </summary>
    [RequiresTheory(PowerLossRequirements.All)]
    [MemberData(nameof(SecondCutFileSystems))]
    public void PowerCutDuringSecondRecovery_AllOrNothingNoLeftoversIdempotent(string fileSystem)
    {
        var result = fixture.Simulator.RunNested(FileSystemKind.ByName(fileSystem), [new TransactionScenario("")], SecondCutStates, SecondCutStatesPerRecovery, seed: 7, cuts: 2);
        ResultPrinter.Print(output, result);

        result.SecondCutStates.Should().BePositive("some state of a cut recovery must leave a journal for the next recovery");
        result.Violations.Should().BeEmpty();
    }

    [RequiresFact(PowerLossRequirements.All)]
    public void Mutant_RecoveryRemovesJournalFirst_CaughtInASecondRecovery()
    {
        // The same defect as below, required to show among the states only this check makes: those of a recovery of a
        // state that was itself cut during recovery.
        var result = fixture.Simulator.RunNested(FileSystemKind.Ext4, [new TransactionScenario(nameof(InjectedDefect.RecoveryRemovesJournalFirst))], SecondCutStates, SecondCutStatesPerRecovery, seed: 7, cuts: 2);
        ResultPrinter.Print(output, result);

        result.Violations.Should().Contain(v => v.State.Split(" / recovery ").Length > 2,
            "a recovery that drops its journal before its renames must break an invariant when it is the second one cut");
    }

    [RequiresFact(PowerLossRequirements.All)]
    public void Mutant_RecoveryRemovesJournalFirst_Caught()
    {
        // The journal gone before the renames it promised are done: a cut in between loses the rest of the transaction.
        var results = new List<PowerLossResult>();
        foreach (var fs in new[] { FileSystemKind.Ext4, FileSystemKind.Btrfs, FileSystemKind.Xfs })
        {
            results.Add(fixture.Simulator.RunNested(fs, [new TransactionScenario(nameof(InjectedDefect.RecoveryRemovesJournalFirst))], 150, NestedStatesPerRecovery, seed: 6));
            if (results[^1].Violations.Count > 0)
            {
                break;
            }
        }

        ResultPrinter.Print(output, [.. results]);
        results[^1].Violations.Should().NotBeEmpty("a recovery that drops its journal before its renames must break an invariant");
    }
}
