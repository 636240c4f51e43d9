using AtomicFiles.FaultInjection;
using AtomicFiles.Tests.Recovery;
using AtomicFiles.Tests.Support;
using AtomicFiles.Transactions;
using Microsoft.Extensions.Logging;

namespace AtomicFiles.Tests.Transactions;

/// <summary>
/// Recovery from the disk a crash right after the commit point leaves (sealed journal, staged temps, nothing applied),
/// made awkward: reached through a symbolic link, with a journal path no file can have, with an operation that became
/// impossible, with a temp that is not ours. Recovery completes what it can and never leaves the root bricked.
/// </summary>
public sealed class TransactionRecoveryHardeningTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _committedState;

    public TransactionRecoveryHardeningTests()
    {
        _committedState = _dir.File("committed");
        TransactionFileSet.CommitCapturing(_dir.File("root"), _committedState);
    }

    public void Dispose() => _dir.Dispose();

    [RequiresFact(Requirement.Linux)]
    public void Recover_ThroughASymlinkedSubdirectory_FindsTheRealParentsJournalAndCompletes()
    {
        var copy = Copy("linked");
        var view = _dir.File("view");
        Directory.CreateSymbolicLink(view, Path.Join(copy, "sub"));

        var report = AtomicFile.Recover(view);

        report.CompletedTransactions.Should().Equal(JournalFixtures.JournalIn(copy));
        TransactionFileSet.Classify(copy).Should().Be("new");
        TransactionFileSet.Leftovers(copy).Should().BeEmpty();
    }

    [RequiresFact(Requirement.Linux)]
    public void Recover_ThroughASymlinkedSubdirectory_WalkingLexically_LeavesTheTransactionHalfApplied()
    {
        var copy = Copy("linked-lexical");
        var view = _dir.File("view");
        Directory.CreateSymbolicLink(view, Path.Join(copy, "sub"));

        AtomicFile.Recover(view, new AtomicFileOptions { Faults = new() { Defects = InjectedDefect.RecoveryWalksLexically } });
        AtomicFile.Recover(copy);

        TransactionFileSet.Classify(copy).Should().StartWith("mixed", "the control: a lexical walk misses the journal and sweeps its staged temps");
    }

    [RequiresFact(Requirement.Linux)]
    public void Recover_ThroughADotDotAfterASymlink_SweepsTheDirectoryTheKernelResolves()
    {
        var copy = Copy("dotdot");
        var view = _dir.File("view");
        Directory.CreateSymbolicLink(view, Path.Join(copy, "sub", "deep"));

        // The kernel resolves view/.. to copy/sub; the lexical full path would be the test directory itself.
        var report = AtomicFile.Recover(Path.Join(view, ".."));

        report.Directory.Should().Be(Path.Join(copy, "sub"));
        TransactionFileSet.Classify(copy).Should().Be("new");
    }

    [RequiresFact(Requirement.Linux)]
    public void BeginTransaction_SealedJournalWithANulInAPath_RollsItBackOnceThenWorksNormally()
    {
        var copy = Copy("nul");
        var journal = JournalFixtures.JournalIn(copy);
        var lines = File.ReadAllText(journal).Split('\n').Where(l => l.StartsWith("replace ", StringComparison.Ordinal) || l.StartsWith("delete ", StringComparison.Ordinal));
        File.WriteAllBytes(journal, JournalFixtures.Sealed(string.Concat(lines.Select(l => l + "\n")) + "delete bad%00name\n", version: 2));
        var logger = new CapturingLogger();

        using (var tx = AtomicFile.BeginTransaction(copy, new AtomicFileOptions { Logger = logger }))
        {
            tx.Commit();
        }

        logger.Entries.Should().Contain(e => e.EventId.Id == 31 && e.Message.Contains(journal, StringComparison.Ordinal));
        TransactionFileSet.Classify(copy).Should().Be("old", "a journal that cannot be read back completely is not committed");
        TransactionFileSet.Leftovers(copy).Should().BeEmpty();
        AtomicFile.Recover(copy).IsClean.Should().BeTrue();
        TransactionFileSet.Commit(copy);
        TransactionFileSet.Classify(copy).Should().Be("new");
    }

    [RequiresFact(Requirement.Linux)]
    public void Recover_FileToDeleteReplacedByADirectory_CompletesTheRestAndRemovesTheJournal()
    {
        var copy = Copy("delete-dir");
        File.Delete(Path.Join(copy, "gone.txt"));
        Directory.CreateDirectory(Path.Join(copy, "gone.txt"));
        var logger = new CapturingLogger();

        var result = TransactionRecovery.Recover(copy, new AtomicFileOptions { Logger = logger });

        result!.Completed.Should().BeTrue();
        File.ReadAllText(Path.Join(copy, "a.txt")).Should().Be("new a");
        File.ReadAllText(Path.Join(copy, "sub", "deep", "c.txt")).Should().Be("new c");
        Directory.Exists(Path.Join(copy, "gone.txt")).Should().BeTrue();
        TransactionFileSet.Leftovers(copy).Should().BeEmpty();
        logger.Entries.Should().ContainSingle(e => e.EventId.Id == 32).Which.Message.Should().Contain(Path.Join(copy, "gone.txt"));
        TransactionRecovery.Recover(copy, AtomicFileOptions.Default).Should().BeNull("the root is not bricked");
        using var next = AtomicFile.BeginTransaction(copy);
        next.WriteAllText("a.txt", "later");
        next.Commit();
        File.ReadAllText(Path.Join(copy, "a.txt")).Should().Be("later");
    }

    [RequiresFact(Requirement.Linux)]
    public void Recover_FileToReplaceReplacedByADirectory_SkipsItRemovesItsTempAndCompletesTheRest()
    {
        var copy = Copy("replace-dir");
        File.Delete(Path.Join(copy, "sub", "b.txt"));
        Directory.CreateDirectory(Path.Join(copy, "sub", "b.txt"));
        var logger = new CapturingLogger();

        TransactionRecovery.Recover(copy, new AtomicFileOptions { Logger = logger })!.Completed.Should().BeTrue();

        File.ReadAllText(Path.Join(copy, "a.txt")).Should().Be("new a");
        File.Exists(Path.Join(copy, "gone.txt")).Should().BeFalse();
        Directory.Exists(Path.Join(copy, "sub", "b.txt")).Should().BeTrue();
        TransactionFileSet.Leftovers(copy).Should().BeEmpty("the temp that can never be published is ours, and removed");
        logger.Entries.Should().Contain(e => e.EventId.Id == 32 && e.Level == LogLevel.Error);
        TransactionRecovery.Recover(copy, AtomicFileOptions.Default).Should().BeNull();
    }

    [RequiresTheory(Requirement.Linux | Requirement.Root)]
    [InlineData(true)]
    [InlineData(false)]
    public void Recover_StagedTempNotProvablyOurs_IsNeverPublished(bool plantedByAnotherUser)
    {
        var copy = Copy($"planted-temp-{plantedByAnotherUser}");
        var temp = Directory.GetFiles(copy, ".a.txt.*.tmp").Should().ContainSingle().Subject;

        // Planted with the staged content itself, so that only ownership tells them apart: another content fails the hash.
        File.Delete(temp);
        File.WriteAllText(temp, "new a");
        if (plantedByAnotherUser)
        {
            Command.Run("chown", "65534:65534", temp);
        }

        var logger = new CapturingLogger();

        TransactionRecovery.Recover(copy, new AtomicFileOptions { Logger = logger });

        // The control is the same harness with the temp still ours: then its content is published.
        File.ReadAllText(Path.Join(copy, "a.txt")).Should().Be(plantedByAnotherUser ? "old a" : "new a");
        logger.Entries.Any(e => e.EventId.Id == 33 && e.Message.Contains(temp, StringComparison.Ordinal)).Should().Be(plantedByAnotherUser);
        File.ReadAllText(Path.Join(copy, "sub", "b.txt")).Should().Be("new b");
        File.Exists(JournalFixtures.JournalIn(copy)).Should().BeFalse();
    }

    [RequiresFact(Requirement.Linux)]
    public void Transaction_JournalIsCreatedOwnerOnly()
    {
        var root = _dir.File("mode");
        Directory.CreateDirectory(root);
        var journalMode = (UnixFileMode?)null;

        using (var tx = AtomicFile.BeginTransaction(root, new AtomicFileOptions
        {
            Faults = new()
            {
                AfterStep = step =>
                {
                    if (step.Step == ProtocolStep.JournalCreate)
                    {
                        journalMode = File.GetUnixFileMode(JournalFixtures.JournalIn(root));
                    }
                },
            },
        }))
        {
            tx.WriteAllText("x.txt", "x");
            tx.Commit();
        }

        journalMode.Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [RequiresFact(Requirement.Linux)]
    public void Transaction_NameWithAControlCharacter_IsRefusedBeforeAnythingIsStaged()
    {
        var root = _dir.File("control-char");
        Directory.CreateDirectory(root);
        using var tx = AtomicFile.BeginTransaction(root);

        var act = () => tx.WriteAllText("bad\u0001name.txt", "x");

        act.Should().Throw<ArgumentException>().WithMessage("*control character*");
        Directory.GetFiles(root).Select(Path.GetFileName).Should().OnlyContain(n => n!.StartsWith(".atomicfiles-transaction.", StringComparison.Ordinal));
    }

    private string Copy(string name)
    {
        var copy = _dir.File(name);
        TransactionFileSet.CopyTree(_committedState, copy);
        return copy;
    }
}
