using AtomicFiles.Tests.Support;

namespace AtomicFiles.Tests.Commit;

/// <summary>Permissions, owner and symbolic links survive a replace, and the temp never widens who can read the data.</summary>
public sealed class MetadataTests : IDisposable
{
    private const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Mode0640 = Mode0600 | UnixFileMode.GroupRead;
    private const UnixFileMode Mode0755 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
    private const UnixFileMode Mode0666 = Mode0600 | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [RequiresTheory(Requirement.Linux)]
    [InlineData(Mode0600)]
    [InlineData(Mode0640)]
    [InlineData(Mode0755)]
    [InlineData(Mode0666)]
    public void WriteAllText_ExistingFile_KeepsItsMode(UnixFileMode mode)
    {
        var path = _dir.File("a.txt");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, mode);

        AtomicFile.WriteAllText(path, "new");

        File.GetUnixFileMode(path).Should().Be(mode);
    }

    [RequiresFact(Requirement.Linux)]
    public void Create_PrivateTarget_TempIsNeverMoreReadableThanTarget()
    {
        var path = _dir.File("secret.txt");
        File.WriteAllText(path, "old secret");
        File.SetUnixFileMode(path, Mode0600);

        using var writer = AtomicFile.Create(path);
        writer.Write("new secret"u8);
        writer.Flush();

        var temp = TempFiles.In(_dir.Path).Should().ContainSingle().Subject;
        File.GetUnixFileMode(temp).Should().Be(Mode0600);
        writer.Commit();
        File.GetUnixFileMode(path).Should().Be(Mode0600);
    }

    [RequiresFact(Requirement.Linux)]
    public void WriteAllText_NewFileWithCreateMode_UsesIt()
    {
        var path = _dir.File("new.txt");

        AtomicFile.WriteAllText(path, "x", new AtomicFileOptions { UnixCreateMode = Mode0600 });

        File.GetUnixFileMode(path).Should().Be(Mode0600);
    }

    [RequiresFact(Requirement.Linux)]
    public void WriteAllText_NewFileByDefault_GetsWhatFileCreateGives()
    {
        AtomicFile.WriteAllText(_dir.File("ours.txt"), "x");
        File.WriteAllText(_dir.File("bcl.txt"), "x");

        File.GetUnixFileMode(_dir.File("ours.txt")).Should().Be(File.GetUnixFileMode(_dir.File("bcl.txt")));
    }

    [RequiresFact(Requirement.Linux)]
    public void WriteAllText_PreserveMetadataOff_UsesCreateMode()
    {
        var path = _dir.File("a.txt");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, Mode0755);

        AtomicFile.WriteAllText(path, "new", new AtomicFileOptions { PreserveMetadata = false, UnixCreateMode = Mode0600 });

        File.GetUnixFileMode(path).Should().Be(Mode0600);
    }

    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void WriteAllText_FileOfAnotherOwner_KeepsOwnerAndGroup()
    {
        var path = _dir.File("theirs.txt");
        File.WriteAllText(path, "old");
        Command.Run("chown", "1234:5678", path);

        AtomicFile.WriteAllText(path, "new");

        UnixOwner.Of(path).Should().Be((1234u, 5678u));
        File.ReadAllText(path).Should().Be("new");
    }

    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void WriteAllText_SetGidFileOfAnotherOwner_KeepsModeAfterChown()
    {
        // chown clears set-id bits, so the mode must be restored after it.
        var path = _dir.File("setgid.bin");
        File.WriteAllText(path, "old");
        Command.Run("chown", "1234:5678", path);
        File.SetUnixFileMode(path, Mode0755 | UnixFileMode.SetGroup);

        AtomicFile.WriteAllText(path, "new");

        File.GetUnixFileMode(path).Should().Be(Mode0755 | UnixFileMode.SetGroup);
        UnixOwner.Of(path).Should().Be((1234u, 5678u));
    }

    [RequiresFact(Requirement.Linux)]
    public void WriteAllText_ThroughSymlink_KeepsLinkAndUpdatesTarget()
    {
        var target = _dir.File("real.txt");
        File.WriteAllText(target, "old");
        var link = _dir.File("link.txt");
        File.CreateSymbolicLink(link, "real.txt");

        AtomicFile.WriteAllText(link, "new");

        new FileInfo(link).LinkTarget.Should().Be("real.txt");
        File.ReadAllText(target).Should().Be("new");
        _dir.Entries().Should().BeEquivalentTo("real.txt", "link.txt");
    }

    [RequiresFact(Requirement.Linux)]
    public void WriteAllText_ThroughChainOfLinksIntoOtherDirectory_WritesFinalTarget()
    {
        var sub = Directory.CreateDirectory(_dir.File("sub")).FullName;
        var target = Path.Join(sub, "real.txt");
        File.WriteAllText(target, "old");
        File.CreateSymbolicLink(_dir.File("hop"), target);
        File.CreateSymbolicLink(_dir.File("link"), "hop");

        AtomicFile.WriteAllText(_dir.File("link"), "new");

        File.ReadAllText(target).Should().Be("new");
        new FileInfo(_dir.File("link")).LinkTarget.Should().Be("hop");
        Directory.GetFiles(sub).Should().Equal(target);
    }

    [RequiresFact(Requirement.Linux)]
    public void WriteAllText_DanglingSymlink_CreatesItsTarget()
    {
        File.CreateSymbolicLink(_dir.File("link"), "later.txt");

        AtomicFile.WriteAllText(_dir.File("link"), "created");

        File.ReadAllText(_dir.File("later.txt")).Should().Be("created");
        new FileInfo(_dir.File("link")).LinkTarget.Should().Be("later.txt");
    }

    [RequiresFact(Requirement.Linux)]
    public void WriteAllText_ReplaceLinkPolicy_ReplacesLinkAndLeavesTargetAlone()
    {
        var target = _dir.File("real.txt");
        File.WriteAllText(target, "old");
        var link = _dir.File("link.txt");
        File.CreateSymbolicLink(link, "real.txt");

        AtomicFile.WriteAllText(link, "new", new AtomicFileOptions { Symlinks = SymlinkHandling.ReplaceLink });

        new FileInfo(link).LinkTarget.Should().BeNull();
        File.ReadAllText(link).Should().Be("new");
        File.ReadAllText(target).Should().Be("old");
    }
}
