using AtomicFiles.Tests.Support;

namespace AtomicFiles.Tests.Commit;

/// <summary>
/// A large replace keeps the replaced file open until the directory is flushed, so freeing its blocks stays out of
/// that flush's journal commit (docs/performance.md); small replaces skip the extra open and close.
/// </summary>
public sealed class LargeReplaceTests : IDisposable
{
    private const int LargeLength = 5 * 1024 * 1024;

    private readonly TempDirectory _dir = new();
    private readonly TempDirectory _inputDir = new();

    public void Dispose()
    {
        _dir.Dispose();
        _inputDir.Dispose();
    }

    [RequiresFact(Requirement.Linux | Requirement.Strace)]
    public void Commit_LargeReplace_HoldsReplacedFileOpenUntilDirectoryIsFlushed()
    {
        var path = _dir.File("big.bin");
        File.WriteAllBytes(path, new byte[LargeLength]);
        var content = new byte[LargeLength];
        Random.Shared.NextBytes(content);
        var input = _inputDir.File("input.bin");
        File.WriteAllBytes(input, content);

        var log = StraceLog.Run(["write", path], shellStdin: input);

        log.Result.ExitCode.Should().Be(0, log.Result.StandardError);
        log.StepsFor(path).Should().Equal(
            "create-temp", "lock-temp", "share-lock", "write", "fsync-temp", "hold-replaced", "rename", "close-temp", "fsync-dir", "close-replaced");
        File.ReadAllBytes(path).AsSpan().SequenceEqual(content).Should().BeTrue("the new content must be published whole");
        _dir.Entries().Should().Equal("big.bin");
    }

    [RequiresFact(Requirement.Linux | Requirement.Strace)]
    public void Commit_LargeNewFile_HoldsNothing()
    {
        var path = _dir.File("big.bin");
        var input = _inputDir.File("input.bin");
        File.WriteAllBytes(input, new byte[LargeLength]);

        var log = StraceLog.Run(["write", path], shellStdin: input);

        log.Result.ExitCode.Should().Be(0, log.Result.StandardError);
        log.StepsFor(path).Should().Equal("create-temp", "lock-temp", "share-lock", "write", "fsync-temp", "rename", "close-temp", "fsync-dir");
    }

    [RequiresFact(Requirement.Linux | Requirement.Strace)]
    public void Commit_SmallReplace_HoldsNothing()
    {
        var path = _dir.File("small.bin");
        File.WriteAllBytes(path, new byte[LargeLength]);

        var log = StraceLog.Run(["write", path], stdin: "small");

        log.Result.ExitCode.Should().Be(0, log.Result.StandardError);
        log.StepsFor(path).Should().Equal("create-temp", "lock-temp", "share-lock", "write", "fsync-temp", "rename", "close-temp", "fsync-dir");
        File.ReadAllText(path).Should().Be("small");
    }
}
