using AtomicFiles.Tests.Support;

namespace AtomicFiles.Tests.Commit;

/// <summary>Every refused input gets its specific exception, the old file stays intact and no temp is left.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Create_NullPath_ThrowsArgumentNull()
    {
        FluentActions.Invoking(() => AtomicFile.Create(null!)).Should().Throw<ArgumentNullException>();
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Create_EmptyOrWhiteSpacePath_ThrowsArgument(string path)
    {
        FluentActions.Invoking(() => AtomicFile.Create(path)).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Create_PathEndingWithSeparator_ThrowsArgument()
    {
        FluentActions.Invoking(() => AtomicFile.Create(_dir.Path + Path.DirectorySeparatorChar))
            .Should().Throw<ArgumentException>().WithMessage("*must name a file*");
    }

    [Fact]
    public void Create_PathIsDirectory_ThrowsUnauthorizedAccessAndLeavesNoTemp()
    {
        var sub = Directory.CreateDirectory(_dir.File("sub")).FullName;

        FluentActions.Invoking(() => AtomicFile.Create(sub)).Should().Throw<UnauthorizedAccessException>().WithMessage("*is a directory*");
        _dir.Entries().Should().Equal("sub");
    }

    [Fact]
    public void Create_MissingDirectory_ThrowsDirectoryNotFound()
    {
        FluentActions.Invoking(() => AtomicFile.Create(_dir.File("missing/a.txt")))
            .Should().Throw<DirectoryNotFoundException>().WithMessage("*missing*");
        _dir.Entries().Should().BeEmpty();
    }

    [Fact]
    public void Create_ParentIsAFile_ThrowsDirectoryNotFound()
    {
        File.WriteAllText(_dir.File("file"), "x");

        FluentActions.Invoking(() => AtomicFile.Create(_dir.File("file/a.txt"))).Should().Throw<DirectoryNotFoundException>();
        _dir.Entries().Should().Equal("file");
    }

    [Fact]
    public void Create_NameLongerThanTheFilesystemAllows_ThrowsPathTooLong()
    {
        FluentActions.Invoking(() => AtomicFile.Create(_dir.File(new string('n', 256))))
            .Should().Throw<PathTooLongException>();
        _dir.Entries().Should().BeEmpty();
    }

    [Fact]
    public void WriteAllText_NameOf255Bytes_WorksBecauseTheTempNameIsShortened()
    {
        // 85 three-byte characters: 255 bytes, the most a name can hold; the temp name must still fit.
        var name = new string('€', 85);

        AtomicFile.WriteAllText(_dir.File(name), "fits");

        File.ReadAllText(_dir.File(name)).Should().Be("fits");
        _dir.Entries().Should().Equal(name);
    }

    [RequiresFact(Requirement.Linux)]
    public void Create_SymlinkLoop_ThrowsIOException()
    {
        File.CreateSymbolicLink(_dir.File("a"), "b");
        File.CreateSymbolicLink(_dir.File("b"), "a");

        FluentActions.Invoking(() => AtomicFile.Create(_dir.File("a"))).Should().Throw<IOException>().WithMessage("*symbolic links*");
        _dir.Entries().Should().BeEquivalentTo("a", "b");
    }

    [RequiresFact(Requirement.Linux)]
    public void Create_NotARegularFile_ThrowsIOException()
    {
        FluentActions.Invoking(() => AtomicFile.Create("/dev/null")).Should().Throw<IOException>().WithMessage("*not a regular file*");
    }

    [Fact]
    public void Options_InvalidValues_ThrowArgumentOutOfRange()
    {
        FluentActions.Invoking(() => new AtomicFileOptions { BufferSize = 0 }).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new AtomicFileOptions { UnixCreateMode = (UnixFileMode)0x8000 }).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new AtomicFileOptions { WindowsRetryTimeout = TimeSpan.FromSeconds(-1) }).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Write_NullCallback_ThrowsArgumentNullAndCreatesNothing()
    {
        FluentActions.Invoking(() => AtomicFile.Write(_dir.File("a"), null!)).Should().Throw<ArgumentNullException>();
        _dir.Entries().Should().BeEmpty();
    }

    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void WriteAllText_ReadOnlyFileAsOtherUser_ThrowsAndKeepsFile()
    {
        var path = _dir.File("ro.txt");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        OpenToEveryone(_dir.Path);
        var tool = ToolProcess.CopyForAnotherUser(_dir.File("tool"));

        var result = ToolProcess.Run(["write", path], "new", wrapper: AsNobody(), toolDll: tool);

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Contain("read-only").And.Contain(path);
        File.ReadAllText(path).Should().Be("old");
        TempFiles.In(_dir.Path).Should().BeEmpty();
    }

    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void WriteAllText_ReadOnlyDirectoryAsOtherUser_ThrowsUnauthorizedAndKeepsFile()
    {
        var path = _dir.File("a.txt");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, (UnixFileMode)0x1B6);
        var tool = ToolProcess.CopyForAnotherUser(_dir.File("tool"));
        File.SetUnixFileMode(_dir.Path, (UnixFileMode)0x16D); // 0555: nobody may create the temp here

        var result = ToolProcess.Run(["write", path], "new", wrapper: AsNobody(), toolDll: tool);

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Contain("Permission denied");
        File.ReadAllText(path).Should().Be("old");
        TempFiles.In(_dir.Path).Should().BeEmpty();
    }

    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void WriteAllBytes_DiskFull_ThrowsIOExceptionKeepsOldFileAndLeavesNoTemp()
    {
        var mountPoint = Directory.CreateDirectory(_dir.File("tiny")).FullName;
        Command.Run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mountPoint);
        try
        {
            var path = Path.Join(mountPoint, "a.bin");
            File.WriteAllText(path, "old");

            FluentActions.Invoking(() => AtomicFile.WriteAllBytes(path, new byte[1024 * 1024]))
                .Should().Throw<IOException>().Which.Message.Should().Contain("space");

            File.ReadAllText(path).Should().Be("old");
            Directory.GetFiles(mountPoint).Should().Equal(path);
        }
        finally
        {
            Command.Run("umount", mountPoint);
        }
    }

    private static string[] AsNobody() => ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"];

    private static void OpenToEveryone(string directory) => File.SetUnixFileMode(directory, (UnixFileMode)0x1FF);
}
