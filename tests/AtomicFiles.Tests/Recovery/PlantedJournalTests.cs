using AtomicFiles.FaultInjection;
using AtomicFiles.Tests.Support;
using Microsoft.Extensions.Logging;
using static AtomicFiles.Tests.Recovery.JournalFixtures;

namespace AtomicFiles.Tests.Recovery;

/// <summary>
/// Another local user plants a sealed journal in a shared sticky directory (/tmp-like, 1777) above the directory the
/// caller recovers, naming the caller's file. CI runs as root: "another user" is simulated by chown'ing the planted
/// journal to nobody (65534), or by a journal only a link or a hard link makes look like one. Each attack runs twice
/// through the same harness: with the library's trust check (the file survives) and with the check switched off by a
/// mutation flag (the file is deleted), which shows the harness would see the attack succeed.
/// </summary>
public sealed class PlantedJournalTests : IDisposable
{
    private const uint Nobody = 65534;

    private readonly TempDirectory _dir = new();
    private readonly string _shared;
    private readonly string _work;
    private readonly string _victim;

    public PlantedJournalTests()
    {
        _shared = _dir.File("shared");
        Directory.CreateDirectory(_shared);
        File.SetUnixFileMode(_shared, (UnixFileMode)Convert.ToInt32("1777", 8));
        _work = Path.Join(_shared, "work");
        Directory.CreateDirectory(_work);
        _victim = Path.Join(_shared, "victim.txt");
        File.WriteAllText(_victim, "precious");
    }

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> Plantings => new() { "owned by nobody", "writable by group", "symbolic link", "hard link" };

    [RequiresTheory(Requirement.Linux | Requirement.Root)]
    [MemberData(nameof(Plantings))]
    public void Recover_JournalPlantedAbove_LeavesTheVictimAndTheJournalAndReportsIt(string planting)
    {
        Plant(planting);
        var logger = new CapturingLogger();

        var first = AtomicFile.Recover(_work, new AtomicFileOptions { Logger = logger });
        var second = AtomicFile.Recover(_work);

        File.ReadAllText(_victim).Should().Be("precious");
        first.UntrustedJournals.Should().Equal(JournalIn(_shared));
        second.UntrustedJournals.Should().Equal([JournalIn(_shared)], "a journal left alone is reported again, and acted on again never");
        first.CompletedTransactions.Should().BeEmpty();
        first.RolledBackTransactions.Should().BeEmpty();
        first.IsClean.Should().BeFalse();
        File.Exists(LockIn(_shared)).Should().BeFalse("no lock file is created beside a journal that is not trusted");
        File.Exists(JournalIn(_shared)).Should().BeTrue("an untrusted journal is never removed");
        logger.Entries.Should().ContainSingle(e => e.EventId.Id == 30 && e.Level == LogLevel.Warning)
            .Which.Message.Should().Contain(JournalIn(_shared));
    }

    [RequiresTheory(Requirement.Linux | Requirement.Root)]
    [MemberData(nameof(Plantings))]
    public void Recover_JournalPlantedAbove_WithoutTheTrustCheck_DeletesTheVictim(string planting)
    {
        Plant(planting);

        AtomicFile.Recover(_work, new AtomicFileOptions { Faults = new() { Defects = InjectedDefect.RecoveryTrustsAnyJournal } });

        File.Exists(_victim).Should().BeFalse("the control: the same harness catches a recovery that trusts any journal");
    }

    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void BeginTransaction_RootHoldsAnotherUsersJournal_ThrowsNamingItAndCreatesNoLock()
    {
        Plant("owned by nobody");

        var act = () => AtomicFile.BeginTransaction(_shared);

        act.Should().Throw<IOException>().WithMessage($"*'{JournalIn(_shared)}' is owned by uid {Nobody}*");
        File.ReadAllText(_victim).Should().Be("precious");
        File.Exists(LockIn(_shared)).Should().BeFalse();
        File.Exists(JournalIn(_shared)).Should().BeTrue();
    }

    [RequiresFact(Requirement.Linux)]
    public void Recover_FifoAsTheJournal_ReturnsAndReportsIt()
    {
        Command.Run("mkfifo", JournalIn(_shared));

        // The watchdog only bounds a failure; a passing run returns at once.
        var recovery = Task.Run(() => AtomicFile.Recover(_work));
        recovery.Wait(TimeSpan.FromMinutes(2)).Should().BeTrue("a FIFO must not hang recovery");

        recovery.Result.UntrustedJournals.Should().Equal(JournalIn(_shared));
        File.ReadAllText(_victim).Should().Be("precious");
        File.Exists(LockIn(_shared)).Should().BeFalse();
    }

    [RequiresFact(Requirement.Linux)]
    public void Recover_FifoAsTheJournal_WithABlockingRead_IsCaughtBlocked()
    {
        var fifo = JournalIn(_shared);
        Command.Run("mkfifo", fifo);
        var recovery = Task.Run(() => AtomicFile.Recover(_work, new AtomicFileOptions { Faults = new() { Defects = InjectedDefect.RecoveryTrustsAnyJournal } }));

        // Opening the FIFO for writing returns only once a reader has opened it: the mutant reads from the FIFO, and
        // cannot return before the writer closes, which this test holds off until it has looked.
        using (var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write))
        {
            recovery.IsCompleted.Should().BeFalse("the control: a blocking read of a FIFO journal waits for a writer forever");

            // Let the mutant finish: its next read (under the root's lock) finds an empty sealed journal instead.
            var replacement = _dir.File("replacement");
            File.WriteAllBytes(replacement, Sealed(string.Empty));
            File.Move(replacement, fifo, overwrite: true);
        }

        recovery.Wait(TimeSpan.FromMinutes(2)).Should().BeTrue();
    }

    private void Plant(string planting)
    {
        var journal = JournalIn(_shared);
        var content = Sealed("delete victim.txt\n");
        switch (planting)
        {
            case "owned by nobody":
                File.WriteAllBytes(journal, content);
                File.SetUnixFileMode(journal, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
                Command.Run("chown", $"{Nobody}:{Nobody}", journal);
                break;
            case "writable by group":
                File.WriteAllBytes(journal, content);
                File.SetUnixFileMode(journal, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
                break;
            case "symbolic link":
                // Our own journal-looking file elsewhere, made to pose as this directory's journal.
                var elsewhere = _dir.File("elsewhere.journal");
                File.WriteAllBytes(elsewhere, content);
                File.SetUnixFileMode(elsewhere, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                File.CreateSymbolicLink(journal, elsewhere);
                break;
            case "hard link":
                var original = _dir.File("original.journal");
                File.WriteAllBytes(original, content);
                File.SetUnixFileMode(original, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                Command.Run("ln", original, journal);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(planting), planting, null);
        }
    }
}
