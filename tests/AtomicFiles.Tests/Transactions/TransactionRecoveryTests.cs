using System.Security.Cryptography;
using System.Text;
using AtomicFiles.Transactions;

namespace AtomicFiles.Tests.Transactions;

/// <summary>
/// Recovery of journals that are damaged or forged: starting from the disk as a crash right after the commit point
/// leaves it (sealed journal, staged temps, nothing applied yet), the journal is then truncated, corrupted or
/// replaced. Only the intact journal may be applied; every other one is rolled back without touching user files.
/// </summary>
public sealed class TransactionRecoveryTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    // Taken on first use: on Windows a crash copy cannot read the staged temps the committing writer holds unshared,
    // and the one test collected there needs no copy.
    private readonly Lazy<string> _committedState;

    public TransactionRecoveryTests()
    {
        _committedState = new(() =>
        {
            var state = _dir.File("committed");
            TransactionFileSet.CommitCapturing(_dir.File("root"), state);
            return state;
        });
    }

    public void Dispose() => _dir.Dispose();

    private string JournalBytesPath => Path.Join(_committedState.Value, TransactionRoot.JournalFileName);

    [RequiresFact(Requirement.Linux)]
    public void Recover_IntactCommittedJournal_CompletesTheTransaction()
    {
        var copy = Copy("intact");

        var result = TransactionRecovery.Recover(copy, AtomicFileOptions.Default);

        result!.JournalPath.Should().Be(Path.Join(copy, TransactionRoot.JournalFileName));
        result.Completed.Should().BeTrue();
        result.RemovedTempFiles.Should().BeEmpty("a committed transaction's temps are published, not removed");
        TransactionFileSet.Classify(copy).Should().Be("new");
        TransactionFileSet.Leftovers(copy).Should().BeEmpty();
    }

    [RequiresFact(Requirement.Linux)]
    public void Recover_RunTwice_IsIdempotent()
    {
        var copy = Copy("twice");
        TransactionRecovery.Recover(copy, AtomicFileOptions.Default);

        TransactionRecovery.Recover(copy, AtomicFileOptions.Default).Should().BeNull("nothing is left to recover");
        TransactionFileSet.Classify(copy).Should().Be("new");
    }

    [RequiresFact(Requirement.Linux)]
    public void Recover_JournalTruncatedAtEveryByte_RollsBackAndNeverApplies()
    {
        var journal = File.ReadAllBytes(JournalBytesPath);

        for (var length = 0; length < journal.Length; length++)
        {
            var copy = Copy($"cut-{length}");
            File.WriteAllBytes(Path.Join(copy, TransactionRoot.JournalFileName), journal[..length]);

            TransactionRecovery.Recover(copy, AtomicFileOptions.Default)!.Completed.Should().BeFalse();
            TransactionFileSet.Classify(copy).Should().Be("old", "a journal cut at byte {0} is rolled back", length);
            TransactionFileSet.Leftovers(copy).Should().BeEmpty("a journal cut at byte {0} still leads recovery to sweep the root's tree", length);
            Directory.Delete(copy, recursive: true);
        }
    }

    [RequiresFact(Requirement.Linux)]
    public void Recover_JournalWithAFlippedBitInEveryByte_RollsBackAndNeverApplies()
    {
        var journal = File.ReadAllBytes(JournalBytesPath);

        for (var i = 0; i < journal.Length; i++)
        {
            var copy = Copy($"flip-{i}");
            var corrupted = (byte[])journal.Clone();
            corrupted[i] ^= (byte)(1 << (i % 8));
            File.WriteAllBytes(Path.Join(copy, TransactionRoot.JournalFileName), corrupted);

            TransactionRecovery.Recover(copy, AtomicFileOptions.Default)!.Completed.Should().BeFalse();
            TransactionFileSet.Classify(copy).Should().Be("old", "byte {0} was corrupted", i);
            Directory.Delete(copy, recursive: true);
        }
    }

    [RequiresFact(Requirement.Linux)]
    public void Recover_TamperedJournalWithWrongChecksum_RollsBack()
    {
        var copy = Copy("tampered");
        var text = File.ReadAllText(JournalBytesPath);
        File.WriteAllText(Path.Join(copy, TransactionRoot.JournalFileName), text.Replace("delete gone.txt", "delete a.txt", StringComparison.Ordinal));

        TransactionRecovery.Recover(copy, AtomicFileOptions.Default)!.Completed.Should().BeFalse();

        TransactionFileSet.Classify(copy).Should().Be("old");
        TransactionFileSet.Leftovers(copy).Should().BeEmpty();
    }

    public static TheoryData<string> ForgedOperations => new()
    {
        "delete ../outside.txt\n",
        "delete /tmp/outside.txt\n",
        "delete escape/outside.txt\n",
        "replace a.txt sub/b.txt\n",
        "replace .a.txt.abcdefghij.tmp sub/b.txt\n",
        "replace escape/.outside.txt.abcdefghij.tmp escape/outside.txt\n",
    };

    [RequiresTheory(Requirement.Linux)]
    [MemberData(nameof(ForgedOperations))]
    public void Recover_ForgedJournalWithAValidSeal_TouchesNothingOutsideItsOwnTemps(string forgedLine)
    {
        var copy = Copy("forged");
        var outside = _dir.File("outside.txt");
        File.WriteAllText(outside, "outside");
        File.WriteAllText(Path.Join(copy, ".outside.txt.abcdefghij.tmp"), "not ours to move");
        Directory.CreateSymbolicLink(Path.Join(copy, "escape"), _dir.Path);
        var body = Encoding.UTF8.GetString(JournalFormat.HeaderV1) + forgedLine;
        File.WriteAllText(Path.Join(copy, TransactionRoot.JournalFileName), $"{body}commit {Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(body)))}\n");

        TransactionRecovery.Recover(copy, AtomicFileOptions.Default)!.Completed.Should().BeFalse("a journal naming paths this library never writes was forged");

        File.ReadAllText(outside).Should().Be("outside");
        File.ReadAllText(Path.Join(copy, "a.txt")).Should().Be("old a");
        File.ReadAllText(Path.Join(copy, "sub", "b.txt")).Should().Be("old b");
        File.Exists(Path.Join(copy, TransactionRoot.JournalFileName)).Should().BeFalse();
    }

    [RequiresFact(Requirement.Linux)]
    public void RecoverEnclosing_FromASubdirectory_CompletesTheRootsJournal()
    {
        var copy = Copy("enclosing");

        var results = TransactionRecovery.RecoverEnclosing(Path.Join(copy, "sub", "deep"), AtomicFileOptions.Default);

        results.Should().ContainSingle().Which.Completed.Should().BeTrue();
        TransactionFileSet.Classify(copy).Should().Be("new");
    }

    [Fact]
    public void Recover_NoJournal_ReturnsNullAndCreatesNothing()
    {
        var empty = _dir.File("empty");
        Directory.CreateDirectory(empty);

        TransactionRecovery.Recover(empty, AtomicFileOptions.Default).Should().BeNull();
        Directory.GetFileSystemEntries(empty).Should().BeEmpty();
    }

    private string Copy(string name)
    {
        var copy = _dir.File(name);
        TransactionFileSet.CopyTree(_committedState.Value, copy);
        return copy;
    }
}
