using System.Text;
using AtomicFiles.FaultInjection;
using AtomicFiles.Tests.Support;

namespace AtomicFiles.Tests;

public sealed class AtomicFileTransactionTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public AtomicFileTransactionTests()
    {
        TransactionFileSet.CreateOld(_dir.Path);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Commit_ReplaceCreateAndDeleteInNestedDirectories_AppliesAllAndLeavesNoTempOrJournal()
    {
        TransactionFileSet.Commit(_dir.Path);

        TransactionFileSet.Classify(_dir.Path).Should().Be("new");
        TransactionFileSet.Leftovers(_dir.Path).Should().BeEmpty();
    }

    [Fact]
    public async Task CommitAsync_StreamsAndAsyncWrites_AppliesAll()
    {
        var tx = AtomicFile.BeginTransaction(_dir.Path);
        await using (tx)
        {
            var a = tx.Create(_dir.File("a.txt"));
            await using (a)
            {
                await a.WriteAsync("new a"u8.ToArray());
            }

            var b = tx.Create(Path.Join("sub", "b.txt"));
            await using (b)
            {
                await b.WriteAsync(Encoding.UTF8.GetBytes("new b"));
            }

            tx.WriteAllText(Path.Join(_dir.Path, "sub", "deep", "c.txt"), "new c");
            tx.Delete("gone.txt");
            await tx.CommitAsync();
            tx.IsCommitted.Should().BeTrue();
        }

        TransactionFileSet.Classify(_dir.Path).Should().Be("new");
        TransactionFileSet.Leftovers(_dir.Path).Should().BeEmpty();
    }

    [Fact]
    public void Create_BeforeCommit_NothingIsVisible()
    {
        using var tx = AtomicFile.BeginTransaction(_dir.Path);
        tx.WriteAllText("a.txt", "new a");
        tx.Delete("gone.txt");

        File.ReadAllText(_dir.File("a.txt")).Should().Be("old a");
        File.Exists(_dir.File("gone.txt")).Should().BeTrue();
    }

    [Fact]
    public void Commit_StreamLeftOpen_FlushesItsBufferedBytes()
    {
        using (var tx = AtomicFile.BeginTransaction(_dir.Path))
        {
            var stream = tx.Create("a.txt");
            stream.Write("written but never disposed"u8);
            tx.Commit();
        }

        File.ReadAllText(_dir.File("a.txt")).Should().Be("written but never disposed");
    }

    [Fact]
    public void WriteAllText_WithEncoding_WritesItsPreamble()
    {
        using (var tx = AtomicFile.BeginTransaction(_dir.Path))
        {
            tx.WriteAllText("a.txt", "é", Encoding.UTF8);
            tx.Commit();
        }

        File.ReadAllBytes(_dir.File("a.txt")).Should().Equal([0xEF, 0xBB, 0xBF, 0xC3, 0xA9]);
    }

    [Fact]
    public void Dispose_WithoutCommit_RollsBackEverything()
    {
        using (var tx = AtomicFile.BeginTransaction(_dir.Path))
        {
            foreach (var (path, content) in TransactionFileSet.Writes)
            {
                tx.WriteAllText(path, content);
            }

            tx.Delete("gone.txt");
        }

        TransactionFileSet.Classify(_dir.Path).Should().Be("old");
        TransactionFileSet.Leftovers(_dir.Path).Should().BeEmpty();
    }

    [Fact]
    public void Dispose_AfterAnExceptionInTheUsingBlock_RollsBack()
    {
        var act = () =>
        {
            using var tx = AtomicFile.BeginTransaction(_dir.Path);
            tx.WriteAllText("a.txt", "new a");
            using (var stream = tx.Create("sub/b.txt"))
            {
                stream.Write("half"u8);
                throw new InvalidDataException("serializer failed");
            }
        };

        act.Should().Throw<InvalidDataException>();
        TransactionFileSet.Classify(_dir.Path).Should().Be("old");
        TransactionFileSet.Leftovers(_dir.Path).Should().BeEmpty();
    }

    [Fact]
    public async Task CommitAsync_Cancelled_RollsBackAndChangesNothing()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var tx = AtomicFile.BeginTransaction(_dir.Path);
        await using (tx)
        {
            tx.WriteAllText("a.txt", "new a");
            tx.Delete("gone.txt");

            var commit = () => tx.CommitAsync(cancelled.Token);

            await commit.Should().ThrowAsync<OperationCanceledException>();
            tx.IsCommitted.Should().BeFalse();
            tx.Invoking(t => t.WriteAllText("sub/b.txt", "x")).Should().Throw<InvalidOperationException>().WithMessage("*rolled back*");
        }

        TransactionFileSet.Classify(_dir.Path).Should().Be("old");
        TransactionFileSet.Leftovers(_dir.Path).Should().BeEmpty();
    }

    [Fact]
    public void Commit_CalledTwice_Throws()
    {
        using var tx = AtomicFile.BeginTransaction(_dir.Path);
        tx.WriteAllText("a.txt", "new a");
        tx.Commit();

        tx.Invoking(t => t.Commit()).Should().Throw<InvalidOperationException>().WithMessage("*already committed*");
    }

    [Fact]
    public void Commit_NothingStaged_ChangesNothing()
    {
        using (var tx = AtomicFile.BeginTransaction(_dir.Path))
        {
            tx.Commit();
            tx.IsCommitted.Should().BeTrue();
        }

        TransactionFileSet.Classify(_dir.Path).Should().Be("old");
        TransactionFileSet.Leftovers(_dir.Path).Should().BeEmpty();
    }

    [Fact]
    public void Delete_FileThatDoesNotExist_IsNotAnError()
    {
        using (var tx = AtomicFile.BeginTransaction(_dir.Path))
        {
            tx.Delete("never-existed.txt");
            tx.WriteAllText("a.txt", "new a");
            tx.Commit();
        }

        File.ReadAllText(_dir.File("a.txt")).Should().Be("new a");
    }

    [RequiresFact(Requirement.Linux)]
    public void Commit_ReplacedFile_KeepsItsMode()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // skipped by the attribute; this tells the platform analyzer
        }

        File.SetUnixFileMode(_dir.File("a.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using (var tx = AtomicFile.BeginTransaction(_dir.Path))
        {
            tx.WriteAllText("a.txt", "new a");
            tx.Commit();
        }

        File.GetUnixFileMode(_dir.File("a.txt")).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public async Task BeginTransaction_WhileAnotherIsOpenOnTheSameRoot_WaitsForIt()
    {
        var clock = new SleepSignallingClock();
        var first = AtomicFile.BeginTransaction(_dir.Path);
        first.WriteAllText("a.txt", "first");
        var second = Task.Run(() =>
        {
            using var tx = AtomicFile.BeginTransaction(_dir.Path, new AtomicFileOptions { TimeProvider = clock });
            var seen = File.ReadAllText(_dir.File("a.txt"));
            tx.WriteAllText("a.txt", "second");
            tx.Commit();
            return seen;
        });

        (await clock.SleepsBeforeFinishing(second)).Should().BeTrue("the second transaction waits for the root's lock");
        first.Commit();
        first.Dispose();
        clock.Advance(TimeSpan.FromSeconds(1));

        (await second).Should().Be("first", "the second transaction started only after the first committed");
        File.ReadAllText(_dir.File("a.txt")).Should().Be("second");
    }

    /// <summary>
    /// Control: with a lock that fails open the same check sees the second transaction begin without waiting. (Linux
    /// only: on Windows the holder's share mode refuses even the mutant's unlocked open.)
    /// </summary>
    [RequiresFact(Requirement.Linux)]
    public async Task BeginTransaction_WhileAnotherIsOpenAndTheLockFailsOpen_DoesNotWait()
    {
        var clock = new SleepSignallingClock();
        using var first = AtomicFile.BeginTransaction(_dir.Path);

        var second = Task.Run(() => AtomicFile.BeginTransaction(_dir.Path, new AtomicFileOptions { TimeProvider = clock, Faults = new() { Defects = InjectedDefect.LockFailsOpen } }).Dispose());

        (await clock.SleepsBeforeFinishing(second)).Should().BeFalse("a lock that fails open lets the second transaction in at once");
        await second;
        clock.Sleeps.Should().Be(0);
    }
}
