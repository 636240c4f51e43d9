using AtomicFiles.Tests.Support;

namespace AtomicFiles.Tests.Windows;

/// <summary>
/// A reader that opened the target without FileShare.Delete (File.ReadAllBytes, an antivirus scan, an indexer) makes
/// the replace fail with a sharing violation on Windows. A commit retries for <see cref="AtomicFileOptions.WindowsRetryTimeout"/>:
/// it succeeds when the reader lets go within it and fails cleanly, old content kept and no temp left, when it does not.
/// The control without retries shows the reader really blocks the replace.
/// </summary>
public sealed class SharingViolationRetryTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [RequiresFact(Requirement.Windows)]
    public void Commit_ReaderLetsGoWithinTheRetryTimeout_RetriesAndReplaces()
    {
        var path = OldFile();
        var reader = HoldForReading(path);
        var logger = new ActionOnRetryLogger(reader.Dispose);
        try
        {
            AtomicFile.WriteAllText(path, "new", new AtomicFileOptions { WindowsRetryTimeout = TimeSpan.FromMinutes(1), Logger = logger });
        }
        finally
        {
            reader.Dispose();
        }

        logger.Retries.Should().BePositive("the reader held the target when the commit first tried to replace it");
        File.ReadAllText(path).Should().Be("new");
        _dir.Entries().Should().Equal("a.txt");
    }

    [RequiresFact(Requirement.Windows)]
    public void Commit_ReaderHoldsLongerThanTheRetryTimeout_FailsKeepsTheOldContentAndNoTemp()
    {
        var path = OldFile();
        using var reader = HoldForReading(path);
        var logger = new ActionOnRetryLogger(() => { });

        var commit = () => AtomicFile.WriteAllText(path, "new", new AtomicFileOptions { WindowsRetryTimeout = TimeSpan.FromMilliseconds(300), Logger = logger });

        var failure = commit.Should().Throw<Exception>().Which;
        IsSharingFailure(failure).Should().BeTrue(failure.ToString());
        failure.Message.Should().Contain("a.txt");
        logger.Retries.Should().BePositive("it retried before giving up");
        reader.Dispose();
        File.ReadAllText(path).Should().Be("old");
        _dir.Entries().Should().Equal("a.txt");
    }

    [RequiresFact(Requirement.Windows)]
    public void Control_WithoutRetries_TheSameReaderMakesTheCommitFail()
    {
        var path = OldFile();
        using var reader = HoldForReading(path);
        var logger = new ActionOnRetryLogger(() => { });

        var commit = () => AtomicFile.WriteAllText(path, "new", new AtomicFileOptions { WindowsRetryTimeout = TimeSpan.Zero, Logger = logger });

        var failure = commit.Should().Throw<Exception>().Which;
        IsSharingFailure(failure).Should().BeTrue(failure.ToString());
        logger.Retries.Should().Be(0);
        reader.Dispose();
        File.ReadAllText(path).Should().Be("old");
    }

    /// <summary>
    /// UnauthorizedAccessException (error 5, what Windows reports for a rename onto a file open without share-delete) or
    /// IOException (32, 33): the errors WindowsRetryTimeout retries.
    /// </summary>
    private static bool IsSharingFailure(Exception e) => e is IOException or UnauthorizedAccessException;

    private string OldFile()
    {
        var path = _dir.File("a.txt");
        File.WriteAllText(path, "old");
        return path;
    }

    /// <summary>The target opened as File.ReadAllBytes opens it: sharing reads only, so neither writes nor a rename over it.</summary>
    private static FileStream HoldForReading(string path) => new(path, FileMode.Open, FileAccess.Read, FileShare.Read);
}
