using AtomicFiles.Tests.Support;

namespace AtomicFiles.Tests.Transactions;

/// <summary>fsync failing for real (strace injects EIO into the tool's calls): never taken for success.</summary>
public sealed class TransactionFsyncFailureTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public TransactionFsyncFailureTests()
    {
        Directory.CreateDirectory(_dir.File("sub"));
        File.WriteAllText(_dir.File("a"), "old");
        File.WriteAllText(_dir.File(Path.Join("sub", "b")), "old");
    }

    public void Dispose() => _dir.Dispose();

    [RequiresFact(Requirement.Linux | Requirement.Strace)]
    public void Transaction_StagedFileFsyncFails_RollsBackAndReportsIt()
    {
        // when=1: the first fsync of every thread, so whichever thread flushes a staged file fails.
        var log = StraceLog.Run(Arguments(), straceOptions: ["-e", "inject=fsync:error=EIO:when=1"]);

        log.Result.ExitCode.Should().Be(1);
        log.Result.StandardError.Should().Contain("Input/output error");
        AssertContent("old");
        TransactionFileSet.Leftovers(_dir.Path).Should().BeEmpty();
    }

    [RequiresFact(Requirement.Linux | Requirement.Strace)]
    public void Transaction_DirectoryFsyncFailsAfterTheRenames_ReportsDurabilityNotConfirmedAndRecoveryFinishes()
    {
        // The committing thread's 5th fsync: the journal of stage lines, its staged file, the sealed journal, the root
        // (commit point), then the first touched directory.
        var log = StraceLog.Run(Arguments(), straceOptions: ["-e", "inject=fsync:error=EIO:when=5"]);

        log.Result.ExitCode.Should().Be(1);
        log.Result.StandardError.Should().Contain("may not survive a power cut");
        AssertContent("new");
        File.Exists(_dir.File(".atomicfiles-transaction.journal")).Should().BeTrue("the journal is kept so recovery flushes again");

        using (AtomicFile.BeginTransaction(_dir.Path))
        {
            AssertContent("new");
        }

        TransactionFileSet.Leftovers(_dir.Path).Should().BeEmpty();
    }

    private string[] Arguments() => ["transaction", _dir.Path, "--write", "a", "new", "--write", "sub/b", "new"];

    private void AssertContent(string expected)
    {
        File.ReadAllText(_dir.File("a")).Should().Be(expected);
        File.ReadAllText(_dir.File(Path.Join("sub", "b"))).Should().Be(expected);
    }
}
