namespace AtomicFiles.Tests.Tool.Commands;

/// <summary>`atomicfile torture`, run as the shipped tool in a child process.</summary>
public sealed class TortureCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <remarks>
    /// The run must last long enough for writers to commit before they are killed, also on a loaded machine, or it is
    /// rightly INCONCLUSIVE: a writer starts a .NET process, which takes a good fraction of a second there.
    /// </remarks>
    [Fact]
    public void Torture_ShortRunInANewDirectoryOnAPipe_PrintsProgressPassesAndRemovesTheDirectory()
    {
        var directory = _dir.File("run");

        // The run ends after a number of kills, not seconds: under load a few seconds can pass without one commit, and
        // a run that committed nothing is INCONCLUSIVE. Starting a writer process costs seconds under Wine: there 3 kills.
        var result = OperatingSystem.IsWindows()
            ? Torture("--dir", directory, "--seconds", "300", "--kills", "3", "--writers", "2", "--size", "4096")
            : Torture("--dir", directory, "--seconds", "90", "--kills", "20", "--writers", "2", "--size", "4096");

        result.ExitCode.Should().Be(0, result.StandardOutput + result.StandardError);
        result.StandardOutput.Should().Contain($"Torturing {directory}").And.Contain("| Violations").And.Contain("| Transaction set checks").And.Contain("PASS");
        result.StandardOutput.Split('\n').Should().Contain(l => l.Contains("kills", StringComparison.Ordinal) && l.Contains("files verified", StringComparison.Ordinal),
            "a pipe gets a progress line a second, not only the summary at the end");
        Directory.Exists(directory).Should().BeFalse("the run created it, and removes it after a pass");
    }

    [Fact]
    public void Torture_DirectoryWhoseParentIsMissing_FailsWithoutCreatingAnything()
    {
        var directory = _dir.File("missing/run");

        var result = Torture("--dir", directory, "--seconds", "1");

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().StartWith("atomicfile torture: ").And.Contain(_dir.File("missing"));
        _dir.Entries().Should().BeEmpty();
    }

    [Fact]
    public void Torture_RunTooShortToKillAnything_IsInconclusiveAndFails()
    {
        var result = Torture("--dir", _dir.Path, "--seconds", "0.001", "--kills", "1", "--writers", "1", "--transaction-writers", "0");

        result.ExitCode.Should().Be(1, "a run that killed or verified nothing proves nothing");
        result.StandardOutput.Should().Contain("INCONCLUSIVE").And.NotContain("PASS");
        result.StandardError.Should().StartWith("atomicfile torture: INCONCLUSIVE");
    }

    private static Command.Result Torture(params string[] args) =>
        ToolProcess.Run(["torture", .. args], toolDll: ToolProcess.ShippedToolDll, timeout: TimeSpan.FromMinutes(2));
}
