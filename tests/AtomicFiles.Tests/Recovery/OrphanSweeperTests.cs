using AtomicFiles.Platform;
using AtomicFiles.Recovery;

namespace AtomicFiles.Tests.Recovery;

public sealed class OrphanSweeperTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Sweep_DryRun_ReportsOrphanedAndInUseTempsAndRemovesNothing()
    {
        var orphan = _dir.File(TempFileName.For("a.txt"));
        File.WriteAllText(orphan, "left by a dead writer");
        using var live = AtomicFile.Create(_dir.File("b.txt"));
        var before = _dir.Entries();

        var result = OrphanSweeper.Sweep(_dir.Path, remove: false, AtomicFileOptions.Default);

        result.Orphaned.Should().Equal(orphan);
        result.InUse.Should().ContainSingle().Which.Should().Contain(".b.txt.");
        _dir.Entries().Should().BeEquivalentTo(before);
    }

    [Fact]
    public void Sweep_Remove_RemovesOnlyTheOrphan()
    {
        var orphan = _dir.File(TempFileName.For("a.txt"));
        File.WriteAllText(orphan, "left by a dead writer");
        using var live = AtomicFile.Create(_dir.File("b.txt"));

        var result = OrphanSweeper.Sweep(_dir.Path, remove: true, AtomicFileOptions.Default);

        result.Orphaned.Should().Equal(orphan);
        File.Exists(orphan).Should().BeFalse();
        result.InUse.Should().ContainSingle().Which.Should().Match(p => File.Exists(p));
    }
}
