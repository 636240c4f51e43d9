using AtomicFiles.Platform;
using AtomicFiles.Tests.Support;

namespace AtomicFiles.Tests.Commit;

/// <summary>The protocol as the kernel sees it, from a real strace of the tool in a child process.</summary>
public sealed class CommitProtocolTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [RequiresFact(Requirement.Linux | Requirement.Strace)]
    public void Commit_Full_WritesThenFsyncsTempThenRenamesThenFsyncsDirectory()
    {
        var path = _dir.File("a.txt");
        File.WriteAllText(path, "old");

        var log = StraceLog.Run(["write", path], stdin: "new content");

        log.Result.ExitCode.Should().Be(0, log.Result.StandardError);
        log.StepsFor(path).Should().Equal("create-temp", "lock-temp", "share-lock", "write", "fsync-temp", "rename", "close-temp", "fsync-dir");
        File.ReadAllText(path).Should().Be("new content");
    }

    [RequiresFact(Requirement.Linux | Requirement.Strace)]
    public void Recover_ProbesATempWithOpenFileDescriptionLocks_NeverWithAFlockReadersMeet()
    {
        // The probe is shared (the temp is readable), then asks whether anyone else holds a lock: no one does.
        var temp = _dir.File(TempFileName.For("a.txt"));
        File.WriteAllText(temp, "left by a dead writer");

        var log = StraceLog.Run(["recover", _dir.Path]);

        log.Result.ExitCode.Should().Be(0, log.Result.StandardError);
        log.LockCallsOn(temp).Should().Equal("fcntl F_OFD_SETLK F_RDLCK", "fcntl F_OFD_GETLK F_UNLCK", "unlink");
        _dir.Entries().Should().BeEmpty();
    }

    [RequiresFact(Requirement.Linux | Requirement.Strace)]
    public void Commit_DurabilityNone_NeverFsyncs()
    {
        var path = _dir.File("a.txt");

        var log = StraceLog.Run(["write", "--durability", "none", path], stdin: "x");

        log.Result.ExitCode.Should().Be(0, log.Result.StandardError);
        log.StepsFor(path).Should().Equal("create-temp", "lock-temp", "share-lock", "write", "rename", "close-temp");
    }

    [RequiresFact(Requirement.Linux | Requirement.Strace)]
    public void Commit_FileOnly_FsyncsTempButNotDirectory()
    {
        var path = _dir.File("a.txt");

        var log = StraceLog.Run(["write", "--durability", "fileonly", path], stdin: "x");

        log.StepsFor(path).Should().Equal("create-temp", "lock-temp", "share-lock", "write", "fsync-temp", "rename", "close-temp");
    }

    [RequiresFact(Requirement.Linux | Requirement.Strace)]
    public void Rollback_InputFails_NoFsyncNoRenameAndTempRemoved()
    {
        var path = _dir.File("a.txt");
        File.WriteAllText(path, "old");

        // Standard input is a directory: the first read fails with EISDIR, mid-write.
        var log = StraceLog.Run(["write", path], shellStdin: _dir.Path);

        log.Result.ExitCode.Should().Be(1);
        log.Result.StandardError.Should().Contain("Is a directory");
        log.StepsFor(path).Should().Equal("create-temp", "lock-temp", "share-lock", "close-temp", "unlink-temp");
        File.ReadAllText(path).Should().Be("old");
        _dir.Entries().Should().Equal("a.txt");
    }

    [RequiresFact(Requirement.Linux | Requirement.Strace)]
    public void Commit_TempFsyncFailsWithEio_ReportsItKeepsOldFileAndRemovesTemp()
    {
        var path = _dir.File("a.txt");
        File.WriteAllText(path, "old");

        var log = StraceLog.Run(["write", path], stdin: "new", straceOptions: ["-e", "inject=fsync:error=EIO:when=1"]);

        log.Result.ExitCode.Should().Be(1);
        log.Result.StandardError.Should().Contain("Input/output error").And.Contain(".tmp");
        log.StepsFor(path).Should().Equal("create-temp", "lock-temp", "share-lock", "write", "fsync-temp", "close-temp", "unlink-temp");
        File.ReadAllText(path).Should().Be("old");
        _dir.Entries().Should().Equal("a.txt");
    }

    [RequiresTheory(Requirement.Linux | Requirement.Strace)]
    [InlineData(1, new[] { "create-temp", "lock-temp", "share-lock", "write", "fsync-temp", "fsync-temp", "rename", "close-temp", "fsync-dir" })]
    [InlineData(2, new[] { "create-temp", "lock-temp", "share-lock", "write", "fsync-temp", "rename", "close-temp", "fsync-dir", "fsync-dir" })]
    public void Commit_FsyncInterruptedBySignal_IsRepeatedAndCommits(int interruptedFsync, string[] steps)
    {
        // EINTR is no failure: a signal arrived before the call did its work, so the call is simply made again.
        var path = _dir.File("a.txt");
        File.WriteAllText(path, "old");

        var log = StraceLog.Run(["write", path], stdin: "new", straceOptions: ["-e", $"inject=fsync:error=EINTR:when={interruptedFsync}"]);

        log.Result.ExitCode.Should().Be(0, log.Result.StandardError);
        log.InjectedCalls.Should().ContainSingle().Which.Should().StartWith("fsync(");
        log.StepsFor(path).Should().Equal(steps);
        File.ReadAllText(path).Should().Be("new");
        _dir.Entries().Should().Equal("a.txt");
    }

    [RequiresFact(Requirement.Linux | Requirement.Strace)]
    public void Commit_DirectoryFsyncFailsWithEio_ReportsNewContentInPlaceButNotDurable()
    {
        var path = _dir.File("a.txt");
        File.WriteAllText(path, "old");

        var log = StraceLog.Run(["write", path], stdin: "new", straceOptions: ["-e", "inject=fsync:error=EIO:when=2"]);

        log.Result.ExitCode.Should().Be(1);
        log.Result.StandardError.Should().Contain("is in place").And.Contain("power cut").And.Contain("Input/output error");
        log.StepsFor(path).Should().Equal("create-temp", "lock-temp", "share-lock", "write", "fsync-temp", "rename", "close-temp", "fsync-dir");
        File.ReadAllText(path).Should().Be("new");
        _dir.Entries().Should().Equal("a.txt");
    }
}
