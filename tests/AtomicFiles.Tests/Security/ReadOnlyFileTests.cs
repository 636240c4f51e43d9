using AtomicFiles.Tests.Support;

namespace AtomicFiles.Tests.Security;

/// <summary>
/// README: a read-only file is refused with UnauthorizedAccessException. Root may write any file, so the kernel does
/// not refuse it; the promise must hold for root too. The control is the same write as an ordinary user, which the
/// kernel itself refuses.
/// </summary>
public sealed class ReadOnlyFileTests : IDisposable
{
    private const UnixFileMode ReadOnly = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void WriteAllText_AsRootOnA0444File_ThrowsUnauthorizedAccessAndKeepsTheFile()
    {
        var path = _dir.File("ro.txt");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, ReadOnly);

        FluentActions.Invoking(() => AtomicFile.WriteAllText(path, "new"))
            .Should().Throw<UnauthorizedAccessException>().WithMessage($"*{path}*");

        File.ReadAllText(path).Should().Be("old");
        File.GetUnixFileMode(path).Should().Be(ReadOnly);
        TempFiles.In(_dir.Path).Should().BeEmpty();
    }

    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void TransactionWrite_AsRootOnA0444File_IsRefusedAndKeepsTheFile()
    {
        var path = _dir.File("ro.txt");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, ReadOnly);

        FluentActions.Invoking(() =>
            {
                using var tx = AtomicFile.BeginTransaction(_dir.Path);
                tx.WriteAllText("ro.txt", "new");
                tx.Commit();
            })
            .Should().Throw<UnauthorizedAccessException>().WithMessage("*ro.txt*");

        File.ReadAllText(path).Should().Be("old");
        TempFiles.In(_dir.Path).Should().BeEmpty();
    }
}
