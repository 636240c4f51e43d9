namespace AtomicFiles.Tests.Tool;

/// <summary>`atomicfile transaction`, run as a real child process.</summary>
public sealed class TransactionCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Transaction_WritesAndDeletes_AppliesAllTogether()
    {
        TransactionFileSet.CreateOld(_dir.Path);

        var result = ToolProcess.Run(["transaction", _dir.Path,
            .. TransactionFileSet.Writes.SelectMany(w => new[] { "--write", w.Path, w.Content }),
            .. TransactionFileSet.Deletes.SelectMany(d => new[] { "--delete", d })]);

        result.ExitCode.Should().Be(0, result.StandardError);
        TransactionFileSet.Classify(_dir.Path).Should().Be("new");
    }

    [Fact]
    public void Transaction_PathOutsideRoot_ExitsOneAndWritesNothing()
    {
        TransactionFileSet.CreateOld(_dir.Path);

        var result = ToolProcess.Run(["transaction", _dir.Path, "--write", "a.txt", "new a", "--write", "../escape.txt", "x"]);

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().StartWith("atomicfile transaction: ").And.Contain("outside the transaction root");
        TransactionFileSet.Classify(_dir.Path).Should().Be("old");
        TransactionFileSet.Leftovers(_dir.Path).Should().BeEmpty();
    }

    [Fact]
    public void Transaction_NoOperations_IsAUsageError()
    {
        ToolProcess.Run(["transaction", _dir.Path]).ExitCode.Should().Be(2);
    }
}
