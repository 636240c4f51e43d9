using AtomicFiles.FaultInjection;
using AtomicFiles.Transactions;

namespace AtomicFiles.Tests.Transactions;

/// <summary>
/// A crash after every step of a commit. The step hook copies the whole root at each step — exactly what a process
/// killed right there leaves on disk — and each copy is then recovered and must hold the old set or the new set,
/// with no temp and no journal left. Deliberately broken transactions must fail the same check.
/// </summary>
public sealed class TransactionCrashPointTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<Durability> Durabilities => new() { Durability.Full, Durability.FileOnly, Durability.None };

    [RequiresTheory(Requirement.Linux)]
    [MemberData(nameof(Durabilities))]
    public void Commit_CrashAfterEveryStep_RecoveryLeavesAllOldOrAllNew(Durability durability)
    {
        var crashes = CrashAfterEachStep(new AtomicFileOptions { Durability = durability });

        var expectedSteps = durability switch
        {
            // journal create, 3 stages, 1 prepared delete, stage journal fsync, 3 fsyncs, seal, journal fsync, journal
            // directory fsync, 3 renames, 1 delete, 3 directory fsyncs (., sub/, sub/deep), journal remove, root
            // directory fsync.
            Durability.Full => 21,
            Durability.FileOnly => 16,
            _ => 11,
        };
        crashes.Should().HaveCount(expectedSteps, "every step of the commit is a crash point: {0}", string.Join(", ", crashes.Select(c => c.Step)));
        foreach (var (step, outcome, leftovers) in crashes)
        {
            outcome.Should().BeOneOf(["old", "new"], "after a crash following '{0}'", step);
            leftovers.Should().BeEmpty("recovery after a crash following '{0}' removes every temp and the journal", step);
        }

        // Before the seal every crash rolls back; after it every crash completes.
        var sealAt = crashes.FindIndex(c => c.Step.Step == ProtocolStep.JournalWrite);
        crashes.Take(sealAt).Should().OnlyContain(c => c.Outcome == "old");
        crashes.Skip(sealAt).Should().OnlyContain(c => c.Outcome == "new");
        TransactionFileSet.Classify(Root).Should().Be("new");
    }

    /// <summary>
    /// The same transaction reached through superseded operations — every write first staged as something else or
    /// deleted, every delete first staged as a write — so crash points fall between a superseding, its temp's removal
    /// and the journal's rewrite too.
    /// </summary>
    [RequiresTheory(Requirement.Linux)]
    [MemberData(nameof(Durabilities))]
    public void Commit_WithSupersededOperations_CrashAfterEveryStep_RecoveryLeavesAllOldOrAllNew(Durability durability)
    {
        var crashes = CrashAfterEachStep(new AtomicFileOptions { Durability = durability }, commit: CommitSuperseding);

        crashes.Should().Contain(c => c.Step.Step == ProtocolStep.Supersede).And.Contain(c => c.Step.Step == ProtocolStep.JournalWrite);
        foreach (var (step, outcome, leftovers) in crashes)
        {
            outcome.Should().BeOneOf(["old", "new"], "after a crash following '{0}'", step);
            leftovers.Should().BeEmpty("recovery after a crash following '{0}' removes every temp and the journal", step);
        }

        var sealAt = crashes.FindIndex(c => c.Step.Step == ProtocolStep.JournalWrite);
        crashes.Take(sealAt).Should().OnlyContain(c => c.Outcome == "old");
        crashes.Skip(sealAt).Should().OnlyContain(c => c.Outcome == "new");
        TransactionFileSet.Classify(Root).Should().Be("new");
        TransactionFileSet.Leftovers(Root).Should().BeEmpty();
    }

    [RequiresFact(Requirement.Linux)]
    public void Commit_SupersedingWithoutRemovingTheEarlierTemp_IsCaughtByTheSameCheck()
    {
        var crashes = CrashAfterEachStep(new AtomicFileOptions { Faults = new() { Defects = InjectedDefect.SupersedeKeepsTemp } }, commit: CommitSuperseding);

        crashes.Should().Contain(c => c.Leftovers.Length > 0, "a superseded temp the rewritten journal no longer names is left behind");
    }

    [RequiresFact(Requirement.Linux)]
    public void Commit_WithoutJournal_IsCaughtByTheSameCheck()
    {
        var crashes = CrashAfterEachStep(new AtomicFileOptions { Faults = new() { Defects = InjectedDefect.SkipTransactionJournal } });

        crashes.Should().Contain(c => c.Outcome.StartsWith("mixed", StringComparison.Ordinal),
            "renames applied without a journal leave a half-applied set when the process dies between them");
    }

    [RequiresFact(Requirement.Linux)]
    public void Recovery_IgnoringACommittedJournal_IsCaughtByTheSameCheck()
    {
        var crashes = CrashAfterEachStep(new AtomicFileOptions(), new AtomicFileOptions { Faults = new() { Defects = InjectedDefect.RecoveryIgnoresCommittedJournal } });

        crashes.Should().Contain(c => c.Outcome.StartsWith("mixed", StringComparison.Ordinal),
            "rolling back a transaction that is past its commit point cannot undo the renames already done");
    }

    [RequiresFact(Requirement.Linux)]
    public void RollBack_AfterTheSealsFlushFailed_CrashAfterEveryStepOfIt_RecoversToAllOld()
    {
        var crashes = CrashDuringRollBackAfterFailedSeal(InjectedDefect.None);

        crashes.Select(c => c.Step).Should().Equal(
            new ReachedStep(ProtocolStep.RollbackUnseal), new ReachedStep(ProtocolStep.RollbackRemove, "a.txt"),
            new ReachedStep(ProtocolStep.RollbackRemove, Path.Join("sub", "b.txt")),
            new ReachedStep(ProtocolStep.RollbackRemove, Path.Join("sub", "deep", "c.txt")), new ReachedStep(ProtocolStep.RollbackJournalRemove));
        foreach (var (step, outcome, leftovers) in crashes)
        {
            outcome.Should().Be("old", "a crash after '{0}' interrupts a rollback", step);
            leftovers.Should().BeEmpty("after '{0}'", step);
        }
    }

    [RequiresFact(Requirement.Linux)]
    public void RollBack_KeepingTheSeal_IsCaughtByTheSameCheck()
    {
        var crashes = CrashDuringRollBackAfterFailedSeal(InjectedDefect.RollbackKeepsSeal);

        crashes.Should().Contain(c => c.Outcome.StartsWith("mixed", StringComparison.Ordinal),
            "a sealed journal whose first temp is already removed is redone without it");
    }

    [RequiresFact(Requirement.Linux)]
    public void BeginTransaction_AfterACrashPastTheCommitPoint_CompletesTheTransactionFirst()
    {
        string? crashCopy = null;
        var copyAfter = new ReachedStep(ProtocolStep.Rename, "a.txt");
        TransactionFileSet.CreateOld(Root);
        TransactionFileSet.Commit(Root, new AtomicFileOptions
        {
            Faults = new()
            {
                AfterStep = step =>
                {
                    if (step == copyAfter)
                    {
                        crashCopy = _dir.File("crashed");
                        TransactionFileSet.CopyTree(Root, crashCopy);
                    }
                },
            },
        });
        TransactionFileSet.Classify(crashCopy!).Should().StartWith("mixed", "the copy is taken in the middle of the renames");

        using (var tx = AtomicFile.BeginTransaction(crashCopy!))
        {
            TransactionFileSet.Classify(crashCopy!).Should().Be("new");
        }

        TransactionFileSet.Leftovers(crashCopy!).Should().BeEmpty();
    }

    private string Root
    {
        get
        {
            var root = _dir.File("root");
            Directory.CreateDirectory(root);
            return root;
        }
    }

    /// <summary>
    /// The journal's flush fails right after the seal is written, so Commit rolls back; the root is copied after each
    /// step of that rollback, and each copy recovered.
    /// </summary>
    private List<(ReachedStep Step, string Outcome, string[] Leftovers)> CrashDuringRollBackAfterFailedSeal(InjectedDefect defect)
    {
        TransactionFileSet.CreateOld(Root);
        var copies = new List<(ReachedStep Step, string Path)>();
        var options = new AtomicFileOptions
        {
            Faults = new()
            {
                Defects = defect,
                AfterStep = step =>
                {
                    if (step.Step == ProtocolStep.JournalFlush)
                    {
                        throw new IOException("injected: the journal's flush failed");
                    }

                    if (step.IsRollback)
                    {
                        var copy = _dir.File($"rollback-{copies.Count:D2}");
                        TransactionFileSet.CopyTree(Root, copy);
                        copies.Add((step, copy));
                    }
                },
            },
        };

        FluentActions.Invoking(() => TransactionFileSet.Commit(Root, options)).Should().Throw<IOException>().WithMessage("injected*");
        TransactionFileSet.Classify(Root).Should().Be("old");

        return copies.Select(c =>
        {
            AtomicFile.Recover(c.Path);
            return (c.Step, TransactionFileSet.Classify(c.Path), TransactionFileSet.Leftovers(c.Path));
        }).ToList();
    }

    /// <summary>Commits the fixture transaction, copying the root after each step, then recovers each copy.</summary>
    /// <summary>The fixture transaction, each operation reached through one it supersedes.</summary>
    private static void CommitSuperseding(string root, AtomicFileOptions options)
    {
        using var tx = AtomicFile.BeginTransaction(root, options);
        foreach (var (path, content) in TransactionFileSet.Writes)
        {
            tx.Delete(path);
            tx.WriteAllText(path, "superseded " + content);
            tx.WriteAllText(path, content);
        }

        foreach (var path in TransactionFileSet.Deletes)
        {
            tx.WriteAllText(path, "superseded");
            tx.Delete(path);
        }

        tx.Commit();
    }

    private List<(ReachedStep Step, string Outcome, string[] Leftovers)> CrashAfterEachStep(
        AtomicFileOptions options, AtomicFileOptions? recoveryOptions = null, Action<string, AtomicFileOptions>? commit = null)
    {
        TransactionFileSet.CreateOld(Root);
        var copies = new List<(ReachedStep Step, string Path)>();
        var gate = new object();
        var hooked = new AtomicFileOptions
        {
            Durability = options.Durability,
            Faults = new()
            {
                Defects = options.Defects,
                AfterStep = step =>
                {
                    lock (gate)
                    {
                        var copy = _dir.File($"crash-{copies.Count:D2}");
                        TransactionFileSet.CopyTree(Root, copy);
                        copies.Add((step, copy));
                    }
                },
            },
        };

        (commit ?? TransactionFileSet.Commit)(Root, hooked);

        return copies.Select(c =>
        {
            AtomicFile.Recover(c.Path, recoveryOptions);
            return (c.Step, TransactionFileSet.Classify(c.Path), TransactionFileSet.Leftovers(c.Path));
        }).ToList();
    }
}
