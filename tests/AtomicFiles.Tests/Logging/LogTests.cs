using AtomicFiles.Tests.Support;
using Microsoft.Extensions.Logging;

namespace AtomicFiles.Tests.Logging;

public sealed class LogTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly CapturingLogger _logger = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Commit_WithLogger_LogsPathBytesAndTimingsAtDebug()
    {
        var path = _dir.File("a.txt");

        AtomicFile.WriteAllText(path, "12345", new AtomicFileOptions { Logger = _logger });

        var entry = _logger.Entries.Should().ContainSingle().Subject;
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

        var entry = _logger.Entries.Should().ContainSingle().Subject;
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

        _logger.Entries.Select(e => e.EventId.Id).Should().BeEquivalentTo([2, 7]);
        _logger.Entries.Single(e => e.EventId.Id == 7).Level.Should().Be(LogLevel.Warning);
    }
}
