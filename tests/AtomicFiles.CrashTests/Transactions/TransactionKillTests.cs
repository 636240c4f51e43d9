using AtomicFiles.Transactions;

namespace AtomicFiles.CrashTests.Transactions;

/// <summary>
/// A real process, SIGKILLed right after each step of a transaction's commit (`atomicfile transaction
/// --kill-after-step K`), then recovered: every file set must be entirely old or entirely new, with no temp and no
/// journal left. Without recovery the same check must fail — the kills do land in the middle of the renames. On
/// Windows the kill is TerminateProcess, Windows' kill -9.
/// </summary>
public sealed class TransactionKillTests : IDisposable
{
    /// <summary>What the shell reports for SIGKILL; on Windows, the exit code Process.Kill gives TerminateProcess.</summary>
    private static readonly int s_killedExitCode = OperatingSystem.IsWindows() ? -1 : 128 + 9;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Transaction_KilledAfterEveryStep_RecoversToAllOldOrAllNew()
    {
        var steps = TraceSteps();
        steps.Should().HaveCount(21, "the fixture's commit has 21 steps with full durability: {0}", string.Join(", ", steps));

        for (var k = 1; k <= steps.Length; k++)
        {
            var root = KillAfterStep(k);

            TransactionRecovery.Recover(root, AtomicFileOptions.Default);

            var outcome = TransactionFileSet.Classify(root);
            outcome.Should().BeOneOf(["old", "new"], "after a kill following step {0} ({1})", k, steps[k - 1]);
            outcome.Should().Be(steps.Take(k).Contains("journal write") ? "new" : "old", "the seal is the commit point (step {0})", k);
            TransactionFileSet.Leftovers(root).Should().BeEmpty("recovery after a kill following step {0} ({1}) cleans up", k, steps[k - 1]);
        }
    }

    [Fact]
    public void Transaction_KilledMidRenames_WithoutRecovery_IsCaughtByTheSameCheck()
    {
        var steps = TraceSteps();
        var secondRename = Array.FindIndex(steps, s => s.StartsWith("rename ", StringComparison.Ordinal)) + 2;

        var root = KillAfterStep(secondRename);

        TransactionFileSet.Classify(root).Should().StartWith("mixed", "a kill between two renames leaves a half-applied set until recovery runs");
        TransactionFileSet.Leftovers(root).Should().NotBeEmpty();
    }

    private string[] TraceSteps()
    {
        var root = NewRoot("trace");
        var result = ToolProcess.Run(["transaction", "--trace-steps", .. Arguments(root)]);
        result.ExitCode.Should().Be(0, result.StandardError);
        // Console lines end in "\r\n" on Windows: a step kept with its '\r' would never equal its name.
        return result.StandardOutput.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries);
    }

    private string KillAfterStep(int k)
    {
        var root = NewRoot($"kill-{k:D2}");
        var result = ToolProcess.Run(["transaction", "--kill-after-step", k.ToString(System.Globalization.CultureInfo.InvariantCulture), .. Arguments(root)]);
        result.ExitCode.Should().Be(s_killedExitCode, "the tool kills itself after step {0}: {1}", k, result.StandardError);
        return root;
    }

    private string NewRoot(string name)
    {
        var root = _dir.File(name);
        Directory.CreateDirectory(root);
        TransactionFileSet.CreateOld(root);
        return root;
    }

    private static string[] Arguments(string root) =>
    [
        root,
        .. TransactionFileSet.Writes.SelectMany(w => new[] { "--write", w.Path, w.Content }),
        .. TransactionFileSet.Deletes.SelectMany(d => new[] { "--delete", d }),
    ];
}
