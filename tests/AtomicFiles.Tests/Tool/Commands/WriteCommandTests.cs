namespace AtomicFiles.Tests.Tool.Commands;

/// <summary>`atomicfile write`, run as the shipped tool in a child process.</summary>
public sealed class WriteCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Write_StandardInput_ReplacesFile()
    {
        var path = _dir.File("config.json");
        File.WriteAllText(path, "{}");

        var result = ToolProcess.Run(["write", path], "{\"a\":1}\n", toolDll: ToolProcess.ShippedToolDll);

        result.ExitCode.Should().Be(0, result.StandardError);
        File.ReadAllText(path).Should().Be("{\"a\":1}\n");
        _dir.Entries().Should().Equal("config.json");
    }

    [Fact]
    public void Write_EmptyInput_WritesEmptyFile()
    {
        var path = _dir.File("empty");

        ToolProcess.Run(["write", path], "", toolDll: ToolProcess.ShippedToolDll).ExitCode.Should().Be(0);

        File.ReadAllBytes(path).Should().BeEmpty();
    }

    [Fact]
    public void Write_MissingDirectory_ExitsOneWithOneLineError()
    {
        var result = ToolProcess.Run(["write", _dir.File("nope/a.txt")], "x", toolDll: ToolProcess.ShippedToolDll);

        result.ExitCode.Should().Be(1);
        result.StandardError.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().StartWith("atomicfile write: ");
    }

    [Theory]
    [InlineData(new[] { "write" }, "atomicfile write: Required argument 'PATH' missing")]
    [InlineData(new[] { "write", "--bogus", "x" }, "atomicfile write: unknown option '--bogus'")]
    [InlineData(new[] { "write", "-x" }, "atomicfile write: unknown option '-x'")]
    [InlineData(new[] { "write", "--durability", "sometimes", "x" }, "atomicfile write: unknown durability 'sometimes'")]
    [InlineData(new[] { "write", "a", "b" }, "atomicfile write: Unrecognized command or argument 'b'")]
    [InlineData(new[] { "write", "" }, "atomicfile write: PATH must not be empty")]
    [InlineData(new[] { "frobnicate" }, "atomicfile: Unrecognized command or argument 'frobnicate'")]
    public void Run_BadArguments_ExitsTwoAndSaysWhy(string[] args, string message)
    {
        var result = ToolProcess.Run(args, "", toolDll: ToolProcess.ShippedToolDll);

        result.ExitCode.Should().Be(2);
        result.StandardError.Should().Contain(message);
        _dir.Entries().Should().BeEmpty();
    }

    [Fact]
    public void Write_DashNameAfterDoubleDash_WritesThatFile()
    {
        var result = ToolProcess.Run(["write", "--", "-dash.txt"], "dashed", toolDll: ToolProcess.ShippedToolDll, workingDirectory: _dir.Path);

        result.ExitCode.Should().Be(0, result.StandardError);
        File.ReadAllText(_dir.File("-dash.txt")).Should().Be("dashed");
    }

    [Theory]
    [InlineData("same content", "same content", true)]
    [InlineData("same content", "other content", false)]
    [InlineData("same content", "same content and more", false)]
    [InlineData("same content", "same", false)]
    [InlineData("", "", true)]
    public void Write_IfChanged_TouchesTheFileOnlyIfTheContentDiffers(string old, string input, bool untouched)
    {
        var path = _dir.File("config.json");
        File.WriteAllText(path, old);
        var stamp = new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, stamp);

        var result = ToolProcess.Run(["write", "--if-changed", path], input, toolDll: ToolProcess.ShippedToolDll);

        result.ExitCode.Should().Be(0, result.StandardError);
        File.ReadAllText(path).Should().Be(input);
        (File.GetLastWriteTimeUtc(path) == stamp).Should().Be(untouched);
        _dir.Entries().Should().Equal("config.json");
    }

    /// <summary>The control: without --if-changed the same content is written anew, which the check above would see.</summary>
    [Fact]
    public void Write_SameContentWithoutIfChanged_ReplacesTheFile()
    {
        var path = _dir.File("config.json");
        File.WriteAllText(path, "same content");
        var stamp = new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, stamp);

        ToolProcess.Run(["write", path], "same content", toolDll: ToolProcess.ShippedToolDll).ExitCode.Should().Be(0);

        File.GetLastWriteTimeUtc(path).Should().NotBe(stamp);
    }
}
