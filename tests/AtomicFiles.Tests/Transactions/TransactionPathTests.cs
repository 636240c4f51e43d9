namespace AtomicFiles.Tests.Transactions;

/// <summary>Every path a transaction must refuse, refused at the call that names it, with nothing written.</summary>
public sealed class TransactionPathTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _root;
    private readonly string _outside;

    public TransactionPathTests()
    {
        _root = _dir.File("root");
        _outside = _dir.File("outside");
        Directory.CreateDirectory(_root);
        Directory.CreateDirectory(Path.Join(_root, "sub"));
        Directory.CreateDirectory(_outside);
        File.WriteAllText(Path.Join(_root, "a.txt"), "old");
        File.WriteAllText(Path.Join(_outside, "victim.txt"), "untouched");
    }

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> EscapingPaths => new()
    {
        "../outside/victim.txt",
        "sub/../../outside/victim.txt",
        // Rooted on every platform (on Windows, at the current drive's root), in a directory that exists there.
        "/passwd-does-not-matter",
        ".",
        "..",
    };

    [Theory]
    [MemberData(nameof(EscapingPaths))]
    public void WriteAndDelete_PathOutsideTheRoot_AreRefusedWithNothingWritten(string path)
    {
        using var tx = AtomicFile.BeginTransaction(_root);

        // "." and ".." name the root and its parent: directories, not files under the root.
        var message = path is "." or ".." ? "*not a file under the transaction root*" : "*outside the transaction root*";
        tx.Invoking(t => t.WriteAllText(path, "x")).Should().Throw<ArgumentException>().WithMessage(message);
        tx.Invoking(t => t.Create(path)).Should().Throw<ArgumentException>().WithMessage(message);
        tx.Invoking(t => t.Delete(path)).Should().Throw<ArgumentException>().WithMessage(message);

        tx.Commit();
        AssertNothingWritten();
    }

    [Fact]
    public void Write_AbsolutePathElsewhere_IsRefused()
    {
        using var tx = AtomicFile.BeginTransaction(_root);

        tx.Invoking(t => t.WriteAllText(Path.Join(_outside, "victim.txt"), "x")).Should().Throw<ArgumentException>().WithMessage("*outside the transaction root*");

        AssertNothingWritten();
    }

    [RequiresFact(Requirement.Linux)]
    public void WriteAndDelete_ThroughASymlinkedDirectoryLeadingOutside_AreRefused()
    {
        Directory.CreateSymbolicLink(Path.Join(_root, "escape"), _outside);
        using var tx = AtomicFile.BeginTransaction(_root);

        tx.Invoking(t => t.WriteAllText("escape/victim.txt", "x")).Should().Throw<ArgumentException>().WithMessage("*outside the transaction root*");
        tx.Invoking(t => t.WriteAllText("escape/new.txt", "x")).Should().Throw<ArgumentException>().WithMessage("*outside the transaction root*");
        tx.Invoking(t => t.Delete("escape/victim.txt")).Should().Throw<ArgumentException>().WithMessage("*outside the transaction root*");

        tx.Commit();
        AssertNothingWritten();
        File.Exists(Path.Join(_outside, "new.txt")).Should().BeFalse();
    }

    [RequiresFact(Requirement.Linux)]
    public void Write_FileSymlinkToATargetOutside_IsRefused()
    {
        File.CreateSymbolicLink(Path.Join(_root, "link.txt"), Path.Join(_outside, "victim.txt"));
        using var tx = AtomicFile.BeginTransaction(_root);

        tx.Invoking(t => t.WriteAllText("link.txt", "x")).Should().Throw<ArgumentException>().WithMessage("*outside the transaction root*");

        AssertNothingWritten();
    }

    [RequiresFact(Requirement.Linux)]
    public void Write_ThroughASymlinkedDirectoryInsideTheRoot_IsAllowed()
    {
        Directory.CreateSymbolicLink(Path.Join(_root, "alias"), Path.Join(_root, "sub"));
        using (var tx = AtomicFile.BeginTransaction(_root))
        {
            tx.WriteAllText("alias/new.txt", "new");
            tx.Commit();
        }

        File.ReadAllText(Path.Join(_root, "sub", "new.txt")).Should().Be("new");
    }

    [RequiresFact(Requirement.Linux)]
    public void Write_SameFileSpelledDifferently_LastOperationWinsHoweverItIsSpelled()
    {
        Directory.CreateSymbolicLink(Path.Join(_root, "alias"), Path.Join(_root, "sub"));
        using var tx = AtomicFile.BeginTransaction(_root);
        tx.WriteAllText("sub/b.txt", "first");
        using (var stream = tx.Create(Path.Join(_root, "sub", "..", "sub", "b.txt")))
        {
            stream.Write("again"u8);
        }

        tx.Delete("alias/b.txt");
        tx.WriteAllText("alias/b.txt", "last");

        tx.Commit();
        File.ReadAllText(Path.Join(_root, "sub", "b.txt")).Should().Be("last");
        TransactionFileSet.Leftovers(_root).Should().BeEmpty();
    }

    [Fact]
    public void WriteAndDelete_ADirectory_AreRefused()
    {
        using var tx = AtomicFile.BeginTransaction(_root);

        tx.Invoking(t => t.WriteAllText("sub", "x")).Should().Throw<UnauthorizedAccessException>().WithMessage("*is a directory*");
        tx.Invoking(t => t.Delete("sub")).Should().Throw<UnauthorizedAccessException>().WithMessage("*is a directory*");
        tx.Invoking(t => t.WriteAllText("sub/", "x")).Should().Throw<ArgumentException>().WithMessage("*directory separator*");

        tx.Commit();
        Directory.Exists(Path.Join(_root, "sub")).Should().BeTrue();
        AssertNothingWritten();
    }

    [Theory]
    [InlineData(".atomicfiles-transaction.journal")]
    [InlineData(".atomicfiles-transaction.lock")]
    public void WriteAndDelete_TheTransactionsOwnFiles_AreRefused(string name)
    {
        using var tx = AtomicFile.BeginTransaction(_root);

        tx.Invoking(t => t.WriteAllText(name, "x")).Should().Throw<ArgumentException>().WithMessage("*transaction's own*");
        tx.Invoking(t => t.Delete(name)).Should().Throw<ArgumentException>().WithMessage("*transaction's own*");

        tx.Commit();
        AssertNothingWritten();
    }

    [Fact]
    public void Write_MissingDirectory_IsRefused()
    {
        using var tx = AtomicFile.BeginTransaction(_root);

        tx.Invoking(t => t.WriteAllText("missing/x.txt", "x")).Should().Throw<DirectoryNotFoundException>();
        tx.Invoking(t => t.Delete("missing/x.txt")).Should().Throw<DirectoryNotFoundException>();
    }

    [Fact]
    public void BeginTransaction_RootThatDoesNotExist_Throws()
    {
        var act = () => AtomicFile.BeginTransaction(_dir.File("nowhere"));

        act.Should().Throw<DirectoryNotFoundException>().WithMessage("*does not exist*");
        Directory.Exists(_dir.File("nowhere")).Should().BeFalse();
    }

    [Fact]
    public void RefusedPath_LeavesTheTransactionUsable()
    {
        using (var tx = AtomicFile.BeginTransaction(_root))
        {
            tx.Invoking(t => t.WriteAllText("../outside/victim.txt", "x")).Should().Throw<ArgumentException>();
            tx.WriteAllText("a.txt", "new");
            tx.Commit();
        }

        File.ReadAllText(Path.Join(_root, "a.txt")).Should().Be("new");
        AssertOutsideUntouched();
    }

    [RequiresFact(Requirement.Root)]
    public void Write_OnAnotherFilesystemMountedInsideTheRoot_IsRefused()
    {
        var mountPoint = Path.Join(_root, "mnt");
        Directory.CreateDirectory(mountPoint);
        Command.Run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mountPoint);
        try
        {
            File.WriteAllText(Path.Join(mountPoint, "m.txt"), "old");
            using var tx = AtomicFile.BeginTransaction(_root);

            tx.Invoking(t => t.WriteAllText("mnt/m.txt", "x")).Should().Throw<IOException>().WithMessage("*another filesystem*");
            tx.Invoking(t => t.Delete("mnt/m.txt")).Should().Throw<IOException>().WithMessage("*another filesystem*");

            tx.Commit();
            File.ReadAllText(Path.Join(mountPoint, "m.txt")).Should().Be("old");
            Directory.GetFiles(mountPoint).Should().HaveCount(1);
        }
        finally
        {
            Command.Run("umount", mountPoint);
        }
    }

    private void AssertNothingWritten()
    {
        File.ReadAllText(Path.Join(_root, "a.txt")).Should().Be("old");
        TransactionFileSet.Leftovers(_root).Should().BeEmpty();
        AssertOutsideUntouched();
    }

    private void AssertOutsideUntouched()
    {
        Directory.GetFileSystemEntries(_outside).Select(Path.GetFileName).Should().Equal("victim.txt");
        File.ReadAllText(Path.Join(_outside, "victim.txt")).Should().Be("untouched");
    }
}
