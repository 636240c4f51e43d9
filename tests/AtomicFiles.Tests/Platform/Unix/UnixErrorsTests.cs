using AtomicFiles.Platform.Unix;
using static AtomicFiles.Platform.Interop.Unix.Interop;

namespace AtomicFiles.Tests.Platform.Unix;

/// <summary>The one check-and-throw helper: a failed call becomes the exception a .NET user expects, with the errno as HResult.</summary>
public sealed class UnixErrorsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [RequiresTheory(Requirement.Linux)]
    [InlineData("missing", typeof(FileNotFoundException), Errno.ENOENT)]
    [InlineData("under a file", typeof(DirectoryNotFoundException), Errno.ENOTDIR)]
    [InlineData("a directory", typeof(IOException), Errno.EISDIR)]
    public void CheckIo_AnInvalidHandle_ThrowsWhatItsErrnoMeansAndReleasesIt(string what, Type expected, int errno)
    {
        var file = _dir.File("file");
        File.WriteAllText(file, "x");
        var path = what switch
        {
            "missing" => _dir.File("missing"),
            "under a file" => Path.Join(file, "child"),
            _ => _dir.Path,
        };
        var handle = Sys.Open(path, OpenFlags.O_WRONLY | OpenFlags.O_CLOEXEC, 0);

        var check = () => UnixErrors.CheckIo(handle, "Opening", path);

        var thrown = check.Should().Throw<Exception>().Which;
        thrown.Should().BeOfType(expected);
        thrown.HResult.Should().Be(errno);
        thrown.Message.Should().Contain("Opening").And.Contain(path);
        handle.IsClosed.Should().BeTrue();
    }

    [RequiresFact(Requirement.Linux)]
    public void CheckIo_AValidHandle_ReturnsItOpen()
    {
        var path = _dir.File("file");
        File.WriteAllText(path, "x");

        using var handle = UnixErrors.CheckIo(Sys.Open(path, OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC, 0), "Opening", path);

        handle.IsInvalid.Should().BeFalse();
        handle.IsClosed.Should().BeFalse();
    }

    [RequiresFact(Requirement.Linux)]
    public void CheckIo_AFailedCall_ThrowsForItsErrno_ASucceededOneReturnsItsResult()
    {
        var path = _dir.File("file");
        File.WriteAllText(path, "x");
        using var handle = File.OpenHandle(path);

        UnixErrors.CheckIo(Sys.Flock(handle, Sys.LOCK_SH | Sys.LOCK_NB), "Locking", path).Should().Be(0);
        var invalidOperation = () => UnixErrors.CheckIo(Sys.Flock(handle, 0), "Locking", path);

        invalidOperation.Should().Throw<IOException>().Which.HResult.Should().Be(Errno.EINVAL);
    }
}
