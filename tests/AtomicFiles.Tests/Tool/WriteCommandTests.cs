namespace AtomicFiles.Tests.Tool;

/// <summary>`atomicfile write`, run as a real child process.</summary>
public sealed class WriteCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Write_StandardInput_ReplacesFile()
    {
        var path = _dir.File("config.json");
        File.WriteAllText(path, "{}");

        var result = ToolProcess.Run(["write", path], "{\"a\":1}\n");

        result.ExitCode.Should().Be(0, result.StandardError);
        File.ReadAllText(path).Should().Be("{\"a\":1}\n");
        _dir.Entries().Should().Equal("config.json");
    }

    [Fact]
    public void Write_EmptyInput_WritesEmptyFile()
    {
        var path = _dir.File("empty");

        ToolProcess.Run(["write", path], "").ExitCode.Should().Be(0);

        File.ReadAllBytes(path).Should().BeEmpty();
    }

    [Fact]
    public void Write_MissingDirectory_ExitsOneWithOneLineError()
    {
        var result = ToolProcess.Run(["write", _dir.File("nope/a.txt")], "x");

        result.ExitCode.Should().Be(1);
        result.StandardError.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().StartWith("atomicfile write: ");
    }

    [Theory]
    [InlineData(new[] { "write" }, "PATH is missing")]
    [InlineData(new[] { "write", "--bogus", "x" }, "unknown option")]
    [InlineData(new[] { "write", "--durability", "sometimes", "x" }, "unknown durability")]
    [InlineData(new[] { "write", "a", "b" }, "only one PATH")]
    [InlineData(new[] { "frobnicate" }, "unknown command")]
    public void Run_BadArguments_ExitsTwoAndSaysWhy(string[] args, string message)
    {
        var result = ToolProcess.Run(args, "");

        result.ExitCode.Should().Be(2);
        result.StandardError.Should().Contain(message);
        _dir.Entries().Should().BeEmpty();
    }

    [Fact]
    public void Help_ListsTheWriteCommand()
    {
        var result = ToolProcess.Run(["--help"]);

        result.ExitCode.Should().Be(0);
        result.StandardOutput.Should().Contain("write");
    }
}
