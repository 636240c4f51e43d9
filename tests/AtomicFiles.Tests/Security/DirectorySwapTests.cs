using AtomicFiles.Tests.Support;

namespace AtomicFiles.Tests.Security;

/// <summary>
/// Root works in a shared root where another user owns a subdirectory. Between naming a file there and committing,
/// that user renames the subdirectory away and puts a symbolic link to root's private directory in its place. What
/// the library checked when the file was named must be what it acts on at commit: it may act on the moved directory
/// or refuse, but never reach through the new link into a directory the caller did not name.
/// </summary>
public sealed class DirectorySwapTests : HostileUsersTest
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Mode0755 = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    // Run as the attacker: $1 the shared root, $2 where the link should lead.
    private const string SwapScript = "mv \"$1/d\" \"$1/d-moved\" && ln -s \"$2\" \"$1/d\"";

    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void TransactionDelete_AttackerSwapsTheDirectoryForALinkBeforeCommit_DeletesNothingThroughTheLink()
    {
        var (mallory, privateDirectory) = AttackerDirectoryAndRootsPrivateOne();
        SharedScratch.MakeFile(Path.Join(Scratch.Sticky, "d", "x"), "mallory's x", mallory.Uid, mallory.PrimaryGroup.Gid, OwnerReadWrite);
        var rootsX = SharedScratch.MakeFile(Path.Join(privateDirectory, "x"), "root's x", 0, 0, OwnerReadWrite);

        using var tx = AtomicFile.BeginTransaction(Scratch.Sticky);
        tx.Delete(Path.Join("d", "x"));
        mallory.Shell(SwapScript, Scratch.Sticky, privateDirectory);
        File.ReadAllText(Path.Join(Scratch.Sticky, "d", "x")).Should().Be("root's x", "the kernel now reaches root's file by the named path");
        Attempt(tx.Commit);

        File.ReadAllText(rootsX).Should().Be("root's x", "the caller named mallory's d/x, not the file the new link leads to");
    }

    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void TransactionWrite_AttackerSwapsTheDirectoryForALinkBeforeCommit_ReplacesNothingThroughTheLink()
    {
        var (mallory, privateDirectory) = AttackerDirectoryAndRootsPrivateOne();
        var rootsY = SharedScratch.MakeFile(Path.Join(privateDirectory, "y"), "root's y", 0, 0, OwnerReadWrite);

        using var tx = AtomicFile.BeginTransaction(Scratch.Sticky);
        tx.WriteAllText(Path.Join("d", "y"), "written for d/y");
        mallory.Shell(SwapScript, Scratch.Sticky, privateDirectory);
        Attempt(tx.Commit);

        File.ReadAllText(rootsY).Should().Be("root's y");
        Directory.GetFileSystemEntries(privateDirectory).Should().Equal(rootsY);
    }

    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void Commit_AttackerSwapsTheDirectoryForALinkWhileRootWrites_ReplacesNothingThroughTheLink()
    {
        var (mallory, privateDirectory) = AttackerDirectoryAndRootsPrivateOne();
        var rootsZ = SharedScratch.MakeFile(Path.Join(privateDirectory, "z"), "root's z", 0, 0, OwnerReadWrite);

        using (var writer = AtomicFile.Create(Path.Join(Scratch.Sticky, "d", "z")))
        {
            writer.Write("written for d/z"u8);
            mallory.Shell(SwapScript, Scratch.Sticky, privateDirectory);
            Attempt(writer.Commit);
        }

        File.ReadAllText(rootsZ).Should().Be("root's z");
        Directory.GetFileSystemEntries(privateDirectory).Should().Equal(rootsZ);
    }

    private (LocalUser Mallory, string PrivateDirectory) AttackerDirectoryAndRootsPrivateOne()
    {
        var mallory = Users.CreateUser("mal");
        Scratch.MakeDirectory(Path.Join("sticky", "d"), mallory, Mode0755);
        return (mallory, Scratch.MakeDirectory("roothome", 0, 0, OwnerOnly));
    }

    private static void Attempt(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
        }
    }
}
