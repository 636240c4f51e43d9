using AtomicFiles.Platform;

namespace AtomicFiles.Tests.Tool.Commands;

/// <summary>`atomicfile recover`, run as the shipped tool in a child process.</summary>
public sealed class RecoverCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void RecoverDryRun_Orphan_IsListedAndKept()
    {
        var orphan = _dir.File(TempFileName.For("a.txt"));
        File.WriteAllText(orphan, "x");

        var result = ToolProcess.Run(["recover", "--dry-run", _dir.Path], toolDll: ToolProcess.ShippedToolDll);

        result.ExitCode.Should().Be(0, result.StandardError);
        result.StandardOutput.Should().Contain("(dry run, nothing changed)").And.Contain($"would remove orphaned temp: {orphan}");
        File.Exists(orphan).Should().BeTrue();
    }

    [Fact]
    public void Recover_Orphan_IsRemovedAndPrinted()
    {
        var orphan = _dir.File(TempFileName.For("a.txt"));
        File.WriteAllText(orphan, "x");

        var result = ToolProcess.Run(["recover", _dir.Path], toolDll: ToolProcess.ShippedToolDll);

        result.ExitCode.Should().Be(0, result.StandardError);
        result.StandardOutput.Should().Contain($"removed orphaned temp: {orphan}");
        File.Exists(orphan).Should().BeFalse();
    }

    [Fact]
    public void Recover_CleanDirectory_SaysSo()
    {
        var result = ToolProcess.Run(["recover", _dir.Path], toolDll: ToolProcess.ShippedToolDll);

        result.ExitCode.Should().Be(0, result.StandardError);
        result.StandardOutput.Should().Contain("nothing to recover");
    }

    [Theory]
    [InlineData("recover")]
    [InlineData("recover", "--dry-run")]
    public void Recover_WithoutDirectory_IsAUsageError(params string[] args)
    {
        ToolProcess.Run(args, toolDll: ToolProcess.ShippedToolDll).ExitCode.Should().Be(2);
    }

    [Fact]
    public void Recover_MissingDirectory_FailsWithExitCode1()
    {
        var result = ToolProcess.Run(["recover", Path.Join(_dir.Path, "nope")], toolDll: ToolProcess.ShippedToolDll);

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Contain("nope");
    }
}
