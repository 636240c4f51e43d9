using System.Diagnostics;
using AtomicFiles.Platform;
using AtomicFiles.Recovery;
using AtomicFiles.Tests.Support;

namespace AtomicFiles.Tests;

public sealed class AtomicFileRecoverTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Recover_EmptyDirectory_ReportsClean()
    {
        var report = AtomicFile.Recover(_dir.Path);

        report.IsClean.Should().BeTrue();
        report.Directory.Should().Be(_dir.Path);
    }

    [Fact]
    public void Recover_OrphanedTemp_IsRemovedAndReported()
    {
        var orphan = _dir.File(TempFileName.For("a.txt"));
        File.WriteAllText(orphan, "half");
        File.WriteAllText(_dir.File("a.txt"), "old");

        var report = AtomicFile.Recover(_dir.Path);

        report.RemovedTempFiles.Should().Equal(orphan);
        report.IsClean.Should().BeFalse();
        _dir.Entries().Should().Equal("a.txt");
        File.ReadAllText(_dir.File("a.txt")).Should().Be("old");
    }

    [Fact]
    public void Recover_FilesNotMatchingTheTempPattern_AreNeverTouched()
    {
        // Distinct even where names differing only in case are one file (Windows, macOS).
        string[] lookalikes =
        [
            "a.txt", ".a.txt.lock", ".a.txt.tmp", ".a.txt.abcdefghi.tmp", ".a.txt.ABCDEFGHIJ.tmp", "a.txt.abcdefghij.tmp",
            ".a.txt.abcdefghij.tmpx", ".a.txt.klmnopqrst.TMP", ".a.txt-abcdefghij.tmp",
        ];
        foreach (var name in lookalikes)
        {
            File.WriteAllText(_dir.File(name), name);
        }

        Directory.CreateDirectory(_dir.File(".d.abcdefghij.tmp"));
        var orphan = TempFileName.For("a.txt");
        File.WriteAllText(_dir.File(orphan), "orphan");

        var report = AtomicFile.Recover(_dir.Path);

        report.RemovedTempFiles.Should().Equal(_dir.File(orphan));
        _dir.Entries().Should().BeEquivalentTo([.. lookalikes, ".d.abcdefghij.tmp"]);
        lookalikes.Should().AllSatisfy(name => File.ReadAllText(_dir.File(name)).Should().Be(name));
    }

    [RequiresFact(Requirement.Linux)]
    public void Recover_SymbolicLinkNamedLikeATemp_IsNeitherFollowedNorRemoved()
    {
        var target = _dir.File("precious.txt");
        File.WriteAllText(target, "keep");
        var link = _dir.File(".a.txt.abcdefghij.tmp");
        File.CreateSymbolicLink(link, target);

        var report = AtomicFile.Recover(_dir.Path);

        report.IsClean.Should().BeTrue();
        File.ReadAllText(target).Should().Be("keep");
        new FileInfo(link).LinkTarget.Should().Be(target);
    }

    [Fact]
    public void Recover_WriterOpenInThisProcess_KeepsItsTempAndTheWriterStillCommits()
    {
        var path = _dir.File("a.txt");
        using var writer = AtomicFile.Create(path);
        writer.Write("new"u8);

        var report = AtomicFile.Recover(_dir.Path);

        report.IsClean.Should().BeTrue();
        writer.Commit();
        File.ReadAllText(path).Should().Be("new");
    }

    [Fact]
    public void Recover_LiveWriterInAnotherProcess_KeepsItsTemp()
    {
        using var writer = StartWriterInAnotherProcess(_dir.File("a.txt"), out var temp);
        try
        {
            var report = AtomicFile.Recover(_dir.Path);

            report.RemovedTempFiles.Should().BeEmpty();
            File.Exists(temp).Should().BeTrue();

            // The writer was not disturbed: it still commits.
            writer.StandardInput.Close();
            writer.WaitForExit(TimeSpan.FromMinutes(1)).Should().BeTrue();
            writer.ExitCode.Should().Be(0, writer.StandardError.ReadToEnd());
            File.ReadAllText(_dir.File("a.txt")).Should().Be("partial content");
        }
        finally
        {
            KillIfRunning(writer);
        }
    }

    [Fact]
    public void Recover_KilledWriterInAnotherProcess_RemovesItsTempAndKeepsTheTarget()
    {
        var path = _dir.File("a.txt");
        File.WriteAllText(path, "old");
        string temp;
        using (var writer = StartWriterInAnotherProcess(path, out temp))
        {
            writer.Kill();
            writer.WaitForExit();
        }

        var report = AtomicFile.Recover(_dir.Path);

        report.RemovedTempFiles.Should().Equal(temp);
        File.ReadAllText(path).Should().Be("old");
        _dir.Entries().Should().Equal("a.txt");
    }

    [Fact]
    public async Task Recover_RunningInALoopDuringCommits_NeverFailsACommit()
    {
        // Every commit races the sweeps: temps are created, locked, written, renamed while Recover opens and locks them;
        // and every read, Update's included, races a sweep's probe landing on the file just published.
        const int Versions = 600;
        var path = _dir.File("a.bin");
        // Where the volume refuses the POSIX-semantics rename (Wine), any open handle on the target blocks a replace and
        // the engine retries: the reader then lets go at the retry signal until that commit is through (as in
        // ConcurrentReaderTests), so what the test sees fail is the sweeps, never the reader it added.
        var replaces = new ReplaceSignals();
        var options = new AtomicFileOptions { Durability = Durability.None, Logger = replaces };
        using var stop = new CancellationTokenSource();
        var sweeps = 0;
        var sweeper = RaceLoop.Start(
            () =>
            {
                AtomicFile.Recover(_dir.Path);
                sweeps++;
            },
            stop.Token);
        var reads = 0;
        var reader = RaceLoop.Start(
            () =>
            {
                replaces.WaitUntilNoCommitRetries(stop.Token);
                if (File.Exists(path))
                {
                    VersionedContent.Check(ReadThroughSweeps(path));
                    reads++;
                }
            },
            stop.Token);

        try
        {
            for (var version = 1; version <= Versions; version++)
            {
                var content = VersionedContent.Create(version);
                switch (version % 3)
                {
                    case 0:
                        AtomicFile.WriteAllBytes(path, content, options);
                        break;
                    case 1:
                        using (var writer = AtomicFile.Create(path, options))
                        {
                            writer.Write(content, 0, content.Length / 2);
                            writer.Write(content, content.Length / 2, content.Length - (content.Length / 2));
                            writer.Commit();
                        }

                        break;
                    default:
                        // Update reads the current content through .NET, as File.ReadAllBytes does; not on macOS (below).
                        if (OperatingSystem.IsMacOS())
                        {
                            AtomicFile.WriteAllBytes(path, content, options);
                        }
                        else
                        {
                            var previous = VersionedContent.Create(version - 1);
                            AtomicFile.Update(
                                path,
                                current =>
                                {
                                    current.Should().Equal(previous, "Update {0} reads the commit before it", version);
                                    return content;
                                },
                                options);
                        }

                        break;
                }

                replaces.CommitDone();
                ReadThroughSweeps(path).Should().Equal(content, "commit {0} returned", version);
            }
        }
        finally
        {
            stop.Cancel();
            replaces.CommitDone();
        }

        // Rethrows what the loops threw: a failed Recover, or a reader that saw an incomplete file.
        await sweeper;
        await reader;
        sweeps.Should().BePositive();
        reads.Should().BePositive();
        if (replaces.FellBack == 0)
        {
            replaces.Retries.Should().Be(0, "neither sweeps nor a reader sharing delete hold up a POSIX-semantics replace");
        }

        TempFiles.In(_dir.Path).Should().BeEmpty();
    }

    [Fact]
    public async Task Recover_RunningInALoopDuringTransactionCommits_NeverFailsACommitNorTearsTheSet()
    {
        // Recover meets live journals here: it must wait for the root, never roll back a live transaction.
        const int Transactions = 150;
        Directory.CreateDirectory(_dir.File("sub"));
        string[] files = ["a.bin", Path.Join("sub", "b.bin")];
        var options = new AtomicFileOptions { Durability = Durability.None };
        using var stop = new CancellationTokenSource();
        var sweeper = RaceLoop.Start(() => AtomicFile.Recover(_dir.File("sub")), stop.Token);

        try
        {
            for (var version = 1; version <= Transactions; version++)
            {
                var content = VersionedContent.Create(version);
                using var tx = AtomicFile.BeginTransaction(_dir.Path, options);
                foreach (var file in files)
                {
                    tx.WriteAllBytes(file, content);
                }

                tx.Commit();
                files.Should().AllSatisfy(file => File.ReadAllBytes(_dir.File(file)).Should().Equal(content, "transaction {0} returned", version));
            }
        }
        finally
        {
            stop.Cancel();
        }

        await sweeper;
    }

    [Fact]
    public void Recover_MissingDirectory_ThrowsDirectoryNotFound()
    {
        var act = () => AtomicFile.Recover(Path.Join(_dir.Path, "nope"));

        act.Should().Throw<DirectoryNotFoundException>().WithMessage("*nope*");
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Recover_BlankDirectory_ThrowsArgumentException(string directory)
    {
        var act = () => AtomicFile.Recover(directory);

        act.Should().Throw<ArgumentException>();
    }

    /// <summary>
    /// File.ReadAllBytes; on macOS only, retried while the file is momentarily locked. There the liveness lock is a
    /// flock, so a sweep that opened a temp by name just before its writer renamed it holds an exclusive flock on the
    /// published file for the microseconds until it sees the name is gone, and a .NET reader (flock LOCK_SH|LOCK_NB)
    /// is refused (measured on Linux when it used flock too: 1 of 375,000 reads). A known limit there. Linux uses
    /// locks readers never meet: a refused read fails the test. On Windows the reader the library documents,
    /// AtomicFile.ReadAllBytes: the writer renames its temp through its own handle, which has write access, so until
    /// that handle closes a reader that does not share write (File.ReadAllBytes) is refused.
    /// </summary>
    private static byte[] ReadThroughSweeps(string path)
    {
        while (true)
        {
            try
            {
                return OperatingSystem.IsWindows() ? AtomicFile.ReadAllBytes(path) : File.ReadAllBytes(path);
            }
            catch (IOException e) when (OperatingSystem.IsMacOS() && e.HResult == AtomicFiles.Platform.Interop.Unix.Interop.Errno.EWOULDBLOCK)
            {
                Thread.Yield();
            }
        }
    }

    /// <summary>
    /// `atomicfile write PATH` holds its writer — and its temp — open until its standard input closes. Returns once the
    /// writer holds its temp's lock: a temp is created, then locked, and in between it is not yet the writer's (a sweep
    /// that takes it there makes the writer start over on another name), so "the temp exists" is not "the writer is ready".
    /// </summary>
    private Process StartWriterInAnotherProcess(string path, out string temp)
    {
        var writer = ToolProcess.Start(["write", path]);
        writer.StandardInput.Write("partial content");
        writer.StandardInput.Flush();
        IReadOnlyList<string> inUse = [];

        // A dry run changes nothing: it only asks each temp's lock whether a writer holds it.
        ChildProgress.WaitUntil(writer, () => (inUse = OrphanSweeper.Sweep(_dir.Path, remove: false, AtomicFileOptions.Default).InUse).Count > 0, "locked its temp file");
        temp = inUse.Single();
        return writer;
    }

    private static void KillIfRunning(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }
    }
}
