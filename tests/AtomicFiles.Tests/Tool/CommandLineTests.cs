using System.Globalization;

namespace AtomicFiles.Tests.Tool;

/// <summary>
/// The shipped tool's command line as a whole: help and version for every verb, no test verbs or hooks, and every
/// command fed a corpus of bad arguments answering with exit 1 or 2 and one line — never a stack trace.
/// </summary>
public sealed class CommandLineTests : IDisposable
{
    private static readonly string s_huge = new('x', 100_000);
    private static readonly string s_hugeNumber = new('9', 400);

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// Each case: the arguments, with {dir} for a scratch directory, {file} for a regular file in it and {missing} for a
    /// path under a missing directory.
    /// </summary>
    public static TheoryData<string[]> BadArguments()
    {
        var data = new TheoryData<string[]>();
        string[][] shared = [[""], [s_huge], ["--bogus"], ["-x"], ["--bogus", "{dir}/f"]];
        foreach (var verb in new[] { "write", "recover", "torture" })
        {
            foreach (var args in shared)
            {
                data.Add([verb, .. args]);
            }
        }

        // The root: unknown, empty and test-only verbs.
        foreach (var args in new string[][] { [""], ["frobnicate"], ["--bogus"], ["-"], ["increment", "{dir}/f", "1"], ["transaction", "{dir}", "--write", "a", "b"],
            ["create-new", "{dir}/f"], ["clean", "{dir}"], ["torture-writer"], ["torture-writer", "--dir", "{dir}", "--slot", s_hugeNumber, "--size", "1"] })
        {
            data.Add(args);
        }

        // write: missing values, bad durability, paths that cannot be written, test hooks.
        foreach (var args in new string[][] { ["write"], ["write", "--durability"], ["write", "--durability", ""], ["write", "--durability", "NaN", "{dir}/f"], ["write", "{dir}/a", "{dir}/b"],
            ["write", "{missing}"], ["write", "{file}/below-a-file"], ["write", "{dir}"], ["write", "{dir}/" + s_huge], ["write", "--create-new", "{dir}/f"], ["write", "--no-follow=maybe", "{dir}/f"] })
        {
            data.Add(args);
        }

        // recover: missing, not a directory, extra arguments.
        foreach (var args in new string[][] { ["recover"], ["recover", "--dry-run"], ["recover", "{missing}"], ["recover", "{file}"], ["recover", "--dry-run", "{missing}"], ["recover", "{dir}", "{dir}"],
            ["recover", "{dir}/" + s_huge] })
        {
            data.Add(args);
        }

        // torture: every numeric option with every kind of bad number, and bad directories.
        foreach (var option in new[] { "--seconds", "--writers", "--transaction-writers", "--size", "--kills" })
        {
            data.Add(["torture", option]);
            foreach (var value in new[] { "", "-1", "NaN", "Infinity", "-Infinity", "1e300", s_hugeNumber, "many", "0x10" })
            {
                data.Add(["torture", option, value]);
            }
        }

        foreach (var args in new string[][] { ["torture", "--seconds", "0"], ["torture", "--writers", "0"], ["torture", "--size", "1"], ["torture", "--writers", "100000"], ["torture", "--dir"],
            ["torture", "--dir", ""], ["torture", "--dir", "{missing}/run"], ["torture", "--dir", "{file}/run", "--seconds", "1"], ["torture", "--kill-after-step", "1"], ["torture", "extra"] })
        {
            data.Add(args);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BadArguments))]
    public void Tool_BadArguments_ExitsOneOrTwoWithOneLineAndNoStackTrace(string[] args)
    {
        File.WriteAllText(_dir.File("file"), "content");
        var expanded = args.Select(a => a.Replace("{dir}", _dir.Path, StringComparison.Ordinal)
            .Replace("{file}", _dir.File("file"), StringComparison.Ordinal)
            .Replace("{missing}", _dir.File("missing/x"), StringComparison.Ordinal)).ToArray();

        var result = ToolProcess.Run(expanded, "", toolDll: ToolProcess.ShippedToolDll);

        result.ExitCode.Should().BeOneOf([1, 2], result.StandardError);
        result.StandardError.Should().StartWith("atomicfile").And.NotContain("   at ").And.NotContain("Exception");
        result.StandardError.TrimEnd('\n').Should().NotContain("\n", "an error is one line");
        result.StandardError.Should().NotContain("(Parameter '", "a user never sees .NET parameter names");
        _dir.Entries().Should().BeEquivalentTo(["file"], "bad arguments write nothing");
        File.ReadAllText(_dir.File("file")).Should().Be("content");
    }

    [Theory]
    [InlineData]
    [InlineData("write")]
    [InlineData("recover")]
    [InlineData("torture")]
    public void Tool_Help_PrintsUsageAndExitsZero(params string[] verb)
    {
        foreach (var help in new[] { "-h", "--help" })
        {
            var result = ToolProcess.Run([.. verb, help], toolDll: ToolProcess.ShippedToolDll);

            result.ExitCode.Should().Be(0, result.StandardError);
            result.StandardOutput.Should().Contain("Usage:").And.Contain(string.Join(' ', ["atomicfile", .. verb]));
        }
    }

    [Fact]
    public void Tool_Alone_PrintsTheVerbsButNoTestVerbsAndExitsZero()
    {
        var result = ToolProcess.Run([], toolDll: ToolProcess.ShippedToolDll);

        result.ExitCode.Should().Be(0);
        result.StandardOutput.Should().Contain("write").And.Contain("recover").And.Contain("torture");
        result.StandardOutput.Should().NotContainAny("torture-writer", "increment", "  transaction ", "create-new", "clean");
    }

    [Fact]
    public void Tool_Version_PrintsTheAssemblyVersion()
    {
        var result = ToolProcess.Run(["--version"], toolDll: ToolProcess.ShippedToolDll);

        result.ExitCode.Should().Be(0);
        result.StandardOutput.Should().StartWith(typeof(AtomicFile).Assembly.GetName().Version!.ToString(3));
    }

    [Theory]
    [InlineData("write", "--trace-steps")]
    [InlineData("write", "--kill-after-step")]
    [InlineData("write", "--mutation")]
    [InlineData("write", "--create-new")]
    [InlineData("torture", "--mutation")]
    [InlineData("write", "--defect")]
    [InlineData("torture", "--defect")]
    public void Tool_TestHooks_AreNotInTheShippedTool(string verb, string hook)
    {
        var result = ToolProcess.Run([verb, "--help"], toolDll: ToolProcess.ShippedToolDll);

        result.StandardOutput.Should().NotContain(hook);
        ToolProcess.Run([verb, hook, "1", _dir.File("f")], "", toolDll: ToolProcess.ShippedToolDll).ExitCode.Should().Be(2);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("1.5")]
    [InlineData("-1")]
    public void TestToolIncrement_CountNotAWholeNumber_IsAUsageError(string count)
    {
        ToolProcess.Run(["increment", _dir.File("f"), count]).ExitCode.Should().Be(2);
    }

    [Fact]
    public void TestToolIncrement_CounterAtMaximum_FailsInsteadOfWrapping()
    {
        var path = _dir.File("counter");
        File.WriteAllText(path, long.MaxValue.ToString(CultureInfo.InvariantCulture));

        var result = ToolProcess.Run(["increment", path, "1"]);

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().StartWith("atomicfile increment: ").And.NotContain("   at ");
        File.ReadAllText(path).Should().Be(long.MaxValue.ToString(CultureInfo.InvariantCulture));
    }
}
