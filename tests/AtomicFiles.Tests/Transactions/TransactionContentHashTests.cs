using System.Text;
using AtomicFiles.FaultInjection;
using AtomicFiles.Tests.Support;
using AtomicFiles.Transactions;

namespace AtomicFiles.Tests.Transactions;

/// <summary>
/// Recovery of a committed journal whose staged temps a power cut tore after the commit point — what
/// <see cref="Durability.None"/> (or a disk losing acknowledged writes) can leave: the journal reached the disk, a
/// temp's data did not. Simulated by truncating or zero-filling a temp in a copy of the disk as it was right after the
/// commit point. A torn temp is never published: with nothing applied the transaction is rolled back, otherwise the
/// file is reported. Each test has the mutant <see cref="InjectedDefect.RecoverySkipsContentCheck"/> as its control.
/// </summary>
public sealed class TransactionContentHashTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _committedState;

    public TransactionContentHashTests()
    {
        _committedState = _dir.File("committed");
        TransactionFileSet.CommitCapturing(_dir.File("root"), _committedState);
    }

    public enum Tear
    {
        Truncated,
        ZeroFilled,
        OneByteChanged,
    }

    public void Dispose() => _dir.Dispose();

    [RequiresFact(Requirement.Linux)]
    public void Commit_Journal_CarriesTheContentHashOfEachStagedFile()
    {
        var journal = File.ReadAllText(Path.Join(_committedState, TransactionRoot.JournalFileName));
        var parsed = JournalFormat.Parse(Encoding.UTF8.GetBytes(journal));

        journal.Should().StartWith("AtomicFiles transaction journal 2\n");
        parsed.IsCommitted.Should().BeTrue();
        foreach (var (path, content) in TransactionFileSet.Writes)
        {
            var replace = parsed.Operations.Should().ContainSingle(o => o.Target == path).Subject;
            replace.ContentHash.Should().Be(Convert.ToHexString(System.IO.Hashing.XxHash128.Hash(Encoding.UTF8.GetBytes(content))));
            File.ReadAllText(Path.Join(_committedState, replace.Temp!)).Should().Be(content, "the hash is of what the temp holds");
        }
    }

    [RequiresTheory(Requirement.Linux)]
    [InlineData(Tear.Truncated)]
    [InlineData(Tear.ZeroFilled)]
    [InlineData(Tear.OneByteChanged)]
    public void Recover_TornTempNothingApplied_RollsBackTheWholeTransaction(Tear tear)
    {
        var copy = Copy("torn");
        TearTemp(copy, Path.Join("sub", "b.txt"), tear);
        var logger = new CapturingLogger();

        var report = AtomicFile.Recover(copy, new AtomicFileOptions { Logger = logger });

        TransactionFileSet.Classify(copy).Should().Be("old", "a committed transaction with a torn temp and nothing applied is rolled back");
        report.RolledBackTransactions.Should().ContainSingle();
        report.UnpublishedFiles.Should().BeEmpty();
        TransactionFileSet.Leftovers(copy).Should().BeEmpty();
        logger.Entries.Should().Contain(e => e.EventId.Id == 34 && e.Message.Contains(Path.Join(copy, "sub", "b.txt"), StringComparison.Ordinal));
    }

    [RequiresTheory(Requirement.Linux)]
    [InlineData(Tear.Truncated)]
    [InlineData(Tear.ZeroFilled)]
    [InlineData(Tear.OneByteChanged)]
    public void Recover_TornTempWithoutTheContentCheck_PublishesIt(Tear tear)
    {
        // The mutant: recovery redoing the journal without the hashes publishes the torn content, as before them.
        var copy = Copy("mutant");
        TearTemp(copy, Path.Join("sub", "b.txt"), tear);

        AtomicFile.Recover(copy, new AtomicFileOptions { Faults = new() { Defects = InjectedDefect.RecoverySkipsContentCheck } });

        TransactionFileSet.Classify(copy).Should().StartWith("mixed");
        File.ReadAllText(Path.Join(copy, "sub", "b.txt")).Should().NotBe("new b").And.NotBe("old b");
    }

    [RequiresTheory(Requirement.Linux)]
    [InlineData(Tear.Truncated)]
    [InlineData(Tear.ZeroFilled)]
    public void Recover_TornTempAfterAnotherWasApplied_CompletesTheRestAndReportsTheFile(Tear tear)
    {
        var copy = Copy("partial");
        ApplyOneRename(copy, "a.txt");
        TearTemp(copy, Path.Join("sub", "b.txt"), tear);
        var logger = new CapturingLogger();

        var report = AtomicFile.Recover(copy, new AtomicFileOptions { Logger = logger });

        var damaged = Path.Join(copy, "sub", "b.txt");
        report.UnpublishedFiles.Should().Equal(damaged);
        report.CompletedTransactions.Should().ContainSingle();
        report.IsClean.Should().BeFalse();
        File.ReadAllText(damaged).Should().Be("old b", "a torn temp is never published");
        File.ReadAllText(Path.Join(copy, "a.txt")).Should().Be("new a");
        File.ReadAllText(Path.Join(copy, "sub", "deep", "c.txt")).Should().Be("new c");
        File.Exists(Path.Join(copy, "gone.txt")).Should().BeFalse();
        TransactionFileSet.Leftovers(copy).Should().BeEmpty();
        logger.Entries.Should().Contain(e => e.EventId.Id == 35 && e.Message.Contains(damaged, StringComparison.Ordinal));
        AtomicFile.Recover(copy).IsClean.Should().BeTrue("the report is given once; the journal is gone");
    }

    [RequiresFact(Requirement.Linux)]
    public void Recover_TornTempAfterAnotherWasAppliedWithoutTheContentCheck_PublishesIt()
    {
        var copy = Copy("partial-mutant");
        ApplyOneRename(copy, "a.txt");
        TearTemp(copy, Path.Join("sub", "b.txt"), Tear.Truncated);

        var report = AtomicFile.Recover(copy, new AtomicFileOptions { Faults = new() { Defects = InjectedDefect.RecoverySkipsContentCheck } });

        report.UnpublishedFiles.Should().BeEmpty();
        File.ReadAllText(Path.Join(copy, "sub", "b.txt")).Should().NotBe("new b").And.NotBe("old b");
    }

    [RequiresTheory(Requirement.Linux)]
    [InlineData(false, "old")]
    [InlineData(true, "mixed")]
    public void Recover_CrashWhileRollingBackATornTransaction_IsRolledBackByTheNextRecovery(bool underSealMutant, string expected)
    {
        var defect = underSealMutant ? InjectedDefect.RecoveryRollsBackUnderSeal : InjectedDefect.None;
        // The rollback removes the staged temps one by one. Cut after the first, a journal still sealed would make the
        // next recovery take that removed temp for an applied rename and complete the rest: so the seal goes first.
        var copy = Copy("cut-rollback");
        TearTemp(copy, Path.Join("sub", "b.txt"), Tear.Truncated);
        var cut = () => AtomicFile.Recover(copy, new AtomicFileOptions
        {
            Faults = new() { Defects = defect, AfterStep = step => throw new SimulatedCrashException(step) },
        });
        cut.Should().Throw<SimulatedCrashException>().Which.Step.Step.Should().Be(ProtocolStep.RecoveryRemove);

        AtomicFile.Recover(copy);

        TransactionFileSet.Classify(copy).Should().StartWith(expected);
        if (defect == InjectedDefect.None)
        {
            TransactionFileSet.Leftovers(copy).Should().BeEmpty();
        }
    }

    [RequiresFact(Requirement.Linux)]
    public void BeginTransaction_TornTempAfterAnotherWasApplied_ThrowsNamingTheFileThenWorks()
    {
        var copy = Copy("begin");
        ApplyOneRename(copy, "a.txt");
        TearTemp(copy, Path.Join("sub", "b.txt"), Tear.ZeroFilled);

        var begin = () => AtomicFile.BeginTransaction(copy).Dispose();

        begin.Should().Throw<IOException>().WithMessage($"*'{Path.Join(copy, "sub", "b.txt")}'*not published*");
        File.ReadAllText(Path.Join(copy, "sub", "b.txt")).Should().Be("old b");
        TransactionFileSet.Leftovers(copy).Should().BeEmpty();
        begin.Should().NotThrow("recovery finished, and the root is not bricked");
    }

    [RequiresFact(Requirement.Linux)]
    public void Recover_IntactTempsAfterAnotherWasApplied_CompletesWithoutReport()
    {
        // The control for the reports above: an applied rename alone is not damage.
        var copy = Copy("applied");
        ApplyOneRename(copy, "a.txt");

        var report = AtomicFile.Recover(copy);

        TransactionFileSet.Classify(copy).Should().Be("new");
        report.UnpublishedFiles.Should().BeEmpty();
    }

    [RequiresTheory(Requirement.Linux)]
    [InlineData(false)]
    [InlineData(true)]
    public void Recover_Version1Journal_IsStillCompleted(bool oneApplied)
    {
        // A journal written before content hashes: replace lines without a hash, written at staging.
        var copy = Copy("v1");
        var journalPath = Path.Join(copy, TransactionRoot.JournalFileName);
        var parsed = JournalFormat.Parse(File.ReadAllBytes(journalPath));
        var lines = string.Concat(parsed.Operations.Select(o => Encoding.UTF8.GetString(o.Temp is { } temp ? JournalFormat.ReplaceLineV1(temp, o.Target) : JournalFormat.DeleteLine(o.Target))));
        File.WriteAllBytes(journalPath, Recovery.JournalFixtures.Sealed(lines, version: 1));
        if (oneApplied)
        {
            ApplyOneRename(copy, "a.txt");
        }

        var report = AtomicFile.Recover(copy);

        report.CompletedTransactions.Should().ContainSingle();
        TransactionFileSet.Classify(copy).Should().Be("new");
        TransactionFileSet.Leftovers(copy).Should().BeEmpty();
    }

    private string Copy(string name)
    {
        var copy = _dir.File(name);
        TransactionFileSet.CopyTree(_committedState, copy);
        return copy;
    }

    private static JournalOperation ReplaceOf(string root, string target) =>
        JournalFormat.Parse(File.ReadAllBytes(Path.Join(root, TransactionRoot.JournalFileName))).Operations.Single(o => o.Target == target);

    private static void TearTemp(string root, string target, Tear tear)
    {
        var temp = Path.Join(root, ReplaceOf(root, target).Temp!);
        var length = new FileInfo(temp).Length;
        switch (tear)
        {
            case Tear.Truncated:
                File.WriteAllBytes(temp, []);
                break;
            case Tear.ZeroFilled:
                File.WriteAllBytes(temp, new byte[length]);
                break;
            default:
                var bytes = File.ReadAllBytes(temp);
                bytes[^1] ^= 1;
                File.WriteAllBytes(temp, bytes);
                break;
        }
    }

    private sealed class SimulatedCrashException(ReachedStep step) : Exception(step.ToString())
    {
        public ReachedStep Step { get; } = step;
    }

    /// <summary>The disk as a crash during the commit's renames leaves it: this one done, the others not.</summary>
    private static void ApplyOneRename(string root, string target) =>
        File.Move(Path.Join(root, ReplaceOf(root, target).Temp!), Path.Join(root, target), overwrite: true);
}
