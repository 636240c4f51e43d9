using AtomicFiles.Platform;

namespace AtomicFiles.Tests.Tool;

public sealed class RecoverAndCleanCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Clean_Orphan_IsListedAndKept()
    {
        var orphan = _dir.File(TempFileName.For("a.txt"));
        File.WriteAllText(orphan, "x");

        var result = ToolProcess.Run(["clean", _dir.Path]);

        result.ExitCode.Should().Be(0, result.StandardError);
        result.StandardOutput.Should().Contain($"orphaned  {orphan}").And.Contain("1 orphaned, 0 in use");
        File.Exists(orphan).Should().BeTrue();
    }

    [Fact]
    public void Recover_Orphan_IsRemovedAndPrinted()
    {
        var orphan = _dir.File(TempFileName.For("a.txt"));
        File.WriteAllText(orphan, "x");

        var result = ToolProcess.Run(["recover", _dir.Path]);

        result.ExitCode.Should().Be(0, result.StandardError);
        result.StandardOutput.Should().Contain($"removed orphaned temp: {orphan}");
        File.Exists(orphan).Should().BeFalse();
    }

    [Fact]
    public void Recover_CleanDirectory_SaysSo()
    {
        var result = ToolProcess.Run(["recover", _dir.Path]);

        result.ExitCode.Should().Be(0, result.StandardError);
        result.StandardOutput.Should().Contain("nothing to recover");
    }

    [Theory]
    [InlineData("recover")]
    [InlineData("clean")]
    public void Command_WithoutDirectory_IsAUsageError(string verb)
    {
        ToolProcess.Run([verb]).ExitCode.Should().Be(2);
    }

    [Fact]
    public void Recover_MissingDirectory_FailsWithExitCode1()
    {
        var result = ToolProcess.Run(["recover", Path.Join(_dir.Path, "nope")]);

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Contain("nope");
    }

    [Fact]
    public void Help_ListsTheNewVerbsButNotTheHiddenModes()
    {
        var help = ToolProcess.Run(["--help"]).StandardOutput;

        help.Should().Contain("recover DIR").And.Contain("clean DIR").And.Contain("torture [");
        help.Should().NotContain("torture-writer").And.NotContain("increment");
    }
}
