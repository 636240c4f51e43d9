using AtomicFiles.FaultInjection;
using AtomicFiles.Platform;
using AtomicFiles.Recovery;
using AtomicFiles.Tests.Recovery;

namespace AtomicFiles.Tests;

/// <summary>
/// <see cref="AtomicFile.RecoverDryRun"/> changes nothing and reports what <see cref="AtomicFile.Recover"/> then does;
/// <see cref="AtomicFile.IsTempFileName"/> recognises the temps a writer leaves. Each check has a control: a "dry run"
/// that recovers for real, and the former dry run of the tool, which only asked the orphan sweep.
/// </summary>
public sealed class AtomicFileRecoverDryRunTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <param name="committed">The crash came at the commit point (recovery completes it) or before (recovery rolls it back).</param>
    /// <param name="withLockFile">The root has a lock file, which the dry run waits for, or none, which it must not create.</param>
    [RequiresTheory(Requirement.Linux)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    public void RecoverDryRun_InterruptedTransaction_ChangesNothingAndReportsWhatRecoverDoes(bool committed, bool withLockFile)
    {
        var root = CrashedRoot(committed, withLockFile);
        var before = Snapshot(root);

        var dryRun = AtomicFile.RecoverDryRun(root);

        Changes(root, before).Should().BeEmpty();
        dryRun.IsDryRun.Should().BeTrue();
        (dryRun.CompletedTransactions.Count + dryRun.RolledBackTransactions.Count).Should().Be(1);
        dryRun.RemovedTempFiles.Should().Contain(Path.Join(root, "sub", Orphan));
        var recovered = AtomicFile.Recover(root);
        recovered.IsDryRun.Should().BeFalse();
        Differences(dryRun, recovered).Should().BeEmpty();
        TransactionFileSet.Leftovers(root).Should().BeEmpty("the real recovery did what the dry run listed");
    }

    [RequiresFact(Requirement.Linux)]
    public void Control_ARecoverPassedOffAsADryRun_IsCaughtChangingFiles()
    {
        var root = CrashedRoot(committed: true, withLockFile: false);
        var before = Snapshot(root);

        AtomicFile.Recover(root);

        Changes(root, before).Should().NotBeEmpty();
    }

    [RequiresTheory(Requirement.Linux)]
    [InlineData(true)]
    [InlineData(false)]
    public void Control_ADryRunOfTheOrphanSweepAlone_IsCaughtReportingLess(bool committed)
    {
        // What `atomicfile recover --dry-run` printed before: the orphans of the directory, no transaction.
        var root = CrashedRoot(committed, withLockFile: false);
        var sweep = OrphanSweeper.Sweep(root, remove: false, AtomicFileOptions.Default);
        var sweepOnly = new RecoveryReport(root, sweep.Orphaned, [], [], [], []) { IsDryRun = true };

        Differences(sweepOnly, AtomicFile.Recover(root)).Should().NotBeEmpty();
    }

    [Fact]
    public void RecoverDryRun_Orphan_IsListedKeptAndPrintedAsWhatWouldBeDone()
    {
        var orphan = _dir.File(TempFileName.For("a.txt"));
        File.WriteAllText(orphan, "x");

        var report = AtomicFile.RecoverDryRun(_dir.Path);

        File.Exists(orphan).Should().BeTrue();
        report.RemovedTempFiles.Should().Equal(orphan);
        report.ToString().Should().Be($"{report.Directory} (dry run, nothing changed):{Environment.NewLine}  would remove orphaned temp: {orphan}");
        AtomicFile.Recover(_dir.Path).RemovedTempFiles.Should().Equal(orphan);
    }

    [Fact]
    public void RecoverDryRun_LiveWritersTemp_IsNotListed()
    {
        using var writer = AtomicFile.Create(_dir.File("a.txt"));
        writer.Write([1, 2, 3]);

        AtomicFile.RecoverDryRun(_dir.Path).IsClean.Should().BeTrue();
        _dir.Entries().Should().ContainSingle(name => AtomicFile.IsTempFileName(name), "the writer's temp is there, only not an orphan");
    }

    [Fact]
    public void RecoverDryRun_MissingDirectory_Throws()
    {
        FluentActions.Invoking(() => AtomicFile.RecoverDryRun(_dir.File("nope"))).Should().Throw<DirectoryNotFoundException>();
    }

    [Fact]
    public void IsTempFileName_WritersTempByNameOrPath_IsTrue()
    {
        var name = TempFileName.For("settings.json");

        AtomicFile.IsTempFileName(name).Should().BeTrue();
        AtomicFile.IsTempFileName(_dir.File(name)).Should().BeTrue();
    }

    [Theory]
    [InlineData("settings.json")]
    [InlineData(".settings.json.lock")]
    [InlineData(".atomicfiles-transaction.journal")]
    [InlineData(".atomicfiles-transaction.lock")]
    [InlineData(".settings.json.ABCDEFGHIJ.tmp")]
    [InlineData("")]
    public void IsTempFileName_OtherFilesOfTheLibraryAndUsers_AreFalse(string name)
    {
        AtomicFile.IsTempFileName(name).Should().BeFalse();
        AtomicFile.IsTempFileName(_dir.File(name)).Should().BeFalse();
    }

    private const string Orphan = ".x.txt.abcdefghij.tmp";

    /// <summary>The disk a crash leaves at the commit point or before it (temps staged, journal unsealed), plus an orphan in a subdirectory.</summary>
    private string CrashedRoot(bool committed, bool withLockFile)
    {
        var root = _dir.File("crashed");
        TransactionFileSet.CommitCapturing(_dir.File("live"), root, committed ? ProtocolStep.JournalDirectoryFlush : ProtocolStep.StageJournalFlush);
        File.WriteAllText(Path.Join(root, "sub", Orphan), "half");
        if (withLockFile)
        {
            File.WriteAllBytes(JournalFixtures.LockIn(root), []);
        }

        return root;
    }

    /// <summary>Every file under <paramref name="root"/>, hidden ones included, with its content and modification time.</summary>
    private static Dictionary<string, (byte[] Content, DateTime Modified)> Snapshot(string root) =>
        Directory.GetFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .ToDictionary(f => Path.GetRelativePath(root, f), f => (File.ReadAllBytes(f), File.GetLastWriteTimeUtc(f)));

    private static List<string> Changes(string root, Dictionary<string, (byte[] Content, DateTime Modified)> before)
    {
        var after = Snapshot(root);
        var changes = before.Keys.Except(after.Keys).Select(f => "removed " + f).Concat(after.Keys.Except(before.Keys).Select(f => "created " + f)).ToList();
        changes.AddRange(before.Keys.Intersect(after.Keys)
            .Where(f => !before[f].Content.AsSpan().SequenceEqual(after[f].Content) || before[f].Modified != after[f].Modified)
            .Select(f => "changed " + f));
        return changes;
    }

    private static List<string> Differences(RecoveryReport dryRun, RecoveryReport recovered)
    {
        var differences = new List<string>();
        Compare(nameof(RecoveryReport.Directory), [dryRun.Directory], [recovered.Directory]);
        Compare(nameof(RecoveryReport.CompletedTransactions), dryRun.CompletedTransactions, recovered.CompletedTransactions);
        Compare(nameof(RecoveryReport.RolledBackTransactions), dryRun.RolledBackTransactions, recovered.RolledBackTransactions);
        Compare(nameof(RecoveryReport.RemovedTempFiles), dryRun.RemovedTempFiles, recovered.RemovedTempFiles);
        Compare(nameof(RecoveryReport.UntrustedJournals), dryRun.UntrustedJournals, recovered.UntrustedJournals);
        Compare(nameof(RecoveryReport.UnpublishedFiles), dryRun.UnpublishedFiles, recovered.UnpublishedFiles);
        return differences;

        void Compare(string what, IReadOnlyList<string> expected, IReadOnlyList<string> actual)
        {
            if (!expected.Order(StringComparer.Ordinal).SequenceEqual(actual.Order(StringComparer.Ordinal)))
            {
                differences.Add($"{what}: dry run [{string.Join(", ", expected)}], recovery [{string.Join(", ", actual)}]");
            }
        }
    }
}
