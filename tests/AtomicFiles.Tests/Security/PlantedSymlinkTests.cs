using AtomicFiles.Locking;
using AtomicFiles.Tests.Support;
using AtomicFiles.Transactions;

namespace AtomicFiles.Tests.Security;

/// <summary>
/// Another local user plants a symbolic link in a sticky world-writable directory (like /tmp) where the victim is
/// about to write. The kernel's protected_symlinks rule — a link there is followed only if the follower or the
/// directory's owner owns it — must hold even though the library resolves links itself and the sysctl may be off
/// (it is 0 on the machine these tests were written on). Each refusal has a control: a link the rule allows, in the
/// same directory, is followed.
/// </summary>
public sealed class PlantedSymlinkTests : HostileUsersTest
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void WriteAllText_AsRootThroughAnotherUsersLinkInStickyDirectory_IsRefusedAndTheLinkedFileUnchanged()
    {
        var mallory = Users.CreateUser("mal");
        var secret = RootPrivateFile("private.txt", "private");
        var link = Path.Join(Scratch.Sticky, "settings.json");
        mallory.Run("ln", "-s", secret, link);

        FluentActions.Invoking(() => AtomicFile.WriteAllText(link, "root's settings"))
            .Should().Throw<Exception>().Where(e => e is IOException || e is UnauthorizedAccessException, "a refusal is an I/O or access error")
            .Which.Message.Should().Contain(link);

        File.ReadAllText(secret).Should().Be("private");
        new FileInfo(link).LinkTarget.Should().Be(secret, "the attacker's link is neither followed nor replaced");
        TempFiles.In(Scratch.Sticky).Should().BeEmpty();
        TempFiles.In(Path.GetDirectoryName(secret)!).Should().BeEmpty();
    }

    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void WriteAllText_AsRootThroughItsOwnLinkInStickyDirectory_FollowsIt()
    {
        var secret = RootPrivateFile("private.txt", "private");
        var link = Path.Join(Scratch.Sticky, "settings.json");
        File.CreateSymbolicLink(link, secret);

        AtomicFile.WriteAllText(link, "root's settings");

        File.ReadAllText(secret).Should().Be("root's settings", "the follower owns the link, so the rule allows it");
        new FileInfo(link).LinkTarget.Should().Be(secret);
    }

    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void WriteCommand_AsUserThroughAnotherUsersLinkInStickyDirectory_IsRefusedAndTheLinkedFileUnchanged()
    {
        var mallory = Users.CreateUser("mal");
        var victim = Users.CreateUser("vic");
        var secret = UserPrivateFile(victim, "private.txt", "private");
        var link = Path.Join(Scratch.Sticky, "settings.json");
        mallory.Run("ln", "-s", secret, link);

        var result = victim.Tool(Scratch.Tool, "victim's settings", "write", link);

        File.ReadAllText(secret).Should().Be("private", "the tool's output was: {0}{1}", result.StandardOutput, result.StandardError);
        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Contain(link);
        new FileInfo(link).LinkTarget.Should().Be(secret);
    }

    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void WriteCommand_AsUserThroughOwnLinkOrTheDirectoryOwnersLinkInStickyDirectory_FollowsBoth()
    {
        var victim = Users.CreateUser("vic");
        var own = UserPrivateFile(victim, "own.txt", "old");
        var ownLink = Path.Join(Scratch.Sticky, "own.json");
        victim.Run("ln", "-s", own, ownLink);
        var byDirectoryOwner = UserPrivateFile(victim, "by-root.txt", "old");
        var rootLink = Path.Join(Scratch.Sticky, "by-root.json");
        File.CreateSymbolicLink(rootLink, byDirectoryOwner); // root owns the sticky directory: the rule allows its links

        var first = victim.Tool(Scratch.Tool, "new", "write", ownLink);
        var second = victim.Tool(Scratch.Tool, "new", "write", rootLink);

        first.ExitCode.Should().Be(0, first.StandardError);
        second.ExitCode.Should().Be(0, second.StandardError);
        File.ReadAllText(own).Should().Be("new");
        File.ReadAllText(byDirectoryOwner).Should().Be("new");
        new FileInfo(ownLink).LinkTarget.Should().Be(own);
        new FileInfo(rootLink).LinkTarget.Should().Be(byDirectoryOwner);
    }

    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void UpdateText_AsRootWithAnotherUsersLinkAtTheLockFile_NeitherCreatesNorOpensTheLinkedFile()
    {
        var mallory = Users.CreateUser("mal");
        var counter = SharedScratch.MakeFile(Path.Join(Scratch.Sticky, "counter.txt"), "0", 0, 0, (UnixFileMode)0x1A4);
        var home = Scratch.MakeDirectory("roothome", 0, 0, OwnerOnly);
        var created = Path.Join(home, "created-by-root");
        var existing = RootPrivateFile("existing.txt", "private");
        mallory.Run("ln", "-s", created, Path.Join(Scratch.Sticky, LockFileName.For("counter.txt")));
        var other = SharedScratch.MakeFile(Path.Join(Scratch.Sticky, "other.txt"), "0", 0, 0, (UnixFileMode)0x1A4);
        mallory.Run("ln", "-s", existing, Path.Join(Scratch.Sticky, LockFileName.For("other.txt")));

        Attempt(() => AtomicFile.UpdateText(counter, text => text + "1"));
        Attempt(() => AtomicFile.UpdateText(other, text => text + "1"));

        File.Exists(created).Should().BeFalse("root must not create a file where another user's link points");
        File.ReadAllText(existing).Should().Be("private");
        File.GetUnixFileMode(existing).Should().Be(OwnerReadWrite);
    }

    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void BeginTransaction_AsRootWithAnotherUsersLinkAtTheRootsLockFile_DoesNotCreateTheLinkedFile()
    {
        var mallory = Users.CreateUser("mal");
        var home = Scratch.MakeDirectory("roothome", 0, 0, OwnerOnly);
        var created = Path.Join(home, "created-by-root");
        mallory.Run("ln", "-s", created, Path.Join(Scratch.Sticky, TransactionRoot.LockFileName));

        Attempt(() =>
        {
            using var tx = AtomicFile.BeginTransaction(Scratch.Sticky);
            tx.WriteAllText("a.txt", "a");
            tx.Commit();
        });

        File.Exists(created).Should().BeFalse("root must not create a file where another user's link points");
    }

    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void WriteAllText_AsRootOverAnotherUsersFifoInStickyDirectory_ThrowsWithoutHanging()
    {
        var mallory = Users.CreateUser("mal");
        var fifo = Path.Join(Scratch.Sticky, "settings.json");
        mallory.Run("mkfifo", "-m", "666", fifo);

        var write = Task.Factory.StartNew(() => AtomicFile.WriteAllText(fifo, "root's settings"), TaskCreationOptions.LongRunning);
        var finished = Fifo.WaitOrUnblock(write, fifo);

        finished.Should().BeTrue("writing over a FIFO must not block on it (the watchdog had to open it for reading)");
        write.Exception!.InnerException.Should().BeOfType<IOException>().Which.Message.Should().Contain(fifo);
        TempFiles.In(Scratch.Sticky).Should().BeEmpty();
    }

    private string RootPrivateFile(string name, string content)
    {
        var home = Scratch.MakeDirectory("roothome", 0, 0, OwnerOnly);
        return SharedScratch.MakeFile(Path.Join(home, name), content, 0, 0, OwnerReadWrite);
    }

    private string UserPrivateFile(LocalUser user, string name, string content)
    {
        var home = Scratch.MakeDirectory(user.Name, user, OwnerOnly);
        return SharedScratch.MakeFile(Path.Join(home, name), content, user.Uid, user.PrimaryGroup.Gid, OwnerReadWrite);
    }

    /// <summary>Runs an operation that may be refused; what it did to the disk is what the test checks.</summary>
    private static void Attempt(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
