using System.Diagnostics;
using AtomicFiles.Platform;
using AtomicFiles.Recovery;

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
        string[] lookalikes =
        [
            "a.txt", ".a.txt.lock", ".a.txt.tmp", ".a.txt.abcdefghi.tmp", ".a.txt.ABCDEFGHIJ.tmp", "a.txt.abcdefghij.tmp",
            ".a.txt.abcdefghij.tmpx", ".a.txt.abcdefghij.TMP", ".a.txt-abcdefghij.tmp",
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
    /// `atomicfile write PATH` holds its writer — and its temp — open until its standard input closes. Returns once the
    /// writer holds its temp's lock: a temp is created, then locked, and in between it is not yet the writer's (a sweep
    /// that takes it there makes the writer start over on another name), so "the temp exists" is not "the writer is ready".
    /// </summary>
    private Process StartWriterInAnotherProcess(string path, out string temp)
    {
        var writer = ToolProcess.Start(["write", path]);
        writer.StandardInput.Write("partial content");
        writer.StandardInput.Flush();
        var waited = Stopwatch.StartNew();
        IReadOnlyList<string> inUse;

        // A dry run changes nothing: it only asks each temp's lock whether a writer holds it.
        while ((inUse = OrphanSweeper.Sweep(_dir.Path, remove: false, AtomicFileOptions.Default).InUse).Count == 0)
        {
            if (writer.HasExited || waited.Elapsed > TimeSpan.FromMinutes(1))
            {
                KillIfRunning(writer);
                throw new InvalidOperationException("The writer process never locked its temp file: " + writer.StandardError.ReadToEnd());
            }

            Thread.Sleep(10);
        }

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
