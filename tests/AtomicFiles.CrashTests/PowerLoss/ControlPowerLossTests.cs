using AtomicFiles.CrashTests.PowerLoss.Scenarios;
using AtomicFiles.PowerLoss.Running;
using AtomicFiles.PowerLoss.Scenarios;
using Xunit.Abstractions;

namespace AtomicFiles.CrashTests.PowerLoss;

/// <summary>
/// The simulator proven to bite: a naive temp+rename, and the library with each protocol step disabled, must each
/// break an invariant somewhere; Durability.None is measured and held to what it was found to give.
/// </summary>
[Collection(PowerLossGroup.Name)]
public sealed class ControlPowerLossTests(PowerLossFixture fixture, ITestOutputHelper output)
{
    /// <summary>Enough to catch each defect (it shows in dozens of states); the full 1,000 are for the library.</summary>
    private const int StatesPerControl = 300;

    /// <summary>Where each defect is looked for, most revealing first; the search stops at the first that catches it.</summary>
    private static readonly FileSystemKind[] MutantFileSystems =
        [FileSystemKind.Ext4NoAutoDaAlloc, FileSystemKind.Ext4DataWriteback, FileSystemKind.Xfs, FileSystemKind.Btrfs, FileSystemKind.Ext4];

    public static TheoryData<string> Mutations =>
        new(nameof(CommitMutation.SkipFileFlush), nameof(CommitMutation.SkipDirectoryFlush),
            nameof(CommitMutation.RenameBeforeFileFlush), nameof(CommitMutation.SkipTransactionJournal));

    [RequiresFact(PowerLossRequirements.All)]
    public void NaiveTempRenameWithoutFsync_Ext4NoAutoDaAlloc_EmptyTargetCaught()
    {
        var result = fixture.Simulator.Run(FileSystemKind.Ext4NoAutoDaAlloc, [new NaiveReplaceScenario("")], StatesPerControl, seed: 2);
        ResultPrinter.Print(output, result);

        result.Violations.Should().Contain(v => v.Invariant == Invariant.OldOrNew,
            "a rename committed before the data was written publishes a zero-length file");
    }

    [RequiresTheory(PowerLossRequirements.All)]
    [MemberData(nameof(Mutations))]
    public void Mutant_PowerCutAnywhere_CaughtOnSomeFileSystem(string mutation)
    {
        PowerLossScenario[] scenarios = mutation == nameof(CommitMutation.SkipTransactionJournal)
            ? [new TransactionScenario(mutation)]
            : LibraryPowerLossTests.LibraryScenarios(mutation);
        // Some defects show only if the journal commits inside a window of microseconds (a rename before the data's
        // fsync): the neighbour fsyncs back to back here, and a second recording is made if the first missed it.
        var results = new List<PowerLossResult>();
        foreach (var (fs, attempt) in MutantFileSystems.Select(fs => (fs, 1)).Concat(MutantFileSystems.Select(fs => (fs, 2))))
        {
            results.Add(fixture.Simulator.Run(fs, scenarios, StatesPerControl, seed: 3 + attempt, backgroundFsyncInterval: TimeSpan.FromMilliseconds(1)));
            if (results[^1].Violations.Count > 0)
            {
                break;
            }
        }

        ResultPrinter.Print(output, [.. results]);
        results[^1].Violations.Should().NotBeEmpty($"the {mutation} defect must break an invariant on some filesystem");
    }

    [RequiresFact(PowerLossRequirements.All)]
    public void DurabilityNone_PowerCutAnywhere_WhatItGives()
    {
        FileSystemKind[] fileSystems = [FileSystemKind.Ext4NoAutoDaAlloc, FileSystemKind.Ext4, FileSystemKind.Xfs, FileSystemKind.Btrfs];
        var results = fileSystems.Select(fs => fixture.Simulator.Run(fs, LibraryPowerLossTests.LibraryScenarios("None"), StatesPerControl, seed: 4)).ToArray();
        ResultPrinter.Print(output, results);
    }
}
