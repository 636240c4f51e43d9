using AtomicFiles.Tests.Support;
using Microsoft.Extensions.Logging;

namespace AtomicFiles.Tests.Logging;

public sealed class LogTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    /// <summary>The event id of Log.RenameFellBack in src/AtomicFiles/Logging/Log.cs.</summary>
    private const int RenameFellBackEventId = 40;

    private readonly CapturingLogger _logger = new();

    public void Dispose() => _dir.Dispose();

    // Where the volume refuses the POSIX-semantics rename (Wine, FAT, ReFS), a Windows replace also logs that it fell
    // back (WindowsRenameTests check that event); these tests check the commit's own.
    private IEnumerable<CapturingLogger.Entry> Entries => _logger.Entries.Where(e => e.EventId.Id != RenameFellBackEventId);

    [Fact]
    public void Commit_WithLogger_LogsPathBytesAndTimingsAtDebug()
    {
        var path = _dir.File("a.txt");

        AtomicFile.WriteAllText(path, "12345", new AtomicFileOptions { Logger = _logger });

        var entry = Entries.Should().ContainSingle().Subject;
        entry.Level.Should().Be(LogLevel.Debug);
        entry.EventId.Id.Should().Be(1);
        entry.Message.Should().Contain(path).And.Contain("5 bytes").And.Contain("file flush").And.Contain("directory flush");
    }

    [Fact]
    public void Rollback_WithLogger_LogsRolledBack()
    {
        var path = _dir.File("a.txt");
        using (var writer = AtomicFile.Create(path, new AtomicFileOptions { Logger = _logger }))
        {
            writer.Write("x"u8);
        }

        var entry = Entries.Should().ContainSingle().Subject;
        entry.EventId.Id.Should().Be(2);
        entry.Message.Should().Contain(path);
    }

    [Fact]
    public void CommitFailure_WithLogger_LogsFailureAndRollback()
    {
        var path = _dir.File("a.txt");
        using var writer = AtomicFile.CreateNew(path, new AtomicFileOptions { Logger = _logger });
        File.WriteAllText(path, "first");

        writer.Invoking(w => w.Commit()).Should().Throw<IOException>();

        Entries.Select(e => e.EventId.Id).Should().BeEquivalentTo([2, 7]);
        Entries.Single(e => e.EventId.Id == 7).Level.Should().Be(LogLevel.Warning);
    }
}
