using AtomicFiles.Platform;

namespace AtomicFiles.Tests;

/// <summary>RecoverAsync, and what a <see cref="RecoveryReport"/> says when printed.</summary>
public sealed class RecoveryReportTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task RecoverAsync_Orphan_RemovesItAndToStringSaysSo()
    {
        var orphan = _dir.File(TempFileName.For("a.txt"));
        File.WriteAllText(orphan, "x");

        var report = await AtomicFile.RecoverAsync(_dir.Path);

        File.Exists(orphan).Should().BeFalse();
        report.ToString().Should().Be($"{report.Directory}:{Environment.NewLine}  removed orphaned temp: {orphan}");
    }

    [Fact]
    public void ToString_NothingToDo_SaysSo()
    {
        AtomicFile.Recover(_dir.Path).ToString().Should().Be($"{_dir.Path}: nothing to recover.");
    }

    [Fact]
    public async Task RecoverAsync_Cancelled_Throws()
    {
        await FluentActions.Awaiting(() => AtomicFile.RecoverAsync(_dir.Path, cancellationToken: new CancellationToken(canceled: true)))
            .Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public void BufferSize_BelowOne_NamesTheProperty()
    {
        FluentActions.Invoking(() => new AtomicFileOptions { BufferSize = 0 }).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("BufferSize");
    }
}
