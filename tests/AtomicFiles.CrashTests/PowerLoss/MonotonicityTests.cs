using AtomicFiles.CrashTests.PowerLoss.Scenarios;
using AtomicFiles.PowerLoss.Running;
using AtomicFiles.PowerLoss.Scenarios;

namespace AtomicFiles.CrashTests.PowerLoss;

/// <summary>
/// Invariant 4 on its own, without a recording: no control writer or mutant breaks it (each defect shows as a torn or
/// lost file first), so these show that the check over the prefix states bites when a target goes back.
/// </summary>
public sealed class MonotonicityTests
{
    private static readonly FileSystemKind s_fs = FileSystemKind.Ext4;
    private static readonly PowerLossScenario[] s_scenarios = [new ReplaceScenario("Full")];

    [Fact]
    public void MonotonicityViolations_TargetOldAgainAfterNew_IsAViolationNamingBothStates()
    {
        var violations = PowerLossSimulator.MonotonicityViolations(s_fs, s_scenarios,
        [
            (0, 3, "#3", Observed("old")),
            (0, 7, "#7", Observed("old")),
            (0, 5, "#5", Observed("new")),
        ]).ToList();

        violations.Should().ContainSingle().Which.Should().Match<Violation>(v =>
            v.Invariant == Invariant.Monotonic && v.State == "#7" && v.Message.Contains("#5", StringComparison.Ordinal));
    }

    [Fact]
    public void MonotonicityViolations_OldThenNewInLogOrder_IsClean()
    {
        PowerLossSimulator.MonotonicityViolations(s_fs, s_scenarios,
        [
            (0, 9, "#9", Observed("new")),
            (0, 2, "#2", Observed("old")),
            (0, 4, "#4", Observed("new")),
        ]).Should().BeEmpty();
    }

    private static Dictionary<string, string> Observed(string version) =>
        new Dictionary<string, string>(StringComparer.Ordinal) { ["settings.json"] = version };
}
