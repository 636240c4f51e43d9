namespace AtomicFiles.Tests.Tool;

public sealed class TortureCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Torture_ShortRun_PrintsAPassingSummaryAndExits0()
    {
        var result = ToolProcess.Run(["torture", "--dir", _dir.Path, "--seconds", "3", "--writers", "2", "--size", "4096"], timeout: TimeSpan.FromMinutes(2));

        result.ExitCode.Should().Be(0, result.StandardOutput + result.StandardError);
        result.StandardOutput.Should().Contain("| Violations").And.Contain("| Transaction set checks").And.Contain("PASS");
    }

    [Theory]
    [InlineData("--seconds", "0")]
    [InlineData("--writers", "many")]
    [InlineData("--transaction-writers", "-1")]
    [InlineData("--frobnicate", "1")]
    public void Torture_BadOption_IsAUsageError(string option, string value)
    {
        ToolProcess.Run(["torture", option, value]).ExitCode.Should().Be(2);
    }
}
